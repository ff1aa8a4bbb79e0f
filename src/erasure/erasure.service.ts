/**
 * Erasure (P4) and depersonalisation when retention ends (P3): one code path, one transaction.
 * Personal values go (client columns, credentials, sessions, login throttle counters, the contact
 * copy, item names and partner in orders); orders stay for accounting, cut from the client and
 * tagged with a random tombstone; consent records and the receipt stay as proof and name only the
 * client's random id.
 */
import { randomUUID } from 'node:crypto';
import type { EntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { forgetLogin } from '../auth/login-throttle';
import { PasswordReset } from '../auth/password-reset.entity';
import { Session } from '../auth/session.entity';
import { ClientStatus, type Client } from '../clients/client.entity';
import { appendConsent, latestConsent, lockClient, openObligations, type ConsentAct, type OpenObligation } from '../consent/consent-lifecycle';
import { ConsentChannel, ConsentEventKind, type ConsentEvidence } from '../consent/consent.entity';
import { apiError, badInput, notFound } from '../errors';
import { statusInForce } from '../privacy/consent-state';
import { CLIENT_PERSONAL_COLUMNS, emptyValue, holdsValue, ORDER_PERSONAL_COLUMNS, type PersonalColumn } from '../privacy/personal-columns';
import { emptyAssignments, holdsValueSql } from './erased-row';
import { ERASED_CATEGORIES, ErasureBasis, ErasureReceipt, ErasureRequest, ErasureRequestStatus, type ErasedCategory } from './erasure.entity';

export interface ErasureActor {
  readonly role: 'DPO' | 'SYSTEM';
  /** The DPO's account id, or `jobs`. */
  readonly id: string;
}

export interface ErasureOrder {
  readonly basis: ErasureBasis;
  /** Required for WRITTEN_REQUEST_OFFLINE (registry number); for SUBJECT_REQUEST, the request id (defaults to the pending one). */
  readonly reference: string | null;
  readonly actor: ErasureActor;
  readonly now: Date;
  /** The JWT secret the login throttle's keys derive from (null: this server logs no one in, so there are none). */
  readonly throttleSecret: string | null;
}

/**
 * The receipt, and the orders still owed on when the erasure ran (they are kept, depersonalised,
 * and must still be fulfilled). Null when an earlier erasure's receipt is returned: the orders no
 * longer link to the client.
 */
export interface ErasureOutcome {
  readonly receipt: ErasureReceipt;
  readonly openObligations: OpenObligation[] | null;
}

/** Replaces the client's free-text item names in kept orders: accounting needs the lines' quantities and prices, not their words. */
export const DEPERSONALISED_ITEM_NAME = 'item';

/** A letter's registry number: no spaces or Cyrillic, so a name does not slip in as a "reference". */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/;

const conflict = (reason: string, message: string) => apiError('CONFLICT', message, { reason });

/** P4: the subject asks; the DPO executes. One pending request at a time. */
export async function requestErasure(em: EntityManager, clientId: string, evidence: ConsentEvidence, now: Date): Promise<ErasureRequest> {
  return em.transactional(async (tx) => {
    const client = await lockClient(tx, clientId);
    if (!client) throw notFound('Client');
    if (client.status === ClientStatus.ERASED) throw conflict('ERASED', 'This client has been erased');
    const pending = await tx.findOne(ErasureRequest, { client: clientId, status: ErasureRequestStatus.PENDING });
    if (pending) return pending;
    const request = tx.create(ErasureRequest, { client, evidence, requestedAt: now });
    await tx.flush();
    return request;
  });
}

/** The declaration names Client properties: checked against the entity here, where it is known. */
const CLIENT_COLUMNS: ReadonlyArray<PersonalColumn & { readonly property: keyof Client }> = CLIENT_PERSONAL_COLUMNS;

/** Which kinds of data hold a value now: the receipt lists them, never the values. */
async function categoriesHeld(tx: EntityManager, client: Client, sessions: number): Promise<ErasedCategory[]> {
  const [orderContact] = await tx.execute<{ n: number }[]>(
    `select count(*)::int as n from client_order
      where client_id = ? and (${ORDER_PERSONAL_COLUMNS.map((c) => holdsValueSql(c, 'client_order')).join(' or ')})`,
    [client.id],
  );
  const held = new Set<ErasedCategory>(CLIENT_COLUMNS.filter((c) => holdsValue(c, client[c.property])).map((c) => c.category));
  if (sessions > 0) held.add('SESSIONS');
  if ((orderContact?.n ?? 0) > 0) held.add('ORDER_CONTACT');
  return ERASED_CATEGORIES.filter((c) => held.has(c));
}

async function checkBasis(tx: EntityManager, clientId: string, order: ErasureOrder): Promise<{ reference: string | null; requests: ErasureRequest[] }> {
  const requests = await tx.find(ErasureRequest, { client: clientId, status: ErasureRequestStatus.PENDING }, { orderBy: { requestedAt: 'asc' } });
  switch (order.basis) {
    case ErasureBasis.SUBJECT_REQUEST: {
      const request = order.reference ? requests.find((r) => r.id === order.reference) : requests[0];
      if (!request) throw conflict('NO_ERASURE_REQUEST', 'This client has no pending erasure request');
      return { reference: request.id, requests };
    }
    case ErasureBasis.WRITTEN_REQUEST_OFFLINE:
      if (!order.reference || !REFERENCE.test(order.reference)) {
        throw badInput('reference', 'must be the registry number of the letter: 1-64 latin letters, digits, / . _ -');
      }
      return { reference: order.reference, requests };
    case ErasureBasis.RETENTION_ENDED:
      if (order.actor.role !== 'SYSTEM') throw badInput('basis', 'RETENTION_ENDED is applied by the job runner only');
      return { reference: null, requests };
  }
}

/** How the erasure reached us, as the consent record it ends says: a letter, the job runner, or staff acting on the API request. */
const ERASURE_CHANNEL: Record<ErasureBasis, ConsentChannel> = {
  [ErasureBasis.SUBJECT_REQUEST]: ConsentChannel.OPERATOR,
  [ErasureBasis.WRITTEN_REQUEST_OFFLINE]: ConsentChannel.PAPER,
  [ErasureBasis.RETENTION_ENDED]: ConsentChannel.SYSTEM,
};

/**
 * Inside the caller's transaction, with the client row locked. Idempotent: an erased client with
 * a receipt gets that receipt back and nothing is written.
 */
export async function eraseLockedClient(tx: EntityManager, client: Client, order: ErasureOrder): Promise<ErasureOutcome> {
  if (client.status === ClientStatus.ERASED) {
    const done = await tx.findOne(ErasureReceipt, { client: client.id }, { orderBy: { erasedAt: 'desc' } });
    if (done) return { receipt: done, openObligations: null };
  }
  const { reference, requests } = await checkBasis(tx, client.id, order);
  const sessions = await tx.count(Session, { client: client.id });
  const categories = await categoriesHeld(tx, client, sessions);
  const obligations = await openObligations(tx, client.id);

  // Kept for accounting: amount, status, dates, and each line's quantity and price. The item names
  // are the client's own words and the partner would tie the order to a place and a person; and
  // the id is new, because the old one was handed to the client, its partners and staff next to
  // its personal data: whoever kept it could join the row back to the person.
  const orders = await tx.execute<{ affectedRows: number }>(
    `update client_order set id = gen_random_uuid(), client_id = null, tombstone_id = ?, ${emptyAssignments(ORDER_PERSONAL_COLUMNS)},
            partner_id = null,
            items = coalesce((select jsonb_agg(jsonb_build_object('name', ?::text, 'quantity', line->'quantity', 'priceTiyn', line->'priceTiyn') order by n)
                                from jsonb_array_elements(items) with ordinality as lines(line, n)), '[]'::jsonb)
      where client_id = ?`,
    [randomUUID(), DEPERSONALISED_ITEM_NAME, client.id],
    'run',
  );
  await tx.nativeDelete(Session, { client: client.id });
  await tx.nativeDelete(PasswordReset, { client: client.id });
  if (client.login) await forgetLogin(tx, order.throttleSecret, client.login);
  tx.assign(client, {
    ...(Object.fromEntries(CLIENT_COLUMNS.map((c) => [c.property, emptyValue(c)])) as EntityData<Client>),
    status: ClientStatus.ERASED,
    // Every token issued before this moment stops working (P7's revocation mechanism).
    tokenVersion: client.tokenVersion + 1,
  });

  // Erasure ends consent at once (P4 overrides P3's notice period): the record marks when it ended.
  const latest = await latestConsent(tx, client.id);
  if (latest && statusInForce(latest.status)) {
    const act: ConsentAct = {
      actor: order.actor.role,
      actorId: order.actor.role === 'DPO' ? order.actor.id : null,
      channel: ERASURE_CHANNEL[order.basis],
      evidence: { userAgent: null, ipPrefix: null },
      now: order.now,
    };
    appendConsent(tx, latest, act, { kind: ConsentEventKind.WITHDRAWN, status: 'WITHDRAWN', withdrawalEffectiveAt: order.now });
  }

  const receipt = tx.create(ErasureReceipt, {
    client,
    basis: order.basis,
    reference,
    categories,
    ordersDepersonalised: orders.affectedRows,
    sessionsRevoked: sessions,
    actorRole: order.actor.role,
    actorId: order.actor.id,
    erasedAt: order.now,
  });
  for (const request of requests) tx.assign(request, { status: ErasureRequestStatus.DONE, receiptId: receipt.id });
  await tx.flush();
  return { receipt, openObligations: obligations };
}

/** P4, executed by the DPO (or the job runner when retention ended), in one transaction. */
export async function eraseClient(em: EntityManager, clientId: string, order: ErasureOrder): Promise<ErasureOutcome> {
  return em.transactional(async (tx) => {
    const client = await lockClient(tx, clientId);
    if (!client) throw notFound('Client');
    return eraseLockedClient(tx, client, order);
  });
}
