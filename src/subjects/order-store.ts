/**
 * Orders as the API reads them: a keyset page (newest first) or each client's newest N, with the
 * privacy state of each order's client from the same statement. Only the fields asked for are read.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../db/query';
import { dropState, LATEST_CONSENT, SERVED_COLUMN, STATE_COLUMNS, takeSubject, type SubjectRef } from './subject-state';
import { ORDER_PERSONAL_COLUMNS } from '../privacy/personal-columns';
import type { OrderPosition, OrderRecord } from './records';

/** For each GraphQL field of an order: the record key and the column it is read from. */
const ORDER_COLUMNS = {
  status: ['status', 'o.status'],
  amount: ['amountTiyn', 'o.amount_tiyn::float8'],
  items: ['items', 'o.items'],
  completedAt: ['completedAt', 'o.completed_at'],
  ...Object.fromEntries(ORDER_PERSONAL_COLUMNS.map((c) => [c.property, [c.property, `o.${c.column}`]])),
} satisfies Record<string, readonly [string, string]>;

export type OrderField = keyof typeof ORDER_COLUMNS;
export const ORDER_FIELDS = Object.keys(ORDER_COLUMNS) as OrderField[];

const wanted = (fields: ReadonlySet<string> | null): OrderField[] => (fields ? ORDER_FIELDS.filter((f) => fields.has(f)) : ORDER_FIELDS);

/** An order `o` as a JSON object, for lists aggregated inside another row's statement. */
export function orderJson(fields: readonly OrderField[]): string {
  const pairs = [`'id', o.id`, `'createdAt', o.created_at`];
  for (const field of fields) pairs.push(`'${ORDER_COLUMNS[field][0]}', ${ORDER_COLUMNS[field][1]}`);
  return `json_build_object(${pairs.join(', ')})`;
}

/** Timestamps arrive as text, inside JSON and from the driver alike (MikroORM's type parsers). */
export function orderFromJson(json: Record<string, unknown>, subject: SubjectRef | null): OrderRecord {
  json.createdAt = new Date(json.createdAt as string);
  if (json.completedAt !== undefined && json.completedAt !== null) json.completedAt = new Date(json.completedAt as string);
  json.subject = subject;
  return json as unknown as OrderRecord;
}

function selectList(fields: ReadonlySet<string> | null): string {
  const columns = ['o.id', 'o.created_at as "createdAt"'];
  for (const field of wanted(fields)) columns.push(`${ORDER_COLUMNS[field][1]} as "${ORDER_COLUMNS[field][0]}"`);
  // Last before the state columns: toRecord deletes them, then it, newest first (dropState).
  columns.push('o.client_id as "clientId"');
  return columns.join(', ');
}

/** Rows of `client_order o` joined to their client `c`: the state is the client's, when there is one. */
function toRecord(row: Record<string, unknown>): OrderRecord {
  const clientId = row.clientId as string | null;
  const subject = clientId === null ? null : takeSubject(clientId, row);
  if (subject === null) dropState(row);
  delete row.clientId;
  return orderFromJson(row, subject);
}

export interface OrderScope {
  readonly clientId?: string;
  readonly partnerId?: string;
  readonly status?: string;
}

export interface OrderReadSpec {
  readonly fields: ReadonlySet<string> | null;
  /** Set for partner callers: each order's client says whether this partner serves it (P5.1). */
  readonly partnerId: string | null;
}

function fromOrders(spec: OrderReadSpec): { sql: string; params: unknown[] } {
  const served = spec.partnerId ? `, ${SERVED_COLUMN}` : '';
  return {
    sql: `select ${selectList(spec.fields)}, ${STATE_COLUMNS}${served}
            from client_order o left join client c on c.id = o.client_id ${LATEST_CONSENT}`,
    params: spec.partnerId ? [spec.partnerId] : [],
  };
}

/** A keyset page of the orders in `scope`, newest first: `limit` rows created before `before` (time and id). */
export async function readOrderPage(
  em: EntityManager,
  scope: OrderScope,
  before: { createdAt: Date; id: string } | null,
  /** Null: all of them (an access export). */
  limit: number | null,
  spec: OrderReadSpec,
): Promise<OrderRecord[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    conditions.push(sql);
    params.push(...values);
  };
  if (scope.clientId) add('o.client_id = ?', scope.clientId);
  if (scope.partnerId) add('o.partner_id = ?', scope.partnerId);
  if (scope.status) add('o.status = ?', scope.status);
  if (before) add('(o.created_at, o.id) < (?::timestamptz, ?::uuid)', before.createdAt, before.id);
  const from = fromOrders(spec);
  const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
  const rows: Array<Record<string, unknown>> = await query(
    em,
    `${from.sql} ${where} order by o.created_at desc, o.id desc${limit === null ? '' : ' limit ?'}`,
    limit === null ? [...from.params, ...params] : [...from.params, ...params, limit],
  );
  return rows.map(toRecord);
}

export async function readOrder(em: EntityManager, id: string, spec: OrderReadSpec): Promise<OrderRecord | null> {
  const from = fromOrders(spec);
  const rows: Array<Record<string, unknown>> = await query(em, `${from.sql} where o.id = ?`, [...from.params, id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Each client's newest `first` orders (with `partnerId`, only that partner's; with `after`, those after it), in one statement. */
export async function readOrdersOfClients(
  em: EntityManager,
  clientIds: readonly string[],
  first: number,
  spec: OrderReadSpec,
  after: OrderPosition | null = null,
): Promise<Map<string, OrderRecord[]>> {
  const from = fromOrders(spec);
  const partner = spec.partnerId ? 'and o2.partner_id = ?' : '';
  const position = after ? 'and (o2.created_at, o2.id) < (?::timestamptz, ?::uuid)' : '';
  const rows: Array<Record<string, unknown>> = await query(
    em,
    `${from.sql}
      where o.id in (select pick.id from unnest(?::uuid[]) as ids(client_id)
                     cross join lateral (select o2.id from client_order o2 where o2.client_id = ids.client_id ${partner} ${position}
                                          order by o2.created_at desc, o2.id desc limit ?) pick)
      order by o.created_at desc, o.id desc`,
    [...from.params, clientIds, ...(spec.partnerId ? [spec.partnerId] : []), ...(after ? [after.createdAt, after.id] : []), first],
  );
  const byClient = new Map<string, OrderRecord[]>(clientIds.map((id) => [id, []]));
  for (const row of rows) {
    const order = toRecord(row);
    if (order.subject) byClient.get(order.subject.id)?.push(order);
  }
  return byClient;
}
