/**
 * A subject's privacy state as SQL reads it: erased or not, and its latest consent record (P2,
 * P3). Every read of a client carries it, from the same statement as the values it governs.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../db/query';
import { placeholders } from '../db/sql';
import type { ConsentPurpose } from '../privacy/categories';
import { IN_FORCE_STATUSES, NO_CONSENT, servesWhileHeld, type ConsentState, type ConsentStatus } from '../privacy/consent-state';
import { ClientStatus } from '../clients/client.entity';
import { OPEN_ORDER_STATUSES } from '../orders/order.entity';

const OPEN_ORDER_LIST = OPEN_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');
const PENDING: ConsentStatus = 'WITHDRAWAL_PENDING';

export interface SubjectState {
  /** Changes with every change to the subject's row or consent: a read can check it was not overtaken. */
  readonly version: string;
  readonly erased: boolean;
  readonly consent: ConsentState;
}

/** Whose data a value is, with the state read beside it (when known) for the privacy decision. */
export interface SubjectRef {
  readonly id: string;
  readonly state?: SubjectState;
  /** Partner callers only: whether the partner serves this client (P5.1), read with the row. */
  readonly served?: boolean;
}

/** Joins each client row `c` to its latest consent record `k` (the current state, P2). */
export const LATEST_CONSENT = `left join lateral (
         select id, status, operations, purposes, withdrawal_effective_at, expires_at from consent
          where client_id = c.id order by recorded_at desc, id desc limit 1) k on true`;

/**
 * Whether open orders hold back the end of consent (P3), for the client `c`; only looked up when
 * the latest record `k` has an end (a pending withdrawal, or an expiry when consents have a term).
 */
const OPEN_OBLIGATIONS = `case when k.status = '${PENDING}' or k.expires_at is not null
         then exists (select 1 from client_order oo where oo.client_id = c.id and oo.status in (${OPEN_ORDER_LIST}))
         else false end`;

/** The columns the state needs, from the client `c` and its latest record `k` (aliases clash with no field). */
export const STATE_COLUMNS = `c.status as "s_status", c.updated_at as "s_updated_at", k.id as "s_consent_id", k.status as "s_consent_status",
       array_to_string(k.operations, ',') as "s_operations", array_to_string(k.purposes, ',') as "s_purposes", k.withdrawal_effective_at as "s_withdrawal_effective_at",
       k.expires_at as "s_expires_at", ${OPEN_OBLIGATIONS} as "s_open_obligations"`;

/** Whether partner `?` serves the client `c` (has an order assigned to it, P5.1). */
export const SERVED_COLUMN = `exists (select 1 from client_order so where so.client_id = c.id and so.partner_id = ?) as "s_served"`;

export interface StateRow {
  s_status: string;
  s_updated_at: Date | string;
  s_consent_id: string | null;
  s_consent_status: ConsentStatus | null;
  /** The record's operations and purposes, comma-separated (they are identifiers): the key of their set. */
  s_operations: string | null;
  s_purposes: string | null;
  s_withdrawal_effective_at: Date | string | null;
  s_expires_at: Date | string | null;
  s_open_obligations: boolean | null;
  s_served?: boolean;
}

const versionOf = (status: string, updatedAt: Date | string, consentId: string | null): string =>
  `${status}|${typeof updatedAt === 'string' ? Date.parse(updatedAt) : updatedAt.getTime()}|${consentId ?? ''}`;

/**
 * The sets of a consent's operations and purposes, one per distinct list: a page's rows mostly
 * share a few, and the sets are read-only (ConsentState), so rows need not each allocate theirs.
 */
const consentSets = new Map<string, ReadonlySet<string>>();
const CONSENT_SETS = 1_000;

function setOf<T extends string>(list: string | null): ReadonlySet<T> {
  const key = list ?? '';
  let set = consentSets.get(key);
  if (!set) {
    set = new Set(key === '' ? [] : key.split(','));
    if (consentSets.size < CONSENT_SETS) consentSets.set(key, set);
  }
  return set as ReadonlySet<T>;
}

const dateOrNull = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

export function stateOf(row: StateRow): SubjectState {
  return {
    version: versionOf(row.s_status, row.s_updated_at, row.s_consent_id),
    erased: row.s_status === ClientStatus.ERASED,
    consent: row.s_consent_status
      ? {
          status: row.s_consent_status,
          operations: setOf(row.s_operations),
          purposes: setOf(row.s_purposes),
          withdrawalEffectiveAt: dateOrNull(row.s_withdrawal_effective_at),
          expiresAt: dateOrNull(row.s_expires_at),
          openObligations: row.s_open_obligations === true,
        }
      : NO_CONSENT,
  };
}

/** Takes the state columns off a row (in place, so the rest is the record) and returns its subject. */
export function takeSubject(id: string, row: Record<string, unknown>): SubjectRef {
  const state = stateOf(row as unknown as StateRow);
  const served = row.s_served as boolean | undefined;
  dropState(row);
  return served === undefined ? { id, state } : { id, state, served };
}

/**
 * Deletes the state columns from a row, newest first: they end every select (STATE_COLUMNS, then
 * SERVED_COLUMN), and V8 keeps an object's fast shape only when what is deleted is its newest
 * property; a row in dictionary mode costs more to read and more to collect.
 */
export function dropState(row: Record<string, unknown>): void {
  for (let i = STATE_KEYS.length - 1; i >= 0; i--) delete row[STATE_KEYS[i]!];
}

const STATE_KEYS = [
  's_status',
  's_updated_at',
  's_consent_id',
  's_consent_status',
  's_operations',
  's_purposes',
  's_withdrawal_effective_at',
  's_expires_at',
  's_open_obligations',
  's_served',
] as const;

/**
 * The SQL twin of `consentInForce(state, now)` for the latest record `k` (LATEST_CONSENT) of the
 * client `c`, with the same clock passed in, so a filter never matches a subject whose data the
 * decision would hide. A consent held by open orders counts only when every purpose the caller
 * acts under is one of finishing them (consentCovers).
 */
export function consentInForceSql(now: Date, purposes: readonly ConsentPurpose[]): { sql: string; params: unknown[] } {
  const endReached = `((k.status = ? and (k.withdrawal_effective_at is null or k.withdrawal_effective_at <= ?::timestamptz))
           or k.expires_at <= ?::timestamptz)`;
  const held = servesWhileHeld(purposes) ? ` or (${OPEN_OBLIGATIONS})` : '';
  return {
    sql: `(k.status in (${placeholders(IN_FORCE_STATUSES)}) and (not coalesce(${endReached}, false)${held}))`,
    params: [...IN_FORCE_STATUSES, PENDING, now, now],
  };
}

/** An id that no longer exists has no one to protect but no one to show either (fail closed). */
export const GONE: SubjectState = { version: 'gone', erased: true, consent: NO_CONSENT };

/** Subjects' states by id, read through `em` (inside a transaction, that transaction's view). */
export async function loadSubjectStates(em: EntityManager, ids: readonly string[]): Promise<Map<string, SubjectState>> {
  if (ids.length === 0) return new Map();
  const rows: Array<StateRow & { id: string }> = await query(
    em,
    `select c.id, ${STATE_COLUMNS} from client c ${LATEST_CONSENT} where c.id = any(?::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, stateOf(row)]));
}

export async function loadSubjectState(em: EntityManager, id: string): Promise<SubjectState> {
  return (await loadSubjectStates(em, [id])).get(id) ?? GONE;
}

/** Just the versions: what a check after a statement of its own reads, without the state around them. */
export async function loadVersions(em: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; status: string; updated_at: Date; consent_id: string | null }> = await query(
    em,
    `select c.id, c.status, c.updated_at,
            (select k.id from consent k where k.client_id = c.id order by k.recorded_at desc, k.id desc limit 1) as consent_id
       from client c where c.id = any(?::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, versionOf(row.status, row.updated_at, row.consent_id)]));
}
