import { ClientSortField } from '../clients/client.inputs';
import { badInput } from '../errors';
import type { OrderPosition } from '../subjects/records';
import { UUID } from '../validation/validate';

/**
 * Opaque keyset cursors: the sort they were made for and the id of the last row of a page. A
 * sort on a non-personal key (a time) also carries that key; a sort on a personal key carries
 * only the id, and the key is read from that row server-side, so a personal value never travels
 * in a cursor (P1, P6). A cursor from another sort, or with a key of the wrong type, is refused as
 * bad input here, before its key reaches SQL (where a cast would fail the whole request). The
 * disclosure log pages by its own position (seq), which is unique and says nothing of anyone.
 */
export interface KeyedSort {
  readonly name: string;
  readonly key: 'timestamp';
}

export interface RowSort {
  readonly name: string;
  readonly key: 'row';
}

export interface SeqSort {
  readonly name: string;
  readonly key: 'seq';
}

export type CursorSort = KeyedSort | RowSort;

export const ORDERS_BY_CREATED_AT: KeyedSort = { name: 'orders.createdAt', key: 'timestamp' };

export const DISCLOSURES_BY_SEQ: SeqSort = { name: 'disclosures.seq', key: 'seq' };

/**
 * The DPO's and the subject's record lists: each in one fixed order by a time, then id. The times
 * are written from JavaScript Dates (milliseconds), which a cursor's ISO key holds whole.
 */
export const RECORD_SORTS = {
  erasureRequests: { name: 'erasureRequests.requestedAt', key: 'timestamp' },
  myErasureRequests: { name: 'myErasureRequests.requestedAt', key: 'timestamp' },
  erasureReceipts: { name: 'erasureReceipts.erasedAt', key: 'timestamp' },
  lawfulRequests: { name: 'lawfulRequests.createdAt', key: 'timestamp' },
  partners: { name: 'partners.createdAt', key: 'timestamp' },
  partnerTokens: { name: 'partnerTokens.issuedAt', key: 'timestamp' },
  authorityTokens: { name: 'authorityTokens.issuedAt', key: 'timestamp' },
} as const satisfies Record<string, KeyedSort>;

export const CLIENT_CURSOR_SORTS: Readonly<Record<ClientSortField, CursorSort>> = {
  [ClientSortField.CREATED_AT]: { name: 'clients.createdAt', key: 'timestamp' },
  [ClientSortField.SURNAME]: { name: 'clients.surname', key: 'row' },
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const encode = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

export function encodeCursor(sort: KeyedSort, key: string, id: string): string {
  return encode([sort.name, key, id]);
}

export function encodeRowCursor(sort: RowSort, id: string): string {
  return encode([sort.name, id]);
}

export function encodeSeqCursor(sort: SeqSort, seq: number): string {
  return encode([sort.name, String(seq)]);
}

// A round trip rejects impossible dates (month 13, 30 February) that the pattern lets through.
const isInstant = (key: string) => ISO_INSTANT.test(key) && !Number.isNaN(Date.parse(key)) && new Date(key).toISOString() === key;

const refused = () => badInput('after', 'is not a cursor returned by this API for this sort');

/** The parts after the sort name, when the cursor names this sort and they are all strings. */
function partsOf(cursor: string, sort: CursorSort | SeqSort, count: number): string[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== count + 1 || value[0] !== sort.name) throw refused();
  const parts = value.slice(1) as unknown[];
  if (!parts.every((p): p is string => typeof p === 'string')) throw refused();
  return parts;
}

/** The key and id of a cursor made by encodeCursor for this sort; anything else is BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string, sort: KeyedSort): [string, string] {
  const [key, id] = partsOf(cursor, sort, 2) as [string, string];
  if (!UUID.test(id) || !isInstant(key)) throw refused();
  return [key, id.toLowerCase()];
}

/** The order position an order cursor (ORDERS_BY_CREATED_AT) names; null without a cursor. */
export function orderPositionAfter(after: string | null | undefined): OrderPosition | null {
  if (!after) return null;
  const [key, id] = decodeCursor(after, ORDERS_BY_CREATED_AT);
  return { createdAt: new Date(key), id };
}

export const sameOrderPosition = (a: OrderPosition | null, b: OrderPosition | null): boolean =>
  a === b || (a !== null && b !== null && a.id === b.id && a.createdAt.getTime() === b.createdAt.getTime());

export const orderCursorOf = (order: OrderPosition): string => encodeCursor(ORDERS_BY_CREATED_AT, order.createdAt.toISOString(), order.id);

/** A row's place in a list sorted by a time, then id. */
export interface Position {
  readonly at: Date;
  readonly id: string;
}

/** The position a cursor of this sort names; null without a cursor. */
export function positionAfter(sort: KeyedSort, after: string | null | undefined): Position | null {
  if (!after) return null;
  const [key, id] = decodeCursor(after, sort);
  return { at: new Date(key), id };
}

export const cursorAt = (sort: KeyedSort, position: Position): string => encodeCursor(sort, position.at.toISOString(), position.id);

/** The row id of a cursor made by encodeRowCursor for this sort; anything else is BAD_USER_INPUT on `after`. */
export function decodeRowCursor(cursor: string, sort: RowSort): string {
  const [id] = partsOf(cursor, sort, 1) as [string];
  if (!UUID.test(id)) throw refused();
  return id.toLowerCase();
}

/** The position of a cursor made by encodeSeqCursor for this sort; anything else is BAD_USER_INPUT on `after`. */
export function decodeSeqCursor(cursor: string, sort: SeqSort): number {
  const [seq] = partsOf(cursor, sort, 1) as [string];
  if (!/^[1-9]\d{0,15}$/.test(seq) || !Number.isSafeInteger(Number(seq))) throw refused();
  return Number(seq);
}
