/**
 * The subject's right to know: everything held about one client, the disclosures about it (P5)
 * included, read from one database snapshot so that an erasure, a withdrawal or a disclosure
 * written at the same time is seen wholly or not at all.
 */
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PasswordReset } from '../auth/password-reset.entity';
import { SecurityEvent } from '../auth/security-event.entity';
import { Session } from '../auth/session.entity';
import { DisclosureEntry } from '../disclosure/disclosure.entity';
import { ErasureReceipt, ErasureRequest } from '../erasure/erasure.entity';
import { ALL_FIELDS, readClients } from '../subjects/client-store';
import { readConsentsOfClients } from '../subjects/consent-store';
import { readOrderPage } from '../subjects/order-store';
import type { ClientRecord, ConsentRecord, OrderRecord } from '../subjects/records';

export interface DataExport {
  readonly generatedAt: Date;
  /** The client with its privacy state, both from the snapshot. */
  readonly client: ClientRecord;
  /** Orders still linked to the client, newest first (depersonalised ones link to no one). */
  readonly orders: OrderRecord[];
  /** The consent history, oldest first. */
  readonly consents: ConsentRecord[];
  readonly erasureRequests: ErasureRequest[];
  readonly erasureReceipts: ErasureReceipt[];
  /** The account's sessions, reset tokens and security events, oldest first (times and kinds only reach the API). */
  readonly sessions: Session[];
  readonly passwordResets: PasswordReset[];
  readonly securityEvents: SecurityEvent[];
  /** Who received which of the subject's personal data (P5), newest first. */
  readonly disclosures: DisclosureEntry[];
}

export async function exportClientData(em: EntityManager, clientId: string, now: Date): Promise<DataExport | null> {
  return em.fork().transactional(
    async (tx) => {
      // Through this transaction's EntityManager: a read on the bare connection would leave the snapshot.
      const [client] = await readClients(tx, [clientId], ALL_FIELDS);
      if (!client) return null;
      const orders = await readOrderPage(tx, { clientId }, null, null, ALL_FIELDS);
      const consents = (await readConsentsOfClients(tx, [clientId])).get(clientId) ?? [];
      const erasureRequests = await tx.find(ErasureRequest, { client: clientId }, { orderBy: { requestedAt: 'asc', id: 'asc' } });
      const erasureReceipts = await tx.find(ErasureReceipt, { client: clientId }, { orderBy: { erasedAt: 'asc', id: 'asc' } });
      const sessions = await tx.find(Session, { client: clientId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const passwordResets = await tx.find(PasswordReset, { client: clientId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const securityEvents = await tx.find(SecurityEvent, { client: clientId }, { orderBy: { at: 'asc', id: 'asc' } });
      const disclosures = await tx.find(DisclosureEntry, { subjectId: clientId }, { orderBy: { seq: 'desc' } });
      return { generatedAt: now, client, orders, consents, erasureRequests, erasureReceipts, sessions, passwordResets, securityEvents, disclosures };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
