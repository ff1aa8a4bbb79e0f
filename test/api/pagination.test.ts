import { randomUUID } from 'node:crypto';
import { codes, expectCursorRefused, TEST_PASSWORD_HASHING } from '../support/server';
import { useWorld } from '../support/world';

const SEEDED = 45;
const world = useWorld({ seed: { count: SEEDED, seed: 11, passwordHashing: TEST_PASSWORD_HASHING } });

const PAGE = `query($first: Int!, $after: String, $orderBy: ClientOrderBy, $filter: ClientFilter) {
  clients(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id kind surname createdAt } }
  }
}`;

const ORDERS = `query($first: Int!, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id status createdAt } } }
}`;

/** A cursor as this API would encode it, with any sort name, key and id. */
const forge = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

interface Row {
  id: string;
  kind: string;
  surname: string | null;
  createdAt: string;
}

async function walk(first: number, orderBy?: Record<string, string>, filter?: Record<string, string>, total = SEEDED): Promise<Row[]> {
  const seen: Row[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const response = await world.gql(PAGE, { first, after, orderBy, filter }, world.tokens.operator);
    expect(response.body.errors).toBeUndefined();
    const connection: any = response.body.data!.clients;
    expect(connection.totalCount).toBe(total);
    // Relay's PageInfo: the first and last edges' cursors, and whether the page came after a cursor.
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    seen.push(...connection.edges.map((e: { node: any }) => e.node));
    if (!connection.pageInfo.hasNextPage) return seen;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('cursor pagination of clients', () => {
  it('walking pages of 20 visits every client exactly once, oldest first', async () => {
    const all = await walk(20);
    expect(all).toHaveLength(SEEDED);
    expect(new Set(all.map((c) => c.id)).size).toBe(SEEDED);
    const times = all.map((c) => c.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it('walking by surname, descending, is ordered and complete', async () => {
    const all = await walk(7, { field: 'SURNAME', direction: 'DESC' });
    expect(new Set(all.map((c) => c.id)).size).toBe(SEEDED);
    const names = all.map((c) => c.surname ?? '');
    expect(names).toEqual([...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
  });

  it.each([0, -1, 101])('first = %i is BAD_USER_INPUT naming `first`', async (first) => {
    const response = await world.gql(PAGE, { first }, world.tokens.operator);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe('first');
  });

  it('a forged cursor is BAD_USER_INPUT naming `after`', async () => {
    const response = await world.gql(PAGE, { first: 5, after: 'bm90LWEtY3Vyc29y' }, world.tokens.operator);
    expectCursorRefused(response);
  });

  it('a filter with `after` walks only the matching clients, each once', async () => {
    const all = await walk(SEEDED, undefined, undefined);
    const entities = all.filter((c) => c.kind === 'ENTITY').map((c) => c.id);
    expect(entities.length).toBeGreaterThan(1);
    const walked = await walk(2, undefined, { kind: 'ENTITY' }, entities.length);
    expect(walked.map((c) => c.id)).toEqual(entities);
  });

  it('a cursor from a SURNAME-sorted page is refused on a page sorted by creation time (and back)', async () => {
    const bySurname = await world.gql(PAGE, { first: 3, orderBy: { field: 'SURNAME', direction: 'ASC' } }, world.tokens.operator);
    const surnameCursor = bySurname.body.data!.clients.pageInfo.endCursor;
    expectCursorRefused(await world.gql(PAGE, { first: 3, after: surnameCursor }, world.tokens.operator));
    const byTime = await world.gql(PAGE, { first: 3 }, world.tokens.operator);
    const timeCursor = byTime.body.data!.clients.pageInfo.endCursor;
    expectCursorRefused(await world.gql(PAGE, { first: 3, after: timeCursor, orderBy: { field: 'SURNAME', direction: 'ASC' } }, world.tokens.operator));
  });

  it.each([
    ['a date key that is not a date', () => forge('clients.createdAt', 'Иванов', randomUUID())],
    ['a date key with month 13', () => forge('clients.createdAt', '2025-13-01T00:00:00.000Z', randomUUID())],
    ['an id that is not a UUID', () => forge('clients.createdAt', '2025-01-01T00:00:00.000Z', 'x'.repeat(36))],
    ['a number as key', () => forge('clients.createdAt', 12, randomUUID())],
    ['an old two-part cursor', () => forge('2025-01-01T00:00:00.000Z', randomUUID())],
  ])('a well-shaped but ill-formed cursor (%s) is BAD_USER_INPUT naming `after`', async (_name, cursor) => {
    expectCursorRefused(await world.gql(PAGE, { first: 3, after: cursor() }, world.tokens.operator));
  });

  it('a SURNAME page refuses a cursor that carries a key (surname cursors name their row only) as BAD_USER_INPUT', async () => {
    const after = forge('clients.surname', 'Ив\u0000анов', randomUUID());
    expectCursorRefused(await world.gql(PAGE, { first: 3, after, orderBy: { field: 'SURNAME', direction: 'ASC' } }, world.tokens.operator));
  });

  it('a SURNAME cursor naming an id that is no client is BAD_USER_INPUT naming `after`', async () => {
    const after = forge('clients.surname', randomUUID());
    expectCursorRefused(await world.gql(PAGE, { first: 3, after, orderBy: { field: 'SURNAME', direction: 'ASC' } }, world.tokens.operator));
  });
});

describe('cursor pagination of orders', () => {
  async function walkOrders(first: number, token: string, status?: string): Promise<Array<{ id: string; status: string; createdAt: string }>> {
    const seen: Array<{ id: string; status: string; createdAt: string }> = [];
    let after: string | null = null;
    for (let page = 0; page < 200; page++) {
      const response = await world.gql(ORDERS, { first, after, status }, token);
      expect(response.body.errors).toBeUndefined();
      const connection: any = response.body.data!.orders;
      seen.push(...connection.edges.map((e: { node: any }) => e.node));
      if (!connection.pageInfo.hasNextPage) return seen;
      after = connection.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  it('walking pages of 7 visits every order exactly once, newest first', async () => {
    const [row] = await world.em().getConnection().execute(`select count(*)::int as n from client_order`);
    const all = await walkOrders(7, world.tokens.operator);
    expect(all).toHaveLength(row.n);
    expect(new Set(all.map((o) => o.id)).size).toBe(row.n);
    const times = all.map((o) => o.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('a status filter with `after` walks only the orders of that status, each once', async () => {
    const [row] = await world.em().getConnection().execute(`select count(*)::int as n from client_order where status = 'COMPLETED'`);
    const completed = await walkOrders(3, world.tokens.operator, 'COMPLETED');
    expect(row.n).toBeGreaterThan(3);
    expect(completed).toHaveLength(row.n);
    expect(new Set(completed.map((o) => o.id)).size).toBe(row.n);
    expect(completed.every((o) => o.status === 'COMPLETED')).toBe(true);
  });

  it("a client's walk holds exactly its own orders", async () => {
    const [owner] = await world.em().getConnection().execute(
      `select client_id, count(*)::int as n from client_order group by client_id having count(*) > 1 order by client_id limit 1`,
    );
    const token = await world.token({ sub: owner.client_id, role: 'client' });
    const own = await walkOrders(1, token);
    expect(own).toHaveLength(owner.n);
  });

  it.each([
    ['a key that is not a date', () => forge('orders.createdAt', 'yesterday', randomUUID())],
    ['a key that is an impossible date', () => forge('orders.createdAt', '2025-02-30T00:00:00.000Z', randomUUID())],
    ['an id that is not a UUID', () => forge('orders.createdAt', '2025-01-01T00:00:00.000Z', 'not-a-uuid')],
    ['a cursor of the clients list', () => forge('clients.createdAt', '2025-01-01T00:00:00.000Z', randomUUID())],
    ['text that is not base64 JSON', () => '%%%'],
  ])('orders(after:) with %s is BAD_USER_INPUT naming `after`', async (_name, cursor) => {
    expectCursorRefused(await world.gql(ORDERS, { first: 3, after: cursor() }, world.tokens.operator));
  });
});
