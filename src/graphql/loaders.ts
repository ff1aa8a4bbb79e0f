/**
 * Per-request batching: one SQL statement per kind of lookup, whatever the page size. Loaders
 * live in the request context and die with it, so nothing personal is cached across callers.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, ClientStatus } from '../clients/client.entity';
import { Consent } from '../consent/consent.entity';
import { OPEN_ORDER_STATUSES, Order } from '../orders/order.entity';
import type { ConsentOperation, ConsentPurpose } from '../privacy/categories';
import { IN_FORCE_STATUSES, NO_CONSENT, servesWhileHeld, type ConsentStatus } from '../privacy/consent-state';
import { placeholders } from '../db/sql';
import type { SubjectState } from './request-privacy';

export interface Loaders {
  readonly client: DataLoader<string, Client | null>;
  readonly subjectState: DataLoader<string, SubjectState>;
  readonly consents: DataLoader<string, Consent[]>;
  /**
   * Each client's newest `first` orders; with `partnerId`, only those assigned to that partner
   * (P5.1), chosen in SQL so a client's orders with others never crowd the partner's own out.
   */
  orders(first: number, partnerId?: string | null): DataLoader<string, Order[]>;
  /** Seeds both loaders with a row read together with its state (see loadClientsWithState). */
  prime(found: ClientWithState): void;
  /** The state of a subject already loaded in this request, if any. */
  knownState(id: string): SubjectState | undefined;
  /** The subject's version read afresh (not cached for the request): what has committed since. */
  readonly currentVersion: DataLoader<string, string>;
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string | null): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

interface SubjectRow {
  id: string;
  status: ClientStatus;
  consent_status: ConsentStatus | null;
  operations: ConsentOperation[] | null;
  purposes: ConsentPurpose[] | null;
  withdrawal_effective_at: Date | null;
  expires_at: Date | null;
  open_obligations: boolean | null;
  updated_at: Date | string;
  consent_id: string | null;
}

/** Joins each client row `c` to its latest consent record `k` (the current state, P2). */
export const LATEST_CONSENT = `left join lateral (
         select id, status, operations, purposes, withdrawal_effective_at, expires_at from consent
          where client_id = c.id order by recorded_at desc, id desc limit 1) k on true`;

const PENDING: ConsentStatus = 'WITHDRAWAL_PENDING';
const OPEN_ORDER_LIST = OPEN_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * Whether open orders hold back the end of consent (P3), for the client `c`; only looked up when
 * the latest record `k` has an end (a pending withdrawal, or an expiry when consents have a term).
 */
const OPEN_OBLIGATIONS = `case when k.status = '${PENDING}' or k.expires_at is not null
         then exists (select 1 from client_order o where o.client_id = c.id and o.status in (${OPEN_ORDER_LIST}))
         else false end`;

/** The latest consent record's columns the privacy state needs (names clash with no client column). */
const STATE_COLUMNS = `k.id as consent_id, k.status as consent_status, k.operations, k.purposes, k.withdrawal_effective_at, k.expires_at,
       ${OPEN_OBLIGATIONS} as open_obligations`;

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

/**
 * What changes when anything the privacy decision or a reader relies on changes: the row (an
 * erasure, new contacts) or the latest consent record (a withdrawal, an expiry).
 */
const versionOf = (row: Pick<SubjectRow, 'status' | 'updated_at' | 'consent_id'>): string =>
  `${row.status}|${new Date(row.updated_at).getTime()}|${row.consent_id ?? ''}`;

/** Just the versions: what the check after a client's lists reads, without the state around them. */
async function loadVersions(em: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  const rows: Array<Pick<SubjectRow, 'id' | 'status' | 'updated_at' | 'consent_id'>> = await em.execute(
    `select c.id, c.status, c.updated_at,
            (select k.id from consent k where k.client_id = c.id order by k.recorded_at desc, k.id desc limit 1) as consent_id
       from client c where c.id in (${placeholders(ids)})`,
    [...ids],
  );
  return new Map(rows.map((row) => [row.id, versionOf(row)]));
}

function subjectStateOf(row: SubjectRow): SubjectState {
  return {
    version: versionOf(row),
    erased: row.status === ClientStatus.ERASED,
    consent: row.consent_status
      ? {
          status: row.consent_status,
          operations: new Set(row.operations ?? []),
          purposes: new Set(row.purposes ?? []),
          withdrawalEffectiveAt: row.withdrawal_effective_at ? new Date(row.withdrawal_effective_at) : null,
          expiresAt: row.expires_at ? new Date(row.expires_at) : null,
          openObligations: row.open_obligations === true,
        }
      : NO_CONSENT,
  };
}

/** The state the privacy decision needs: erased or not, and the latest consent record. */
export async function loadSubjectStates(em: EntityManager, ids: readonly string[]): Promise<Map<string, SubjectState>> {
  // em.execute, not the raw connection: inside a transaction it must read that transaction's view.
  const rows: SubjectRow[] = await em.execute(
    `select c.id, c.status, c.updated_at, ${STATE_COLUMNS}
       from client c
       ${LATEST_CONSENT}
      where c.id in (${placeholders(ids)})`,
    [...ids],
  );
  return new Map(rows.map((row) => [row.id, subjectStateOf(row)]));
}

/**
 * Client rows with their privacy state, read in one statement: an erasure or a withdrawal
 * committing meanwhile is seen wholly or not at all (never a row from before with a state from after).
 */
export const CLIENT_WITH_STATE_COLUMNS = `c.*, ${STATE_COLUMNS}`;

export interface ClientWithState {
  readonly client: Client;
  readonly state: SubjectState;
}

/** Maps a row selected with CLIENT_WITH_STATE_COLUMNS (the password hash never leaves here). */
export function clientWithState(em: EntityManager, row: Record<string, unknown>): ClientWithState {
  const { consent_id, consent_status, operations, purposes, withdrawal_effective_at, expires_at, open_obligations, password_hash: _hash, ...columns } = row;
  return {
    client: em.map(Client, columns),
    state: subjectStateOf({
      id: String(columns.id),
      status: columns.status as ClientStatus,
      updated_at: columns.updated_at,
      consent_id,
      consent_status,
      operations,
      purposes,
      withdrawal_effective_at,
      expires_at,
      open_obligations,
    } as SubjectRow),
  };
}

async function loadClientsWithState(em: EntityManager, ids: readonly string[]): Promise<ClientWithState[]> {
  const rows: Array<Record<string, unknown>> = await em.execute(
    `select ${CLIENT_WITH_STATE_COLUMNS} from client c ${LATEST_CONSENT} where c.id in (${placeholders(ids)})`,
    [...ids],
  );
  return rows.map((row) => clientWithState(em, row));
}

/** An id that no longer exists has no one to protect but no one to show either (fail closed). */
const GONE: SubjectState = { version: 'gone', erased: true, consent: NO_CONSENT };

/** One subject's state, read through `em` (inside a transaction, that transaction's view). */
export async function loadSubjectState(em: EntityManager, id: string): Promise<SubjectState> {
  return (await loadSubjectStates(em, [id])).get(id) ?? GONE;
}

export function createLoaders(em: EntityManager): Loaders {
  const ordersByPage = new Map<string, DataLoader<string, Order[]>>();
  const known = new Map<string, SubjectState>();
  const subjectState = new DataLoader<string, SubjectState>(async (ids) => {
    const states = await loadSubjectStates(em, ids);
    return ids.map((id) => {
      const state = states.get(id) ?? GONE;
      known.set(id, state);
      return state;
    });
  });
  const remember = (id: string, state: SubjectState) => {
    known.set(id, state);
    subjectState.clear(id).prime(id, state);
  };
  const prime = ({ client: row, state }: ClientWithState) => {
    // The @pii guard then decides on the state read with the row.
    remember(row.id, state);
    client.clear(row.id).prime(row.id, row);
  };
  const client: DataLoader<string, Client | null> = new DataLoader(async (ids) => {
    const found = await loadClientsWithState(em, ids);
    for (const { client: row, state } of found) remember(row.id, state);
    const byId = new Map(found.map(({ client: row }) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    client,
    subjectState,
    prime,
    knownState: (id) => known.get(id),
    currentVersion: new DataLoader(async (ids) => {
      const versions = await loadVersions(em, ids);
      return ids.map((id) => versions.get(id) ?? GONE.version);
    }, { cache: false }),
    consents: new DataLoader(async (ids) => {
      const rows = await em.find(Consent, { client: { $in: [...ids] } }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
      return groupBy(ids, rows, (c) => c.client?.id ?? null);
    }),
    orders(first, partnerId = null) {
      const key = `${first}:${partnerId ?? ''}`;
      let loader = ordersByPage.get(key);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const partner = partnerId ? { sql: 'o.partner_id = ? and ', params: [partnerId] } : { sql: '', params: [] };
          const rows: Record<string, unknown>[] = await em.getConnection().execute(
            `select t.* from (
               select o.*, row_number() over (partition by o.client_id order by o.created_at desc, o.id desc) as page_rank
                 from client_order o where ${partner.sql}o.client_id in (${placeholders(ids)})) t
              where t.page_rank <= ? order by t.created_at desc, t.id desc`,
            [...partner.params, ...ids, first],
          );
          const orders = rows.map(({ page_rank: _rank, ...row }) => em.map(Order, row));
          return groupBy(ids, orders, (o) => o.client?.id ?? null);
        });
        ordersByPage.set(key, loader);
      }
      return loader;
    },
  };
}
