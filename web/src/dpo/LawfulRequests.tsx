import { useState } from 'react';
import type { LawfulRequest } from '../api';
import { Choices, ErrorNotice, Facts, Field, FormError, Loaded, Notice, Panel, Screen, Table, useAction, useLoad } from '../components/ui';
import { dayEnd, formatLastDay, formatDay, parseDay } from '../format';
import { label, t } from '../i18n';
import { isUuid, useConsole } from './common';
import { Tokens } from './Tokens';

const d = t.dpo;
export const CATEGORIES = Object.keys(t.enums.PiiCategory);

const inForce = (request: LawfulRequest) => Date.parse(request.expiresAt) > Date.now();

function RegisterForm({ onRegistered }: { onRegistered: () => void }) {
  const { api } = useConsole();
  const [body, setBody] = useState('');
  const [number, setNumber] = useState('');
  const [date, setDate] = useState('');
  const [basis, setBasis] = useState('');
  const [subjects, setSubjects] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [until, setUntil] = useState('');
  const action = useAction();
  return (
    <Panel title={d.registerRequest}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            const documentDate = parseDay(date);
            const lastDay = parseDay(until);
            if (!documentDate || !lastDay) throw new FormError(t.errors.dateFormat);
            const subjectIds = subjects.split(/[\s,;]+/).filter((id) => id);
            if (subjectIds.some((id) => !isUuid(id))) throw new FormError(t.errors.idFormat);
            await api.registerLawfulRequest({ issuingBody: body, documentNumber: number, documentDate, legalBasis: basis, subjectIds, categories, expiresAt: dayEnd(lastDay) });
            for (const clear of [setBody, setNumber, setDate, setBasis, setSubjects, setUntil]) clear('');
            setCategories([]);
            onRegistered();
            return d.requestRegistered;
          });
        }}
      >
        <Field label={d.issuingBody} value={body} onChange={setBody} required />
        <Field label={d.documentNumber} value={number} onChange={setNumber} required />
        <Field label={d.documentDate} value={date} onChange={setDate} inputMode="numeric" placeholder={t.common.dateHint} required />
        <Field label={d.legalBasis} value={basis} onChange={setBasis} required />
        <Field label={d.subjectIds} value={subjects} onChange={setSubjects} multiline required spellCheck={false} />
        <Choices legend={d.categories} options={CATEGORIES} labels={t.enums.PiiCategory} value={categories} onChange={setCategories} />
        <Field label={d.expiresAt} value={until} onChange={setUntil} inputMode="numeric" placeholder={t.common.dateHint} required />
        <ErrorNotice error={action.error} />
        {action.done ? <Notice>{action.done}</Notice> : null}
        <button type="submit" disabled={action.busy}>
          {d.registerRequest}
        </button>
      </form>
    </Panel>
  );
}

function RequestDetail({ request, onChanged }: { request: LawfulRequest; onChanged: () => void }) {
  const { api } = useConsole();
  const action = useAction();
  return (
    <Panel title={d.requestTitle(request.issuingBody, request.documentNumber)}>
      <Facts
        items={[
          [d.documentDate, formatDay(request.documentDate)],
          [d.legalBasis, request.legalBasis],
          [d.categories, request.categories.map((c) => label(t.enums.PiiCategory, c)).join(', ')],
          [d.subjectIds, <ul key="s" className="plain">{request.subjectIds.map((id) => <li key={id}><code className="break">{id}</code></li>)}</ul>],
          [d.expiresAt, formatLastDay(request.expiresAt)],
          [t.fields.status, inForce(request) ? d.active : d.expired],
        ]}
      />
      {inForce(request) ? (
        <button type="button" className="danger" disabled={action.busy} onClick={() => void action.run(async () => (await api.withdrawLawfulRequest(request.id), onChanged()))}>
          {d.withdrawRequest}
        </button>
      ) : null}
      <ErrorNotice error={action.error} />
      <Tokens
        owner={request.id}
        list={() => api.authorityTokens(request.id)}
        issue={(ttl) => api.issueAuthorityToken(request.id, ttl)}
        revoke={(tokenId) => api.revokeAuthorityToken(tokenId)}
      />
    </Panel>
  );
}

export function LawfulRequests() {
  const { api } = useConsole();
  const [load, retry] = useLoad(() => api.lawfulRequests(), []);
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Screen title={d.requestsHeading}>
      <Loaded load={load} retry={retry}>
        {(requests) => {
          const open = requests.find((r) => r.id === openId) ?? null;
          return (
            <>
              {requests.length === 0 ? (
                <p>{d.requestsNone}</p>
              ) : (
                <Table caption={d.requestsCaption} head={[d.issuingBody, d.documentNumber, d.categories, d.subjects, d.expiresAt, t.fields.status, '']}>
                  {requests.map((r) => (
                    <tr key={r.id}>
                      <td>{r.issuingBody}</td>
                      <td>{d.documentOf(r.documentNumber, formatDay(r.documentDate))}</td>
                      <td>{r.categories.map((c) => label(t.enums.PiiCategory, c)).join(', ')}</td>
                      <td>{d.subjectsCount(r.subjectIds.length)}</td>
                      <td className="nowrap">{formatLastDay(r.expiresAt)}</td>
                      <td>{inForce(r) ? d.active : d.expired}</td>
                      <td>
                        <button type="button" className="secondary" aria-label={`${d.open}: ${r.documentNumber}`} onClick={() => setOpenId(r.id)}>
                          {d.open}
                        </button>
                      </td>
                    </tr>
                  ))}
                </Table>
              )}
              {open ? <RequestDetail key={open.id} request={open} onChanged={retry} /> : null}
              <RegisterForm onRegistered={retry} />
            </>
          );
        }}
      </Loaded>
    </Screen>
  );
}
