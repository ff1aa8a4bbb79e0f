import { useState } from 'react';
import { subject, type Consent, type ConsentState, type OpenObligation, type WithdrawalRequest } from '../api';
import { ErrorNotice, Facts, Field, FormError, Loaded, Notice, Panel, Screen, Table, useAction, useLoad } from '../components/ui';
import { formatDate, formatDateTime, formatDay, parseDay, shortId } from '../format';
import { label, t } from '../i18n';

const c = t.consent;

const purposes = (list: readonly string[]) => list.map((p) => label(t.enums.ConsentPurpose, p)).join('; ');

/** What a record changed against the one before: the purposes, and a withdrawal's date. */
function changeOf(record: Consent, previous: Consent | undefined): string {
  const parts: string[] = [];
  if (!previous) parts.push(c.purposesAll(purposes(record.purposes)));
  else {
    const removed = previous.purposes.filter((p) => !record.purposes.includes(p));
    const added = record.purposes.filter((p) => !previous.purposes.includes(p));
    if (removed.length > 0) parts.push(c.purposesRemoved(purposes(removed)));
    if (added.length > 0) parts.push(c.purposesAdded(purposes(added)));
    if (removed.length === 0 && added.length === 0) parts.push(c.purposesSame);
  }
  if (record.kind === 'WITHDRAWAL_REQUESTED' && record.withdrawalEffectiveAt) parts.push(c.effectiveAtShort(formatDate(record.withdrawalEffectiveAt)));
  return parts.join('; ');
}

function Obligations({ list }: { list: readonly OpenObligation[] }) {
  if (list.length === 0) return <p>{c.obligationsNone}</p>;
  return (
    <>
      <h3>{c.obligations}</h3>
      <ul>
        {list.map((o) => (
          <li key={o.orderId}>
            {t.data.orderNumber} <code title={o.orderId}>{shortId(o.orderId)}</code>: {label(t.enums.OrderStatus, o.status)}
          </li>
        ))}
      </ul>
    </>
  );
}

function WithdrawalForm({ onDone }: { onDone: (answer: WithdrawalRequest) => void }) {
  const [notice, setNotice] = useState('');
  const [date, setDate] = useState('');
  const action = useAction();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          const requested = date.trim() ? parseDay(date) : null;
          if (date.trim() && !requested) throw new FormError(t.errors.dateFormat);
          onDone(await subject.requestWithdrawal(notice, requested));
        });
      }}
    >
      <Field label={c.notice} value={notice} onChange={setNotice} multiline required hint={c.noticeHint} />
      <Field label={c.requestedDate} value={date} onChange={setDate} inputMode="numeric" placeholder={t.common.dateHint} hint={`${t.common.dateHint}. ${c.requestedDateHint}`} />
      <ErrorNotice error={action.error} />
      <button type="submit" disabled={action.busy || !notice.trim()}>
        {c.submitWithdrawal}
      </button>
    </form>
  );
}

function Current({ state, onChange }: { state: ConsentState; onChange: () => void }) {
  const [answer, setAnswer] = useState<WithdrawalRequest | null>(null);
  const optOut = useAction();
  const cancel = useAction();
  const current = state.history[state.history.length - 1];
  if (!current) return <p>{label(t.enums.ConsentStatus, 'NONE')}</p>;
  const marketing = current.purposes.includes('MARKETING');
  const pending = current.status === 'WITHDRAWAL_PENDING';
  const inForce = current.status === 'ACTIVE' || pending;
  return (
    <>
      <Panel title={c.current}>
        <Facts
          items={[
            [c.status, <strong key="s">{label(t.enums.ConsentStatus, current.status)}</strong>],
            [c.purposes, <ul key="p">{current.purposes.map((p) => <li key={p}>{label(t.enums.ConsentPurpose, p)}</li>)}</ul>],
            [c.operations, current.operations.map((o) => label(t.enums.ConsentOperation, o)).join(', ')],
            [c.policyVersion, current.policyVersion],
            [c.givenAt, formatDate(current.givenAt)],
            [c.since, formatDateTime(current.recordedAt)],
            [c.expiresAt, current.expiresAt ? formatDate(current.expiresAt) : c.openEnded],
          ]}
        />
        {!inForce ? <p>{c.ended}</p> : null}
      </Panel>

      {inForce ? (
        <Panel title={c.marketingHeading}>
          <p>{marketing ? c.marketingOn : c.marketingOff}</p>
          {marketing ? (
            <button type="button" disabled={optOut.busy} onClick={() => void optOut.run(async () => (await subject.optOutOfMarketing(), onChange(), c.optedOut))}>
              {c.optOut}
            </button>
          ) : null}
          <ErrorNotice error={optOut.error} />
          {optOut.done ? <Notice>{optOut.done}</Notice> : null}
        </Panel>
      ) : null}

      {current.status === 'ACTIVE' ? (
        <Panel title={c.withdrawHeading}>
          <p>{c.withdrawIntro}</p>
          {cancel.done ? <Notice>{cancel.done}</Notice> : null}
          <WithdrawalForm
            onDone={(result) => {
              setAnswer(result);
              cancel.reset();
              onChange();
            }}
          />
        </Panel>
      ) : null}

      {pending ? (
        <Panel title={c.pendingHeading}>
          <p className="effective" role="status">
            <strong>{c.effectiveOn(answer ? formatDay(answer.effectiveDate) : formatDate(current.withdrawalEffectiveAt))}</strong>
          </p>
          {(answer ? answer.waitsForObligations : state.openOrders.length > 0) ? <p>{c.waits}</p> : null}
          <Obligations list={answer ? answer.openObligations : state.openOrders} />
          <button
            type="button"
            className="secondary"
            disabled={cancel.busy}
            onClick={() =>
              void cancel.run(async () => {
                await subject.cancelWithdrawal();
                setAnswer(null);
                onChange();
                return c.cancelled;
              })
            }
          >
            {c.cancelWithdrawal}
          </button>
          <ErrorNotice error={cancel.error} />
        </Panel>
      ) : null}
    </>
  );
}

export function ConsentScreen() {
  const [load, retry] = useLoad(() => subject.consent(), []);
  return (
    <Screen title={c.heading}>
      <Loaded load={load} retry={retry}>
        {(state) => (
          <>
            <Current state={state} onChange={retry} />
            <Panel title={c.history}>
              <Table caption={c.historyCaption} head={[c.recordedAt, c.event, c.status, c.change, c.channel, c.actor]}>
                {state.history.map((record, i) => (
                  <tr key={record.id}>
                    <td className="nowrap">{formatDateTime(record.recordedAt)}</td>
                    <td>{label(t.enums.ConsentEventKind, record.kind)}</td>
                    <td>{label(t.enums.ConsentStatus, record.status)}</td>
                    <td>{changeOf(record, state.history[i - 1])}</td>
                    <td>{label(t.enums.ConsentChannel, record.channel)}</td>
                    <td>{label(t.enums.Actor, record.actor)}</td>
                  </tr>
                ))}
              </Table>
            </Panel>
          </>
        )}
      </Loaded>
    </Screen>
  );
}
