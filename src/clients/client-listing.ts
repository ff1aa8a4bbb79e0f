/**
 * The `clients` page as one keyset-paginated SQL statement (plus a count when asked). Cursors are
 * opaque: a creation-time cursor holds the time and id of its row, a surname cursor only the id
 * (see src/graphql/cursor.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../errors';
import { CLIENT_CURSOR_SORTS, decodeCursor, decodeRowCursor, encodeCursor, encodeRowCursor } from '../graphql/cursor';
import { placeholders } from '../db/sql';
import { given } from '../validation/client-filter';
import type { PiiCategory } from '../privacy/categories';
import { clientColumn, PERSONAL_FILTERS, type PersonalFilter, type PersonalFilterName } from '../privacy/personal-columns';
import type { Basis } from '../privacy/policy';
import { ClientStatus } from './client.entity';
import { readClientRows, type ClientReadSpec } from '../subjects/client-store';
import type { ClientRecord } from '../subjects/records';
import { consentInForceSql } from '../subjects/subject-state';
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
}

const SORT_EXPRESSIONS: Record<ClientSortField, string> = {
  [ClientSortField.CREATED_AT]: 'c.created_at',
  // Code-point order: the same on every server, whatever its default collation.
  [ClientSortField.SURNAME]: `coalesce(c.surname, '') collate "C"`,
};

/** The surname sort reads the surname column, so permission is judged on its category. */
const SURNAME_CATEGORY = clientColumn('surname').category;

/** A personal filter matches a row when any of its columns holds the value. */
function matchCondition(personal: PersonalFilter, value: string): Condition {
  const matches = personal.columns.map((c) => {
    if (c.emptied === 'text[]') return `? = any(c.${c.column})`;
    return c.filter.match === 'caseless' ? `lower(c.${c.column}) = lower(?)` : `c.${c.column} = ?`;
  });
  return { sql: matches.length === 1 ? matches[0]! : `(${matches.join(' or ')})`, params: matches.map(() => value) };
}

/**
 * The personal categories a filter or sort reads, judged by which fields are given, not by their
 * values: permission is checked on this before any value is validated, so a caller who may not
 * filter by a field learns nothing from how its value is judged (a filter is an oracle, P1).
 */
export function personalCategoriesOf(
  filter: Partial<Record<PersonalFilterName, string | null>> | null | undefined,
  orderBy: ClientOrderBy | null | undefined,
): PiiCategory[] {
  const used = PERSONAL_FILTERS.filter((f) => given(filter?.[f.name])).map((f) => f.category);
  if (orderBy?.field === ClientSortField.SURNAME) used.push(SURNAME_CATEGORY);
  return [...new Set(used)];
}

/** For a filter already normalised (normaliseClientFilter): its values are in their stored form. */
export function buildClientQuery(filter: ClientFilter | null | undefined, orderBy: ClientOrderBy | null | undefined): ClientQuery {
  const conditions: Condition[] = [];
  if (filter?.status) conditions.push({ sql: 'c.status = ?', params: [filter.status] });
  if (filter?.kind) conditions.push({ sql: 'c.kind = ?', params: [filter.kind] });
  for (const personal of PERSONAL_FILTERS) {
    const value = filter?.[personal.name];
    if (given(value)) conditions.push(matchCondition(personal, value));
  }
  const field = orderBy?.field ?? ClientSortField.CREATED_AT;
  return {
    conditions,
    sort: { expr: SORT_EXPRESSIONS[field], field, direction: orderBy?.direction ?? SortDirection.ASC },
    categoriesUsed: personalCategoriesOf(filter, orderBy),
  };
}

/**
 * A filter over personal data is an oracle, and a sort on it tells where each value falls. Neither
 * ever reaches an erased subject, for anyone: values a fault or a late write left behind must not
 * make the erased findable or place them in surname order (P4). For a consent-based caller, they
 * also reach only subjects whose consent is in force at `now` and covers the caller's purpose (P2,
 * P3), by the same rule as the field decision. So every row of such a page is one whose sort value
 * the caller sees in full.
 */
export function restrictPersonalSearch(query: ClientQuery, basis: Basis, now: Date): ClientQuery {
  if (query.categoriesUsed.length === 0) return query;
  const consent = basis.kind === 'CONSENT' ? basis : null;
  const conditions = [...query.conditions, { sql: 'c.status <> ?', params: [ClientStatus.ERASED] }];
  if (consent) {
    const inForce = consentInForceSql(now, consent.purposes);
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

export function cursorOf(client: Pick<ClientRecord, 'id' | 'createdAt'>, field: ClientSortField): string {
  const sort = CLIENT_CURSOR_SORTS[field];
  return sort.key === 'row' ? encodeRowCursor(sort, client.id) : encodeCursor(sort, client.createdAt.toISOString(), client.id);
}

export async function fetchClientPage(
  em: EntityManager,
  query: ClientQuery,
  first: number,
  after: string | null | undefined,
  spec: ClientReadSpec,
): Promise<{ clients: ClientRecord[]; hasNextPage: boolean }> {
  const conditions = [...query.conditions];
  const op = query.sort.direction === SortDirection.ASC ? '>' : '<';
  const sort = CLIENT_CURSOR_SORTS[query.sort.field];
  let anchor: string | null = null;
  if (after && sort.key === 'timestamp') {
    const [key, id] = decodeCursor(after, sort);
    conditions.push({ sql: `(${query.sort.expr}, c.id) ${op} (?::timestamptz, ?::uuid)`, params: [key, id] });
  }
  if (after && sort.key === 'row') {
    anchor = decodeRowCursor(after, sort);
    // The anchor's key is read from its row only while that row is in this very list, so a cursor
    // pointed at a row the caller may not see tells nothing of where its value sorts. `>=` returns
    // the anchor first, which tells a row that left the list apart from the end of the list.
    const list = whereClause(query.conditions);
    conditions.push({
      sql: `(${query.sort.expr}, c.id) ${op}= ((select ${query.sort.expr} from client c where c.id = ?::uuid and ${list.sql}), ?::uuid)`,
      params: [anchor, ...list.params, anchor],
    });
  }
  const where = whereClause(conditions);
  const dir = query.sort.direction === SortDirection.ASC ? 'asc' : 'desc';
  // Rows, their consent state and their nested lists in one statement: the page never mixes before and after.
  const rows = await readClientRows(em, where, `${query.sort.expr} ${dir}, c.id ${dir}`, first + 1 + (anchor === null ? 0 : 1), spec);
  if (anchor !== null) {
    if (rows[0]?.id !== anchor) throw badInput('after', 'names a row that is not in this list (any more): start again without it');
    rows.shift();
  }
  return { clients: rows.slice(0, first), hasNextPage: rows.length > first };
}

export async function countClients(em: EntityManager, query: ClientQuery): Promise<number> {
  const where = whereClause(query.conditions);
  const [row] = await em.getConnection().execute<{ n: string }[]>(`select count(*) as n from client c where ${where.sql}`, where.params);
  return Number(row?.n ?? 0);
}
