import { ClientSortField } from '../clients/client.inputs';
import { badInput } from '../errors';

/**
 * Opaque keyset cursors: the sort they were made for, and the sort key and id of the last row of
 * a page. A cursor from another sort, or with a key of the wrong type, is refused as bad input
 * here, before its key reaches SQL (where a cast would fail the whole request).
 */
export interface CursorSort {
  readonly name: string;
  readonly key: 'timestamp' | 'text';
}

export const ORDERS_BY_CREATED_AT: CursorSort = { name: 'orders.createdAt', key: 'timestamp' };

export const CLIENT_CURSOR_SORTS: Readonly<Record<ClientSortField, CursorSort>> = {
  [ClientSortField.CREATED_AT]: { name: 'clients.createdAt', key: 'timestamp' },
  [ClientSortField.SURNAME]: { name: 'clients.surname', key: 'text' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Text keys are surnames (at most 100 characters); PostgreSQL text cannot hold NUL.
const MAX_TEXT_KEY = 200;
const CONTROL = /[\u0000-\u001f\u007f]/;

export function encodeCursor(sort: CursorSort, key: string, id: string): string {
  return Buffer.from(JSON.stringify([sort.name, key, id])).toString('base64url');
}

function keyFits(sort: CursorSort, key: string): boolean {
  if (sort.key === 'text') return Array.from(key).length <= MAX_TEXT_KEY && !CONTROL.test(key);
  // A round trip rejects impossible dates (month 13, 30 February) that the pattern lets through.
  return ISO_INSTANT.test(key) && !Number.isNaN(Date.parse(key)) && new Date(key).toISOString() === key;
}

/** The key and id of a cursor made by encodeCursor for this sort; anything else is BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string, sort: CursorSort): [string, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 3) {
    const [name, key, id] = value as unknown[];
    if (name === sort.name && typeof key === 'string' && typeof id === 'string' && UUID.test(id) && keyFits(sort, key)) return [key, id];
  }
  throw badInput('after', 'is not a cursor returned by this API for this sort');
}
