/**
 * The time-driven part of the lifecycle (P3): pending withdrawals take effect, consents expire,
 * data past retention is depersonalised or purged. Idempotent, and safe with several instances:
 * each client is handled in its own transaction under `FOR UPDATE SKIP LOCKED`, and the state is
 * checked again after the lock, so a transition happens once whoever gets there first.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Client } from '../clients/client.entity';
import { applyDueWithdrawal, applyExpiry, lockClient, type Transition } from '../consent/consent-lifecycle';
import { DEFAULT_RETENTION, retentionCutoffs, type RetentionPolicy } from '../consent/retention';
import { ErasureBasis } from '../erasure/erasure.entity';
import { eraseLockedClient } from '../erasure/erasure.service';

export interface JobOptions {
  readonly em: EntityManager;
  /** Injectable clock: tests move time, production passes nothing. */
  readonly now?: () => Date;
  readonly retention?: RetentionPolicy;
  readonly batchSize?: number;
  /** Where a client whose transition failed is reported (by id, error name and SQL code: never a value). */
  readonly log: Logger;
  /** The JWT secret, so that depersonalisation also deletes the login's brute-force counters (null: none exist). */
  readonly throttleSecret: string | null;
}

export interface JobReport {
  withdrawalsApplied: number;
  /** Due, but open orders hold them back (P3). */
  withdrawalsWaiting: number;
  consentsExpired: number;
  /** Past `expiresAt`, but open orders hold them back (P3), as withdrawals wait. */
  expiriesWaiting: number;
  clientsDepersonalised: number;
  ordersPurged: number;
  consentRecordsPurged: number;
  /** Sessions and password-reset tokens past their expiry. */
  sessionsPurged: number;
  passwordResetsPurged: number;
  /** Security events older than RetentionPolicy.securityEventDays. */
  securityEventsPurged: number;
  /** Erasure requests whose evidence (user agent, IP prefix) was dropped: done longer ago than consent records are kept. */
  erasureEvidencePurged: number;
  /** Clients whose transition failed and was rolled back; retried on the next run. */
  failures: number;
}

export const JOBS_ACTOR = { role: 'SYSTEM', id: 'jobs' } as const;

/** The latest consent record of each client, matching `condition` (on `k`), keyset-paged by client id. */
function latestRecordsWhere(condition: string): string {
  return `select k.client_id as id from consent k join client c on c.id = k.client_id
           where c.status <> 'ERASED' and ${condition} and k.client_id > ?
             and not exists (select 1 from consent l where l.client_id = k.client_id and (l.recorded_at, l.id) > (k.recorded_at, k.id))
           order by k.client_id limit ?`;
}

const DUE_WITHDRAWALS = latestRecordsWhere(`k.status = 'WITHDRAWAL_PENDING' and k.withdrawal_effective_at <= ?`);
const DUE_EXPIRIES = latestRecordsWhere(`k.status in ('ACTIVE', 'WITHDRAWAL_PENDING') and k.expires_at <= ?`);
const CONTACT_RETENTION_ENDED = latestRecordsWhere(`k.status in ('WITHDRAWN', 'EXPIRED') and k.recorded_at <= ?`);

type Step = (tx: EntityManager, client: Client) => Promise<Transition>;
type Outcome = Transition | 'FAILED';

/** Error name and SQLSTATE only: database messages can quote the row's values. */
function failureOf(error: unknown): { errorName: string; sqlState: string | null } {
  const code = (error as { code?: unknown } | null)?.code;
  return { errorName: error instanceof Error ? error.name : typeof error, sqlState: typeof code === 'string' ? code : null };
}

/** Runs `step` once for every candidate, each in its own transaction; a client locked elsewhere is left to that holder. */
async function forEachCandidate(
  em: EntityManager,
  log: Logger,
  job: string,
  sql: string,
  at: Date,
  batchSize: number,
  step: Step,
): Promise<Record<Outcome, number>> {
  const counts: Record<Outcome, number> = { APPLIED: 0, WAITING: 0, NOT_DUE: 0, FAILED: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await em.fork().execute<{ id: string }[]>(sql, [at, after, batchSize]);
    for (const { id } of rows) {
      // One client's failure (rolled back on its own) must not hold back everyone after it.
      const outcome = await em
        .fork()
        .transactional(async (tx) => {
          const client = await lockClient(tx, id, { skipLocked: true });
          return client ? step(tx, client) : 'NOT_DUE';
        })
        .catch((error: unknown): Outcome => {
          log.error({ job, clientId: id, ...failureOf(error) }, 'lifecycle job failed for a client; rolled back, retried next run');
          return 'FAILED';
        });
      counts[outcome] += 1;
    }
    if (rows.length < batchSize) return counts;
    after = rows[rows.length - 1]!.id;
  }
}

async function purgeOrders(em: EntityManager, completedBefore: Date, batchSize: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const result = await em.fork().execute<{ affectedRows: number }>(
      `delete from client_order where id in (
         select id from client_order
          where status in ('COMPLETED', 'CANCELLED') and coalesce(completed_at, created_at) < ?
          limit ? for update skip locked)`,
      [completedBefore, batchSize],
      'run',
    );
    purged += result.affectedRows;
    if (result.affectedRows < batchSize) return purged;
  }
}

/** An expired session or reset token authenticates no one: nothing is gained by keeping it. */
async function purgeExpired(em: EntityManager, table: 'session' | 'password_reset', now: Date): Promise<number> {
  const result = await em.fork().execute<{ affectedRows: number }>(`delete from ${table} where expires_at < ?`, [now], 'run');
  return result.affectedRows;
}

/** Security events are kept long enough to answer a dispute about an account takeover, then go. */
async function purgeSecurityEvents(em: EntityManager, before: Date): Promise<number> {
  const result = await em.fork().execute<{ affectedRows: number }>(`delete from security_event where at < ?`, [before], 'run');
  return result.affectedRows;
}

/**
 * An erasure request's evidence is the same proof a consent record keeps, and goes after the same
 * period: counted from the erasure it led to. The request and its receipt stay (what was erased,
 * when, on what basis), only the traces of the device and network are dropped.
 */
async function purgeErasureEvidence(em: EntityManager, erasedBefore: Date): Promise<number> {
  const result = await em.fork().execute<{ affectedRows: number }>(
    `update erasure_request q set evidence = '{"userAgent": null, "ipPrefix": null}'::jsonb
       from erasure_receipt r
      where r.id = q.receipt_id and r.erased_at < ? and (q.evidence->>'userAgent' is not null or q.evidence->>'ipPrefix' is not null)`,
    [erasedBefore],
    'run',
  );
  return result.affectedRows;
}

export async function runJobs(options: JobOptions): Promise<JobReport> {
  const now = (options.now ?? (() => new Date()))();
  const retention = options.retention ?? DEFAULT_RETENTION;
  const batchSize = options.batchSize ?? 200;
  const cutoffs = retentionCutoffs(now, retention);
  const { em, log } = options;
  const erasure = { basis: ErasureBasis.RETENTION_ENDED, reference: null, actor: JOBS_ACTOR, now, throttleSecret: options.throttleSecret };
  // With no grace period, consent ending and depersonalisation are one transaction: no window
  // in which a withdrawn client's data is still held.
  const depersonaliseAtOnce = async (tx: EntityManager, client: Client, outcome: Transition): Promise<Transition> => {
    if (outcome === 'APPLIED' && retention.contactDaysAfterConsentEnds === 0) {
      await eraseLockedClient(tx, client, erasure);
    }
    return outcome;
  };

  const withdrawals = await forEachCandidate(em, log, 'withdrawal', DUE_WITHDRAWALS, now, batchSize, async (tx, client) =>
    depersonaliseAtOnce(tx, client, await applyDueWithdrawal(tx, client, now)),
  );
  const expiries = await forEachCandidate(em, log, 'expiry', DUE_EXPIRIES, now, batchSize, async (tx, client) =>
    depersonaliseAtOnce(tx, client, await applyExpiry(tx, client, now)),
  );
  const depersonalised = await forEachCandidate(em, log, 'depersonalisation', CONTACT_RETENTION_ENDED, cutoffs.contactConsentEndedBefore, batchSize, async (tx, client) => {
    // Re-checked under the lock: the client may have been erased, or consent given again, meanwhile.
    const [latest] = await tx.execute<{ status: string; recorded_at: Date }[]>(
      `select status, recorded_at from consent where client_id = ? order by recorded_at desc, id desc limit 1`,
      [client.id],
    );
    if (client.status === 'ERASED' || !latest || !['WITHDRAWN', 'EXPIRED'].includes(latest.status)) return 'NOT_DUE';
    if (new Date(latest.recorded_at) > cutoffs.contactConsentEndedBefore) return 'NOT_DUE';
    await eraseLockedClient(tx, client, erasure);
    return 'APPLIED';
  });
  const ordersPurged = await purgeOrders(em, cutoffs.ordersCompletedBefore, batchSize);
  const [consentPurge] = await em.fork().execute<{ purged: number }[]>(`select purge_consent_records(?) as purged`, [cutoffs.consentEndedBefore]);

  return {
    withdrawalsApplied: withdrawals.APPLIED,
    withdrawalsWaiting: withdrawals.WAITING,
    consentsExpired: expiries.APPLIED,
    expiriesWaiting: expiries.WAITING,
    clientsDepersonalised: depersonalised.APPLIED + (retention.contactDaysAfterConsentEnds === 0 ? withdrawals.APPLIED + expiries.APPLIED : 0),
    ordersPurged,
    consentRecordsPurged: consentPurge?.purged ?? 0,
    sessionsPurged: await purgeExpired(em, 'session', now),
    passwordResetsPurged: await purgeExpired(em, 'password_reset', now),
    securityEventsPurged: await purgeSecurityEvents(em, cutoffs.securityEventsBefore),
    erasureEvidencePurged: await purgeErasureEvidence(em, cutoffs.consentEndedBefore),
    failures: withdrawals.FAILED + expiries.FAILED + depersonalised.FAILED,
  };
}
