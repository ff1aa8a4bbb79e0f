/** What the console's screens share: the API bound to the token, and cross-screen hand-overs. */
import { createContext, useContext } from 'react';
import type { DpoApi, ErasureReceipt } from '../api';
import { Facts, Panel } from '../components/ui';
import { formatDateTime, shortId } from '../format';
import { label, t } from '../i18n';

export interface Console {
  readonly api: DpoApi;
  /** Opens the disclosure log searching one subject (the id travels in memory, not in the URL). */
  readonly showLogOf: (subjectId: string) => void;
  /** A subject the log screen should search for when it opens, then forgotten. */
  readonly logSubject: string | null;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('console screens need the console');
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (text: string): boolean => UUID.test(text.trim());

export function Id({ id }: { id: string }) {
  return (
    <code title={id} className="id">
      {shortId(id)}
    </code>
  );
}

export function Receipt({ receipt, title = t.dpo.receiptHeading }: { receipt: ErasureReceipt; title?: string }) {
  const { showLogOf } = useConsole();
  const d = t.dpo;
  const categories = { ...t.enums.PiiCategory, ...t.enums.ErasedCategory };
  return (
    <Panel title={title}>
      <div className="receipt" role="group" aria-label={title}>
        <Facts
          items={[
            [d.receiptId, <code key="id" className="break">{receipt.id}</code>],
            [t.fields.clientId, <code key="c" className="break">{receipt.clientId}</code>],
            [d.erasedAt, formatDateTime(receipt.erasedAt)],
            [d.basis, label(t.enums.ErasureBasis, receipt.basis)],
            [d.reference, receipt.reference ? <code key="r" className="break">{receipt.reference}</code> : null],
            [d.erasedCategories, receipt.categories.map((c) => label(categories, c)).join(', ')],
            [d.ordersDepersonalised, String(receipt.ordersDepersonalised)],
            [d.sessionsRevoked, String(receipt.sessionsRevoked)],
            [d.actor, `${label(t.enums.Actor, receipt.actorRole)} (${receipt.actorId})`],
            ...(receipt.openObligations
              ? ([[d.openObligations, receipt.openObligations.length === 0 ? d.openObligationsNone : receipt.openObligations.map((o) => `${shortId(o.orderId)} (${label(t.enums.OrderStatus, o.status)})`).join(', ')]] as Array<[string, string]>)
              : []),
          ]}
        />
        <button type="button" className="secondary" onClick={() => showLogOf(receipt.clientId)}>
          {d.showLog}
        </button>
      </div>
    </Panel>
  );
}
