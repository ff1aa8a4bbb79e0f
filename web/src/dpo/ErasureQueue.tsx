import { useState } from 'react';
import type { ErasureReceipt, ErasureRequest } from '../api';
import { Checkbox, ErrorNotice, Facts, Field, FormError, Loaded, Panel, Screen, Select, Table, useAction, useLoad } from '../components/ui';
import { formatDateTime } from '../format';
import { label, t } from '../i18n';
import { Id, isUuid, Receipt, useConsole } from './common';

const d = t.dpo;

function EraseForm({ clientId, request, onErased }: { clientId: string; request: ErasureRequest | null; onErased: (receipt: ErasureReceipt) => void }) {
  const { api } = useConsole();
  const [summary, retry] = useLoad(() => api.client(clientId), [clientId]);
  const [basis, setBasis] = useState(request ? 'SUBJECT_REQUEST' : 'WRITTEN_REQUEST_OFFLINE');
  const [reference, setReference] = useState(request?.id ?? '');
  const [sure, setSure] = useState(false);
  const action = useAction();
  return (
    <Panel title={d.eraseHeading}>
      <Loaded load={summary} retry={retry}>
        {(client) =>
          client ? (
            <Facts
              items={[
                [t.fields.clientId, <code key="id" className="break">{client.id}</code>],
                [t.fields.fullName, client.legalName ?? client.fullName],
                [t.fields.kind, label(t.enums.ClientKind, client.kind)],
                [t.fields.status, label(t.enums.ClientStatus, client.status)],
              ]}
            />
          ) : (
            <p>{t.errors.NOT_FOUND}</p>
          )
        }
      </Loaded>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            onErased(await api.erase(clientId, basis, reference.trim() || null));
          });
        }}
      >
        <Select
          label={d.basis}
          value={basis}
          onChange={setBasis}
          options={['SUBJECT_REQUEST', 'WRITTEN_REQUEST_OFFLINE'].map((b) => [b, label(t.enums.ErasureBasis, b)] as [string, string])}
        />
        <Field label={d.reference} value={reference} onChange={setReference} hint={d.referenceHint} required={basis === 'WRITTEN_REQUEST_OFFLINE'} spellCheck={false} />
        <Checkbox label={d.confirmErase} checked={sure} onChange={setSure} />
        <ErrorNotice error={action.error} />
        <button type="submit" className="danger" disabled={!sure || action.busy}>
          {d.erase}
        </button>
      </form>
    </Panel>
  );
}

function OfflineErasure({ onErased }: { onErased: (receipt: ErasureReceipt) => void }) {
  const [clientId, setClientId] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const action = useAction();
  if (chosen) return <EraseForm clientId={chosen} request={null} onErased={onErased} />;
  return (
    <Panel title={d.offlineHeading}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            if (!isUuid(clientId)) throw new FormError(t.errors.idFormat);
            setChosen(clientId.trim());
          });
        }}
      >
        <Field label={t.fields.clientId} value={clientId} onChange={setClientId} required spellCheck={false} />
        <ErrorNotice error={action.error} />
        <button type="submit" className="secondary">
          {d.open}
        </button>
      </form>
    </Panel>
  );
}

function Receipts() {
  const { api } = useConsole();
  const [filter, setFilter] = useState('');
  const [clientId, setClientId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [load, retry] = useLoad(() => api.receipts(clientId), [clientId]);
  const [shown, setShown] = useState<ErasureReceipt | null>(null);
  return (
    <Panel title={d.receiptsHeading}>
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          const text = filter.trim();
          if (text && !isUuid(text)) return setError(new FormError(t.errors.idFormat));
          setError(null);
          setClientId(text || null);
        }}
      >
        <Field label={d.receiptsFilter} value={filter} onChange={setFilter} spellCheck={false} />
        <button type="submit" className="secondary">
          {d.find}
        </button>
      </form>
      <ErrorNotice error={error} />
      <Loaded load={load} retry={retry}>
        {(receipts) =>
          receipts.length === 0 ? (
            <p>{d.receiptsNone}</p>
          ) : (
            <>
              <Table caption={d.receiptsCaption} head={[d.erasedAt, d.receiptId, t.fields.clientId, d.basis, d.referenceShort, '']}>
                {receipts.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">{formatDateTime(r.erasedAt)}</td>
                    <td>
                      <Id id={r.id} />
                    </td>
                    <td>
                      <Id id={r.clientId} />
                    </td>
                    <td>{label(t.enums.ErasureBasis, r.basis)}</td>
                    <td>{r.reference ? <Id id={r.reference} /> : t.common.none}</td>
                    <td>
                      <button type="button" className="secondary" aria-label={`${d.open}: ${d.receiptId} ${r.id.slice(0, 8)}`} onClick={() => setShown(r)}>
                        {d.open}
                      </button>
                    </td>
                  </tr>
                ))}
              </Table>
              {shown ? <Receipt receipt={shown} title={`${d.receiptHeading} ${shown.id.slice(0, 8)}`} /> : null}
            </>
          )
        }
      </Loaded>
    </Panel>
  );
}

export function ErasureQueue() {
  const { api } = useConsole();
  const [load, retry] = useLoad(() => api.pendingErasures(), []);
  const [open, setOpen] = useState<ErasureRequest | null>(null);
  const [receipt, setReceipt] = useState<ErasureReceipt | null>(null);
  const [round, setRound] = useState(0);
  const erased = (done: ErasureReceipt) => {
    setReceipt(done);
    setOpen(null);
    setRound((n) => n + 1);
    retry();
  };
  return (
    <Screen title={d.erasureHeading}>
      {receipt ? <Receipt receipt={receipt} /> : null}
      <Loaded load={load} retry={retry}>
        {(requests) =>
          requests.length === 0 ? (
            <p>{d.erasureNone}</p>
          ) : (
            <Table caption={d.erasureCaption} head={[d.requestedAt, t.fields.clientId, d.evidence, '']}>
              {requests.map((r) => (
                <tr key={r.id} aria-selected={open?.id === r.id}>
                  <td className="nowrap">{formatDateTime(r.requestedAt)}</td>
                  <td>
                    <Id id={r.clientId!} />
                  </td>
                  <td>
                    <small>{[r.evidence?.userAgent, r.evidence?.ipPrefix].filter((v) => v).join(' · ') || t.common.none}</small>
                  </td>
                  <td>
                    <button type="button" className="secondary" aria-label={`${d.open}: ${formatDateTime(r.requestedAt)}`} onClick={() => (setReceipt(null), setOpen(r))}>
                      {d.open}
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </Loaded>
      {open ? <EraseForm key={open.id} clientId={open.clientId!} request={open} onErased={erased} /> : null}
      <OfflineErasure key={`offline-${round}`} onErased={erased} />
      <Receipts key={`receipts-${round}`} />
    </Screen>
  );
}
