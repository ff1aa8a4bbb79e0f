import { seedDemoData } from '../../src/seed/seed';
import { codes, startTestServer, type TestServer } from '../support/harness';

let server: TestServer;
let operator: string;
const SEEDED = 45;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.db.orm.em.fork(), { count: SEEDED, seed: 11 });
  operator = await server.token({ sub: 'op-1', role: 'operator' });
});
afterAll(() => server.close());

const PAGE = `query($first: Int!, $after: String, $orderBy: ClientOrderBy) {
  clients(first: $first, after: $after, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id surname createdAt } } }
}`;

async function walk(first: number, orderBy?: Record<string, string>): Promise<Array<{ id: string; surname: string | null; createdAt: string }>> {
  const seen: Array<{ id: string; surname: string | null; createdAt: string }> = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const response = await server.gql(PAGE, { first, after, orderBy }, operator);
    expect(response.body.errors).toBeUndefined();
    const connection: any = response.body.data!.clients;
    expect(connection.totalCount).toBe(SEEDED);
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
    const response = await server.gql(PAGE, { first }, operator);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe('first');
  });

  it('a forged cursor is BAD_USER_INPUT naming `after`', async () => {
    const response = await server.gql(PAGE, { first: 5, after: 'bm90LWEtY3Vyc29y' }, operator);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe('after');
  });
});
