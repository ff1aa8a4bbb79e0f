import { useState } from 'react';
import { subject } from '../api';
import { Checkbox, ErrorNotice, Screen, useAction } from '../components/ui';
import { t } from '../i18n';

const s = t.security;

/** P7: every session and token ends at once; the next login asks for a new password. */
export function Security({ onSessionEnded }: { onSessionEnded: () => void }) {
  const [sure, setSure] = useState(false);
  const action = useAction();
  return (
    <Screen title={s.heading} intro={s.intro}>
      <p>{s.effect}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await subject.reportCompromise();
            onSessionEnded();
          });
        }}
      >
        <Checkbox label={s.confirm} checked={sure} onChange={setSure} />
        <button type="submit" className="danger" disabled={!sure || action.busy}>
          {s.report}
        </button>
      </form>
      <ErrorNotice error={action.error} />
    </Screen>
  );
}
