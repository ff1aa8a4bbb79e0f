/**
 * The `clients` page as one keyset-paginated SQL statement (plus a count when asked). Cursors are
 * opaque; they hold the sort key of the last row, so they are only handed to callers who may sort
 * by that key.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLIENT_CURSOR_SORTS, decodeCursor } from '../graphql/cursor';
import { CLIENT_WITH_STATE_COLUMNS, clientWithState, consentInForceSql, LATEST_CONSENT, type ClientWithState } from '../graphql/loaders';
import { placeholders } from '../db/sql';
import type { PiiCategory } from '../privacy/categories';
import type { Basis } from '../privacy/policy';
import { Client, ClientStatus } from './client.entity';
import { ClientSortField, SortDirection, type ClientFilter, type ClientOrderBy } from './client.inputs';

interface Condition {
  sql: string;
  params: unknown[];
}

export interface ClientQuery {
  readonly conditions: Condition[];
  readonly sort: { expr: string; field: ClientSortField; direction: SortDirection };
  /** Personal categories the filter or sort reads: the caller must see them in full. */
  readonly categoriesUsed: PiiCategory[];
  /** Whether the filter (not only the sort) matches on personal values. */
  readonly filtersPersonalData: boolean;
}

const SORT_EXPRESSIONS: Record<ClientSortField, string> = {
  [ClientSortField.CREATED_AT]: 'c.created_at',
  // Code-point order: the same on every server, whatever its default collation.
  [ClientSortField.SURNAME]: `coalesce(c.surname, '') collate "C"`,
};

export function buildClientQuery(filter: ClientFilter | null | undefined, orderBy: ClientOrderBy | null | undefined): ClientQuery {
  const conditions: Condition[] = [];
  const categoriesUsed: PiiCategory[] = [];
  if (filter?.status) conditions.push({ sql: 'c.status = ?', params: [filter.status] });
  if (filter?.kind) conditions.push({ sql: 'c.kind = ?', params: [filter.kind] });
  if (filter?.surname) {
    categoriesUsed.push('FULL_NAME');
    conditions.push({ sql: 'lower(c.surname) = lower(?)', params: [filter.surname.trim()] });
  }
  if (filter?.phone) {
    categoriesUsed.push('PHONE');
    conditions.push({ sql: '? = any(c.phones)', params: [filter.phone.trim()] });
  }
  if (filter?.email) {
    categoriesUsed.push('EMAIL');
    conditions.push({ sql: '? = any(c.emails)', params: [filter.email.trim().toLowerCase()] });
  }
  if (filter?.iinOrBin) {
    categoriesUsed.push('OFFICIAL_REQUISITES');
    conditions.push({ sql: '(c.iin = ? or c.bin = ?)', params: [filter.iinOrBin.trim(), filter.iinOrBin.trim()] });
  }
  const filtersPersonalData = categoriesUsed.length > 0;
  const field = orderBy?.field ?? ClientSortField.CREATED_AT;
  if (field === ClientSortField.SURNAME) categoriesUsed.push('FULL_NAME');
  return {
    conditions,
    sort: { expr: SORT_EXPRESSIONS[field], field, direction: orderBy?.direction ?? SortDirection.ASC },
    categoriesUsed: [...new Set(categoriesUsed)],
    filtersPersonalData,
  };
}

/**
 * A filter over personal data is an oracle. It never matches an erased subject, for anyone: values
 * a fault or a late write left behind must not make the erased findable (P4). For a consent-based
 * caller, a filter or sort on personal data also matches only subjects whose consent is in force
 * at `now` and covers the caller's purpose (P2, P3), by the same rule as the field decision.
 */
export function restrictPersonalSearch(query: ClientQuery, basis: Basis, now: Date): ClientQuery {
  const consent = query.categoriesUsed.length > 0 && basis.kind === 'CONSENT' ? basis : null;
  if (!query.filtersPersonalData && !consent) return query;
  const conditions = [...query.conditions, { sql: 'c.status <> ?', params: [ClientStatus.ERASED] }];
  if (consent) {
    const inForce = consentInForceSql(now);
    conditions.push({
      sql: `exists (select 1 from (select status, purposes, operations, withdrawal_effective_at, expires_at from consent
                where client_id = c.id order by recorded_at desc, id desc limit 1) k
              where ${inForce.sql}
                and k.purposes @> array[${placeholders(consent.purposes)}]::text[]
                and k.operations @> array[${placeholders(consent.operations)}]::text[])`,
      params: [...inForce.params, ...consent.purposes, ...consent.operations],
    });
  }
  return { ...query, conditions };
}

function whereClause(conditions: Condition[]): Condition {
  if (conditions.length === 0) return { sql: 'true', params: [] };
  return { sql: conditions.map((c) => `(${c.sql})`).join(' and '), params: conditions.flatMap((c) => c.params) };
}

export function sortKeyOf(client: Client, field: ClientSortField): string {
  return field === ClientSortField.SURNAME ? (client.surname ?? '') : client.createdAt.toISOString();
}

export async function fetchClientPage(
  em: EntityManager,
  query: ClientQuery,
  first: number,
  after: string | null | undefined,
): Promise<{ clients: ClientWithState[]; hasNextPage: boolean }> {
  const conditions = [...query.conditions];
  const op = query.sort.direction === SortDirection.ASC ? '>' : '<';
  if (after) {
    const [key, id] = decodeCursor(after, CLIENT_CURSOR_SORTS[query.sort.field]);
    const keySql = query.sort.field === ClientSortField.CREATED_AT ? '?::timestamptz' : '?';
    conditions.push({ sql: `(${query.sort.expr}, c.id) ${op} (${keySql}, ?::uuid)`, params: [key, id] });
  }
  const where = whereClause(conditions);
  const dir = query.sort.direction === SortDirection.ASC ? 'asc' : 'desc';
  // Rows and their consent state in one statement, so the page never mixes before and after.
  const rows: Record<string, unknown>[] = await em.execute(
    `select ${CLIENT_WITH_STATE_COLUMNS} from client c ${LATEST_CONSENT}
      where ${where.sql} order by ${query.sort.expr} ${dir}, c.id ${dir} limit ?`,
    [...where.params, first + 1],
  );
  const clients = rows.slice(0, first).map((row) => clientWithState(em, row));
  return { clients, hasNextPage: rows.length > first };
}

export async function countClients(em: EntityManager, query: ClientQuery): Promise<number> {
  const where = whereClause(query.conditions);
  const [row] = await em.getConnection().execute<{ n: string }[]>(`select count(*) as n from client c where ${where.sql}`, where.params);
  return Number(row?.n ?? 0);
}
