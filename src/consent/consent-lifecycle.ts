/**
 * Consent after registration (P2, P3): opting out of marketing, withdrawal with notice, its
 * cancellation, and the time-driven transitions the job runner applies. Every change appends a
 * record; the database refuses updates and deletes of `consent` (see the migration's trigger).
 *
 * Every writer first locks the client row (`FOR UPDATE`): appends for one subject are serial, so
 * "the latest record" is well defined and two writers never both act on the same state.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, ClientStatus } from '../clients/client.entity';
import { apiError, badInput, notFound } from '../errors';
import { loadSubjectState } from '../subjects/subject-state';
import { OPEN_ORDER_STATUSES, Order, OrderStatus } from '../orders/order.entity';
import { statusInForce } from '../privacy/consent-state';
import { decideRelation, type Caller } from '../privacy/decide';
import { Consent, ConsentChannel, ConsentEventKind, type ConsentActor, type ConsentEvidence } from './consent.entity';
import { formatDay, kazakhstanDayOf, withdrawalEffectiveAt, withdrawalIsDue, type CalendarDay } from './withdrawal-dates';

/** Who acts, through which channel, with what proof, and when (the clock is the caller's). */
export interface ConsentAct {
  readonly actor: ConsentActor;
  /** The staff account for OPERATOR and DPO; null for the subject and the system. */
  readonly actorId: string | null;
  readonly channel: ConsentChannel;
  readonly evidence: ConsentEvidence;
  readonly now: Date;
}

/** An order the Company still owes the client something on (P3: it holds back the withdrawal). */
export interface OpenObligation {
  readonly orderId: string;
  readonly status: OrderStatus;
}

export const MAX_NOTICE_LENGTH = 20_000;

const SYSTEM_EVIDENCE: ConsentEvidence = { userAgent: null, ipPrefix: null };

export function systemAct(now: Date): ConsentAct {
  return { actor: 'SYSTEM', actorId: null, channel: ConsentChannel.SYSTEM, evidence: SYSTEM_EVIDENCE, now };
}

const conflict = (reason: string, message: string) => apiError('CONFLICT', message, { reason });

/**
 * Locks the client row for the rest of the transaction and loads it. `skipLocked`: return null
 * instead of waiting when another transaction holds it (the job runner's way of sharing work).
 */
export async function lockClient(tx: EntityManager, clientId: string, options: { skipLocked?: boolean } = {}): Promise<Client | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `select id from client where id = ? for update${options.skipLocked ? ' skip locked' : ''}`,
    [clientId],
  );
  if (rows.length === 0) return null;
  return tx.findOne(Client, { id: clientId }, { refresh: true, populate: ['passwordHash'] });
}

export async function latestConsent(tx: EntityManager, clientId: string): Promise<Consent | null> {
  return tx.findOne(Consent, { client: clientId }, { orderBy: { recordedAt: 'desc', id: 'desc' }, refresh: true });
}

export async function openObligations(tx: EntityManager, clientId: string): Promise<OpenObligation[]> {
  const orders = await tx.find(
    Order,
    { client: clientId, status: { $in: [...OPEN_ORDER_STATUSES] } },
    { fields: ['id', 'status'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return orders.map((o) => ({ orderId: o.id, status: o.status }));
}

/**
 * A new record carrying the previous one forward with `changes`. Its time is strictly after the
 * previous record's, so the order of the history never depends on ties.
 */
export function appendConsent(
  tx: EntityManager,
  previous: Consent,
  act: ConsentAct,
  changes: Pick<Consent, 'kind' | 'status'> & Partial<Pick<Consent, 'purposes' | 'withdrawalNoticeAt' | 'withdrawalEffectiveAt' | 'noticeSha256' | 'noticeLength'>>,
): Consent {
  const recordedAt = new Date(Math.max(act.now.getTime(), previous.recordedAt.getTime() + 1));
  return tx.create(Consent, {
    client: previous.client,
    policyVersion: previous.policyVersion,
    policyTextHash: previous.policyTextHash,
    operations: [...previous.operations],
    purposes: [...previous.purposes],
    givenAt: previous.givenAt,
    withdrawalNoticeAt: previous.withdrawalNoticeAt,
    withdrawalEffectiveAt: previous.withdrawalEffectiveAt,
    expiresAt: previous.expiresAt,
    noticeSha256: null,
    noticeLength: null,
    channel: act.channel,
    evidence: act.evidence,
    actor: act.actor,
    actorId: act.actorId,
    recordedAt,
    ...changes,
  });
}

/** The locked, not erased client and its latest consent record, or the reason why not. */
async function subjectForChange(tx: EntityManager, clientId: string): Promise<{ client: Client; latest: Consent }> {
  const client = await lockClient(tx, clientId);
  if (!client) throw notFound('Client');
  if (client.status === ClientStatus.ERASED) throw conflict('ERASED', 'This client has been erased');
  const latest = await latestConsent(tx, clientId);
  if (!latest) throw conflict('NO_CONSENT', 'There is no consent on record');
  return { client, latest };
}

/**
 * A change's answer is a consent record, so `reader` (who it goes to; null when it goes to no one)
 * gets it only where client.consents would serve it (decideRelation, P2, P3): otherwise FORBIDDEN
 * with the redaction's reason, decided on the locked state before anything is written.
 */
async function assertHistoryServed(tx: EntityManager, clientId: string, reader: Caller | null, now: Date): Promise<void> {
  if (!reader) return;
  const { erased, consent } = await loadSubjectState(tx, clientId);
  // No grant opens the consent history (P5): whether one names this subject changes nothing, so it is not looked up.
  const decision = decideRelation('CONSENTS', reader, { id: clientId, erased, consent, granted: false }, now);
  if (decision.access === 'HIDDEN') {
    throw apiError('FORBIDDEN', "This client's consent history is not served to this caller", { reason: decision.reason });
  }
}

/** P2 purpose 7 off, at once. Nothing else changes; already off (or consent ended): no new record. */
export async function optOutOfMarketing(em: EntityManager, clientId: string, act: ConsentAct, reader: Caller | null = null): Promise<Consent> {
  return em.transactional(async (tx) => {
    const { latest } = await subjectForChange(tx, clientId);
    await assertHistoryServed(tx, clientId, reader, act.now);
    if (!statusInForce(latest.status) || !latest.purposes.includes('MARKETING')) {
      return latest;
    }
    const record = appendConsent(tx, latest, act, {
      kind: ConsentEventKind.PURPOSES_NARROWED,
      status: latest.status,
      purposes: latest.purposes.filter((p) => p !== 'MARKETING'),
    });
    await tx.flush();
    return record;
  });
}

export interface WithdrawalRequest {
  readonly consent: Consent;
  readonly effectiveDay: string;
  readonly openObligations: OpenObligation[];
}

export function noticeDigest(notice: string): { noticeSha256: string; noticeLength: number } {
  return { noticeSha256: createHash('sha256').update(notice, 'utf8').digest('hex'), noticeLength: [...notice].length };
}

/** P3: written notice now, effect on the requested day but no earlier than 3 calendar months later. */
export async function requestWithdrawal(
  em: EntityManager,
  clientId: string,
  input: { notice: string; requestedDay: CalendarDay | null },
  act: ConsentAct,
  reader: Caller | null = null,
): Promise<WithdrawalRequest> {
  if (input.notice.trim() === '') throw badInput('notice', 'must not be blank');
  if (input.notice.length > MAX_NOTICE_LENGTH) throw badInput('notice', `must be at most ${MAX_NOTICE_LENGTH} characters`);
  return em.transactional(async (tx) => {
    const { latest } = await subjectForChange(tx, clientId);
    await assertHistoryServed(tx, clientId, reader, act.now);
    if (latest.status === 'WITHDRAWAL_PENDING') throw conflict('WITHDRAWAL_PENDING', 'A withdrawal is already pending');
    // Past its expiry consent has ended, whether or not the job runner has recorded it (P3).
    if (latest.status !== 'ACTIVE' || (latest.expiresAt !== null && act.now >= latest.expiresAt)) {
      throw conflict('CONSENT_NOT_IN_FORCE', 'Consent is not in force');
    }
    const effectiveAt = withdrawalEffectiveAt(act.now, input.requestedDay);
    const consent = appendConsent(tx, latest, act, {
      kind: ConsentEventKind.WITHDRAWAL_REQUESTED,
      status: 'WITHDRAWAL_PENDING',
      withdrawalNoticeAt: act.now,
      withdrawalEffectiveAt: effectiveAt,
      ...noticeDigest(input.notice),
    });
    const obligations = await openObligations(tx, clientId);
    await tx.flush();
    return { consent, effectiveDay: formatDay(kazakhstanDayOf(effectiveAt)), openObligations: obligations };
  });
}

/** Back to ACTIVE, while the withdrawal has not taken effect and is not yet due. */
export async function cancelWithdrawal(em: EntityManager, clientId: string, act: ConsentAct): Promise<Consent> {
  return em.transactional(async (tx) => {
    const { latest } = await subjectForChange(tx, clientId);
    if (latest.status !== 'WITHDRAWAL_PENDING' || !latest.withdrawalEffectiveAt) {
      throw conflict('NO_PENDING_WITHDRAWAL', 'There is no pending withdrawal to cancel');
    }
    const open = (await openObligations(tx, clientId)).length;
    if (withdrawalIsDue(act.now, latest.withdrawalEffectiveAt, open)) {
      throw conflict('WITHDRAWAL_DUE', 'The withdrawal has reached its effective date');
    }
    const record = appendConsent(tx, latest, act, {
      kind: ConsentEventKind.WITHDRAWAL_CANCELLED,
      status: 'ACTIVE',
      withdrawalNoticeAt: null,
      withdrawalEffectiveAt: null,
    });
    await tx.flush();
    return record;
  });
}

export type Transition = 'APPLIED' | 'WAITING' | 'NOT_DUE';

/**
 * Job runner, inside its transaction with the client locked: a pending withdrawal whose day has
 * come and which no open obligation holds back becomes WITHDRAWN.
 */
export async function applyDueWithdrawal(tx: EntityManager, client: Client, now: Date): Promise<Transition> {
  const latest = await latestConsent(tx, client.id);
  if (!latest || latest.status !== 'WITHDRAWAL_PENDING' || !latest.withdrawalEffectiveAt) return 'NOT_DUE';
  if (now < latest.withdrawalEffectiveAt) return 'NOT_DUE';
  if ((await openObligations(tx, client.id)).length > 0) return 'WAITING';
  appendConsent(tx, latest, systemAct(now), { kind: ConsentEventKind.WITHDRAWN, status: 'WITHDRAWN' });
  await tx.flush();
  return 'APPLIED';
}

/** Job runner: consent in force past its `expiresAt` becomes EXPIRED; open obligations hold it too. */
export async function applyExpiry(tx: EntityManager, client: Client, now: Date): Promise<Transition> {
  const latest = await latestConsent(tx, client.id);
  if (!latest || !statusInForce(latest.status)) return 'NOT_DUE';
  if (!latest.expiresAt || now < latest.expiresAt) return 'NOT_DUE';
  if ((await openObligations(tx, client.id)).length > 0) return 'WAITING';
  appendConsent(tx, latest, systemAct(now), { kind: ConsentEventKind.EXPIRED, status: 'EXPIRED' });
  await tx.flush();
  return 'APPLIED';
}
