import { useState } from 'react';
import type { DisclosureFilter, LogVerification } from '../api';
import { categoriesOf, recipientOf, usePages } from '../components/Disclosures';
import { Copyable, ErrorNotice, Field, FormError, Loaded, Notice, Panel, Screen, Select, Table, useAction, useLoad } from '../components/ui';
import { dayEnd, dayStart, formatDateTime, parseDay } from '../format';
import { label, t } from '../i18n';
import type { Page, Disclosure } from '../api';
import { Id, isUuid, useConsole } from './common';

const d = t.dpo;

interface Form {
  subjectId: string;
  recipient: string;
  recipientName: string;
  tokenId: string;
  recipientKind: string;
  from: string;
  to: string;
}

const EMPTY: Form = { subjectId: '', recipient: '', recipientName: '', tokenId: '', recipientKind: '', from: '', to: '' };

/** The form as the API's filter: ids checked, days as Kazakhstan instants (the last day included). */
function filterOf(form: Form): DisclosureFilter {
  const filter: DisclosureFilter = {};
  for (const key of ['subjectId', 'recipient', 'tokenId'] as const) {
    const value = form[key].trim();
    if (!value) continue;
    if (!isUuid(value)) throw new FormError(`${t.errors.field(label(t.inputFields, key))} ${t.errors.idFormat}`);
    filter[key] = value;
  }
  if (form.recipientName.trim()) filter.recipientName = form.recipientName.trim();
  if (form.recipientKind) filter.recipientKind = form.recipientKind;
  for (const [key, edge] of [['from', dayStart], ['to', dayEnd]] as const) {
    if (!form[key].trim()) continue;
    const day = parseDay(form[key]);
    if (!day) throw new FormError(t.errors.dateFormat);
    filter[key] = edge(day);
  }
  return filter;
}

function Results({ filter }: { filter: DisclosureFilter }) {
  const { api } = useConsole();
  const [load, retry] = useLoad(() => api.disclosures(filter), [filter]);
  return (
    <Loaded load={load} retry={retry}>
      {(first) => <Entries first={first} more={(next) => api.disclosures(filter, next)} />}
    </Loaded>
  );
}

function Entries({ first, more }: { first: Page<Disclosure>; more: (next: string) => Promise<Page<Disclosure>> }) {
  const { items, footer } = usePages(first, more);
  if (items.length === 0) return <p>{d.logNone}</p>;
  return (
    <>
      <Table caption={d.logCaption} head={[d.seq, t.disclosures.at, t.disclosures.recipient, d.subjectId, t.disclosures.categories, d.purposes]}>
        {items.map((entry) => (
          <tr key={entry.id}>
            <td className="num">{entry.seq}</td>
            <td className="nowrap">{formatDateTime(entry.at)}</td>
            <td>{recipientOf(entry)}</td>
            <td>
              <Id id={entry.subjectId} />
            </td>
            <td>{categoriesOf(entry).join(', ') || t.common.none}</td>
            <td>
              {label({ ...t.enums.ConsentPurpose, ...t.enums.DisclosurePurpose }, entry.purpose)}
              {entry.operationName ? (
                <>
                  <br />
                  <small className="muted">
                    {d.operation}: <code>{entry.operationName}</code>
                  </small>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      {footer}
    </>
  );
}

function Verify() {
  const { api } = useConsole();
  const [heads, setHeads] = useState('');
  const [result, setResult] = useState<LogVerification | null>(null);
  const action = useAction();
  return (
    <Panel title={d.verifyHeading}>
      <p>{d.verifyIntro}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            // The earlier verdict goes at once: what shows is always this run's.
            setResult(null);
            setResult(await api.verifyLog(heads));
          });
        }}
      >
        <Field label={d.expectHeads} value={heads} onChange={setHeads} multiline spellCheck={false} hint={d.expectHeadsHint} />
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.busy}>
          {d.verify}
        </button>
      </form>
      {result ? (
        <>
          {result.intact ? (
            <Notice>
              {d.intact(result.entries, result.chains.length)} {formatDateTime(result.verifiedAt)}
            </Notice>
          ) : (
            <p className="error" role="alert">
              <strong>{d.broken(result.chains.filter((c) => !c.intact).length, result.chains.length)}</strong>
            </p>
          )}
          {result.chains.length > 0 ? (
            <Table caption={d.chainsCaption} head={[d.chain, d.entries, d.tokenState, d.chainHeadOrReason]}>
              {result.chains.map((chain) => (
                <tr key={chain.chain}>
                  <td>
                    <code className="break">{chain.chain}</code>
                  </td>
                  <td className="num">{chain.entries}</td>
                  <td>{chain.intact ? d.chainIntact : <strong>{d.chainBroken(chain.brokenAtSeq ?? 0)}</strong>}</td>
                  <td>
                    {chain.intact ? (
                      <code className="break">{chain.head ?? t.common.none}</code>
                    ) : (
                      <span lang="en">{chain.reason}</span>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          ) : null}
          {result.intact && result.chains.length > 0 ? (
            <Copyable label={d.heads} value={result.chains.map((c) => c.head).join('\n')} multiline />
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}

export function DisclosureLog() {
  const { logSubject } = useConsole();
  const [form, setForm] = useState<Form>({ ...EMPTY, subjectId: logSubject ?? '' });
  const [filter, setFilter] = useState<DisclosureFilter | null>(logSubject ? { subjectId: logSubject } : null);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <Screen title={d.logHeading}>
      <Panel title={d.logFilter}>
        <form
          className="grid"
          onSubmit={(event) => {
            event.preventDefault();
            try {
              setFilter(filterOf(form));
              setError(null);
            } catch (caught) {
              setError(caught);
            }
          }}
        >
          <Field label={d.subjectId} value={form.subjectId} onChange={set('subjectId')} spellCheck={false} />
          <Field label={d.recipientId} value={form.recipient} onChange={set('recipient')} spellCheck={false} />
          <Field label={d.recipientName} value={form.recipientName} onChange={set('recipientName')} />
          <Field label={t.dpo.tokenId} value={form.tokenId} onChange={set('tokenId')} spellCheck={false} />
          <Select
            label={d.recipientKind}
            value={form.recipientKind}
            onChange={set('recipientKind')}
            options={[['', d.anyKind], ...Object.entries(t.enums.RecipientKind)] as Array<[string, string]>}
          />
          <Field label={d.from} value={form.from} onChange={set('from')} inputMode="numeric" placeholder={t.common.dateHint} />
          <Field label={d.to} value={form.to} onChange={set('to')} inputMode="numeric" placeholder={t.common.dateHint} />
          <div className="form-end">
            <ErrorNotice error={error} />
            <button type="submit">{d.search}</button>
          </div>
        </form>
      </Panel>
      {filter ? <Results filter={filter} /> : null}
      <Verify />
    </Screen>
  );
}
