/**
 * The one place that reads clients for the API: by id, or a keyset page, each in one statement
 * that also carries every row's privacy state and, when asked, its newest orders. Only the columns
 * a read needs are selected.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../db/query';
import { LATEST_CONSENT, SERVED_COLUMN, STATE_COLUMNS, takeSubject } from './subject-state';
import { ORDER_FIELDS, orderJson, orderFromJson, type OrderField } from './order-store';
import { CONSENT_JSON, consentFromJson } from './consent-store';
import { CLIENT_COMPUTED_FIELDS, clientColumn, SERVED_CLIENT_COLUMNS, type PersonalColumn } from '../privacy/personal-columns';
import type { ClientRecord, OrderPosition } from './records';

/** Read in another form than stored: a date as its ISO text, whatever the session's DateStyle. */
const READ_AS: Readonly<Record<string, (column: string) => string>> = {
  stateRegistrationDate: (column) => `to_char(${column}, 'YYYY-MM-DD')`,
};

/** A served personal column as it is read, under its property's name. */
function personalColumn(c: PersonalColumn): string {
  const column = `c.${c.column}`;
  // Arrays as JSON: the driver parses json natively, text[] with a parser written in JavaScript.
  const value = c.emptied === 'text[]' ? `array_to_json(${column})` : (READ_AS[c.property]?.(column) ?? column);
  return `${value} as "${c.property}"`;
}

/** For each GraphQL field of a client, the columns it is read from: its kind, then the personal ones as declared. */
const CLIENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  kind: ['c.kind'],
  ...Object.fromEntries(SERVED_CLIENT_COLUMNS.map((c) => [c.property, [personalColumn(c)]])),
  ...Object.fromEntries(Object.entries(CLIENT_COMPUTED_FIELDS).map(([field, from]) => [field, from.map((p) => personalColumn(clientColumn(p)))])),
};

export const CLIENT_FIELD_NAMES = Object.keys(CLIENT_FIELDS);

/** Read with every row: identity, the keyset cursor and the version (status, last update). */
const ALWAYS = ['c.id', 'c.status', 'c.created_at as "createdAt"', 'c.updated_at as "updatedAt"'];

export interface ClientReadSpec {
  /** The fields to read; null reads them all (a read whose selection is not known up front). */
  readonly fields: ReadonlySet<string> | null;
  /** Set for partner callers: each row says whether this partner serves the client (P5.1). */
  readonly partnerId: string | null;
  /**
   * Each client's newest `first` orders (only the partner's own for a partner), in the same
   * statement; with `after`, the `first` that follow that position.
   */
  readonly orders?: { readonly first: number; readonly fields: ReadonlySet<string> | null; readonly after?: OrderPosition | null } | null;
  /** The consent history too, in the same statement. */
  readonly consents?: boolean;
}

/** Every field, no nested list, no partner: what a read whose selection is not known up front takes. */
export const ALL_FIELDS = { fields: null, partnerId: null } as const satisfies ClientReadSpec;

interface Statement {
  sql: string;
  params: unknown[];
}

/** `select … from client c` with the state, the orders and the served flag the spec asks for. */
function selectFrom(spec: ClientReadSpec): Statement {
  const wanted = spec.fields ? CLIENT_FIELD_NAMES.filter((f) => spec.fields!.has(f)) : CLIENT_FIELD_NAMES;
  const columns = new Set(ALWAYS);
  for (const field of wanted) for (const column of CLIENT_FIELDS[field]) columns.add(column);
  const select = [...columns];
  // The served flag's value first: its `?` is in the select list, before those of the joins.
  const params: unknown[] = spec.partnerId ? [spec.partnerId] : [];
  let joins = LATEST_CONSENT;
  if (spec.orders) {
    const fields = spec.orders.fields ? ORDER_FIELDS.filter((f) => spec.orders!.fields!.has(f)) : ORDER_FIELDS;
    const partner = spec.partnerId ? 'and o.partner_id = ?' : '';
    const after = spec.orders.after ? 'and (o.created_at, o.id) < (?::timestamptz, ?::uuid)' : '';
    select.push('ol.list as "orderList"');
    joins += `
       left join lateral (
         select coalesce(json_agg(${orderJson(fields as OrderField[])} order by o.created_at desc, o.id desc), '[]'::json) as list
           from (select * from client_order o where o.client_id = c.id ${partner} ${after} order by o.created_at desc, o.id desc limit ?) o) ol on true`;
    if (spec.partnerId) params.push(spec.partnerId);
    if (spec.orders.after) params.push(spec.orders.after.createdAt, spec.orders.after.id);
    params.push(spec.orders.first);
  }
  if (spec.consents) {
    select.push('cl.list as "consentList"');
    joins += `
       left join lateral (
         select coalesce(json_agg(${CONSENT_JSON} order by k.recorded_at asc, k.id asc), '[]'::json) as list
           from consent k where k.client_id = c.id) cl on true`;
  }
  // The state columns end the row: takeSubject deletes them, newest first (dropState).
  select.push(STATE_COLUMNS);
  if (spec.partnerId) select.push(SERVED_COLUMN);
  return { sql: `select ${select.join(', ')} from client c ${joins}`, params };
}

function toRecord(row: Record<string, unknown>, spec: ClientReadSpec): ClientRecord {
  // The driver hands timestamps over as text (MikroORM's type parsers).
  row.createdAt = new Date(row.createdAt as string);
  row.updatedAt = new Date(row.updatedAt as string);
  const subject = takeSubject(row.id as string, row);
  if (spec.orders) {
    const list = row.orderList as Array<Record<string, unknown>>;
    row.orderList = {
      first: spec.orders.first,
      partnerId: spec.partnerId,
      after: spec.orders.after ?? null,
      orders: list.map((json) => orderFromJson(json, subject)),
    };
  }
  if (spec.consents) row.consentList = (row.consentList as Array<Record<string, unknown>>).map(consentFromJson);
  row.subject = subject;
  return row as unknown as ClientRecord;
}

export async function readClients(em: EntityManager, ids: readonly string[], spec: ClientReadSpec): Promise<ClientRecord[]> {
  if (ids.length === 0) return [];
  const from = selectFrom(spec);
  const rows: Array<Record<string, unknown>> = await query(em, `${from.sql} where c.id = any(?::uuid[])`, [...from.params, ids]);
  return rows.map((row) => toRecord(row, spec));
}

/** A page: `where` and `orderBy` over the client `c` and its latest consent `k`; `limit` rows. */
export async function readClientRows(em: EntityManager, where: Statement, orderBy: string, limit: number, spec: ClientReadSpec): Promise<ClientRecord[]> {
  const from = selectFrom(spec);
  const rows: Array<Record<string, unknown>> = await query(em, `${from.sql} where ${where.sql} order by ${orderBy} limit ?`, [
    ...from.params,
    ...where.params,
    limit,
  ]);
  return rows.map((row) => toRecord(row, spec));
}
