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
import { Client } from '../clients/client.entity';
import { Consent } from '../consent/consent.entity';
import { DisclosureEntry } from '../disclosure/disclosure.entity';
import { ErasureReceipt, ErasureRequest } from '../erasure/erasure.entity';
import { loadSubjectState } from '../graphql/loaders';
import type { SubjectState } from '../graphql/request-privacy';
import { Order } from '../orders/order.entity';

export interface DataExport {
  readonly generatedAt: Date;
  readonly client: Client;
  /** Orders still linked to the client, newest first (depersonalised ones link to no one). */
  readonly orders: Order[];
  /** The consent history, oldest first. */
  readonly consents: Consent[];
  readonly erasureRequests: ErasureRequest[];
  readonly erasureReceipts: ErasureReceipt[];
  /** The account's sessions, reset tokens and security events, oldest first (times and kinds only reach the API). */
  readonly sessions: Session[];
  readonly passwordResets: PasswordReset[];
  readonly securityEvents: SecurityEvent[];
  /** Who received which of the subject's personal data (P5), newest first. */
  readonly disclosures: DisclosureEntry[];
  /** The privacy state in the same snapshot, for the @pii guard. */
  readonly subjectState: SubjectState;
}

export async function exportClientData(em: EntityManager, clientId: string, now: Date): Promise<DataExport | null> {
  return em.fork().transactional(
    async (tx) => {
      const client = await tx.findOne(Client, { id: clientId });
      if (!client) return null;
      const orders = await tx.find(Order, { client: clientId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
      const consents = await tx.find(Consent, { client: clientId }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
      const erasureRequests = await tx.find(ErasureRequest, { client: clientId }, { orderBy: { requestedAt: 'asc', id: 'asc' } });
      const erasureReceipts = await tx.find(ErasureReceipt, { client: clientId }, { orderBy: { erasedAt: 'asc', id: 'asc' } });
      const sessions = await tx.find(Session, { client: clientId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const passwordResets = await tx.find(PasswordReset, { client: clientId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const securityEvents = await tx.find(SecurityEvent, { client: clientId }, { orderBy: { at: 'asc', id: 'asc' } });
      // Through this transaction's EntityManager: a read on the bare connection would leave the snapshot.
      const disclosures = await tx.find(DisclosureEntry, { subjectId: clientId }, { orderBy: { seq: 'desc' } });
      // The same state the loaders read for every other path, in the same snapshot.
      const subjectState = await loadSubjectState(tx, clientId);
      return { generatedAt: now, client, orders, consents, erasureRequests, erasureReceipts, sessions, passwordResets, securityEvents, disclosures, subjectState };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
