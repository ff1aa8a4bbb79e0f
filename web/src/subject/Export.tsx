import { subject } from '../api';
import { Redactions } from '../components/Redactions';
import { downloadJson, ErrorNotice, Notice, Screen, useAction } from '../components/ui';
import { formatDateTime, kzToday } from '../format';
import { t } from '../i18n';
import { useState } from 'react';
import type { Redaction } from '../api';

const e = t.export;

export function Export() {
  const action = useAction();
  const [redactions, setRedactions] = useState<readonly Redaction[] | null>(null);
  return (
    <Screen title={e.heading} intro={e.intro}>
      <p>{e.logged}</p>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            const { data, redactions: withheld } = await subject.exportData();
            downloadJson(e.fileName(kzToday()), withheld.length > 0 ? { ...data, redactions: withheld } : data);
            setRedactions(withheld);
            return `${e.ready(formatDateTime(data.generatedAt))} ${e.summary(data.orders.length, data.consents.length, data.disclosures.length)}`;
          })
        }
      >
        {action.busy ? e.preparing : e.download}
      </button>
      <ErrorNotice error={action.error} />
      {action.done ? <Notice>{action.done}</Notice> : null}
      {redactions ? <Redactions redactions={redactions} own /> : null}
    </Screen>
  );
}
