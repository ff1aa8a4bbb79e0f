import { useState } from 'react';
import { subject } from '../api';
import { Checkbox, ErrorNotice, Loaded, Notice, Panel, Screen, useAction, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { t } from '../i18n';

const e = t.erasure;

export function Erasure() {
  const [load, retry] = useLoad(() => subject.erasureRequests(), []);
  const [understood, setUnderstood] = useState(false);
  const action = useAction();
  return (
    <Screen title={e.heading}>
      <p>{e.statement}</p>
      <p>{e.kept}</p>
      <Loaded load={load} retry={retry}>
        {(requests) => {
          const pending = requests.some((r) => r.status === 'PENDING');
          return (
            <>
              {!pending ? (
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    void action.run(async () => {
                      await subject.requestErasure();
                      retry();
                      return e.sent;
                    });
                  }}
                >
                  <Checkbox label={e.confirm} checked={understood} onChange={setUnderstood} />
                  <button type="submit" className="danger" disabled={!understood || action.busy}>
                    {e.submit}
                  </button>
                </form>
              ) : null}
              <ErrorNotice error={action.error} />
              {action.done ? <Notice>{action.done}</Notice> : null}
              <Panel title={e.requests}>
                {requests.length === 0 ? (
                  <p>{e.none}</p>
                ) : (
                  <ul>
                    {requests.map((r) => (
                      <li key={r.id}>{r.status === 'PENDING' ? e.pending(formatDateTime(r.requestedAt)) : e.done(formatDateTime(r.requestedAt))}</li>
                    ))}
                  </ul>
                )}
              </Panel>
            </>
          );
        }}
      </Loaded>
    </Screen>
  );
}
