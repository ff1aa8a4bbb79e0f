/**
 * Client.ordersConnection beside the deprecated Client.orders: the same orders for every caller,
 * with the same masks, the same consent gating, the same partner rules and the same disclosures
 * logged; read inside the page's own statement (no statement per client); paged forward by
 * opaque cursors.
 */
import { Order, OrderStatus } from '../../src/orders/order.entity';
import { createCanaryClient, type Canary, type SubjectState } from '../support/canaries';
import { assignOrder, dpoToken, issuePartnerToken, logRows, registerPartnerWithContract, requestIdOf } from '../support/disclosure';
import { expectCursorRefused, TEST_PASSWORD_HASHING, type GraphQLResponse } from '../support/server';
import { useWorld } from '../support/world';

const FIELDS = 'id status amount createdAt contactPhone contactEmail deliveryAddress { city street }';
const AS_LIST = `query($id: ID!) { client(id: $id) { id orders(first: 10) { ${FIELDS} } } }`;
const AS_CONNECTION = `query($id: ID!) { client(id: $id) { id ordersConnection(first: 10) { edges { node { ${FIELDS} } } } } }`;
const EXTRA_ORDERS = 4;

const world = useWorld({ seed: { count: 30, seed: 5, passwordHashing: TEST_PASSWORD_HASHING } });
let statements: string[] = [];
const canaries = new Map<SubjectState, Canary>();
const callers: Record<string, string> = {};

beforeAll(async () => {
  for (const state of ['ACTIVE', 'NARROWED', 'WITHDRAWAL_PENDING', 'WITHDRAWN', 'ERASED'] as const) {
    canaries.set(state, await createCanaryClient(world.em(), state));
  }
  // The active client has more orders, a second apart, so pages have an order to follow.
  const em = world.em();
  const active = canaries.get('ACTIVE')!;
  for (let i = 1; i <= EXTRA_ORDERS; i++) {
    em.create(Order, {
      client: active.client.id,
      amountTiyn: 1000 * i,
      items: [{ name: 'tea', quantity: i, priceTiyn: 1000 }],
      status: OrderStatus.NEW,
      contactPhone: active.order.contactPhone,
      contactEmail: active.order.contactEmail,
      deliveryAddress: active.order.deliveryAddress,
      createdAt: new Date(active.order.createdAt.getTime() - i * 1000),
    });
  }
  await em.flush();
  const dpo = await dpoToken(world);
  const partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'ORDER_CONTACT']);
  for (const canary of canaries.values()) await assignOrder(world.em(), canary, partner.partnerId);
  callers.operator = await world.token({ sub: 'operator-1', role: 'operator' });
  callers.dpo = dpo;
  callers.partner = (await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'ORDER_CONTACT'])).token;
  world.db.orm.em.getConnection().getKnex().on('query', (q: { sql: string }) => statements.push(q.sql));
});

/** The redaction report with the connection's paths written as the list's, to compare the two. */
const asListPaths = (response: GraphQLResponse) =>
  (response.body.extensions?.redactions ?? [])
    .map((r) => ({ ...r, path: r.path.join('.').replace('ordersConnection.edges.*.node', 'orders.*').replace('ordersConnection.edges', 'orders') }))
    .sort((a, b) => `${a.path}${a.category}${a.reason}`.localeCompare(`${b.path}${b.category}${b.reason}`));

describe('the same orders as Client.orders', () => {
  const reports: string[] = [];
  let served = 0;

  afterAll(() => {
    // The comparisons covered served lists, withheld lists and withheld values of served orders.
    expect(served).toBeGreaterThan(0);
    expect(reports).toEqual(expect.arrayContaining(['orders.*.contactPhone|HIDDEN', 'orders|HIDDEN']));
  });

  it.each(['operator', 'dpo', 'partner', 'self'])('for the %s, in every consent state: values, masks and redactions alike', async (caller) => {
    for (const [state, canary] of canaries) {
      const token = caller === 'self' ? await world.token({ sub: canary.client.id, role: 'client' }) : callers[caller]!;
      const list = await world.gql(AS_LIST, { id: canary.client.id }, token);
      const connection = await world.gql(AS_CONNECTION, { id: canary.client.id }, token);
      expect({ state, errors: connection.body.errors }).toEqual({ state, errors: list.body.errors });
      const listed = list.body.data!.client;
      const connected = connection.body.data!.client;
      expect({ state, orders: connected && connected.ordersConnection.edges.map((e: { node: unknown }) => e.node) }).toEqual({ state, orders: listed && listed.orders });
      expect({ state, redactions: asListPaths(connection) }).toEqual({ state, redactions: asListPaths(list) });
      served += listed?.orders.length ?? 0;
      reports.push(...asListPaths(list).map((r) => `${r.path.replace(/^client\./, '')}|${r.access}`));
    }
  });

  it("a partner gets only the orders its contract assigns it, and each one served is logged alike", async () => {
    const active = canaries.get('ACTIVE')!;
    const list = await world.gql(AS_LIST, { id: active.client.id }, callers.partner);
    const connection = await world.gql(AS_CONNECTION, { id: active.client.id }, callers.partner);
    expect(connection.body.data!.client.ordersConnection.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([active.order.id]);
    const logged = async (response: GraphQLResponse) =>
      (await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]))
        .flatMap((r) => r.fields)
        .filter((f) => f.category !== 'FULL_NAME')
        .map((f) => `${f.path.replace('ordersConnection.edges.0.node', 'orders.0').replace('ordersConnection.edges.0', 'orders.0')}|${f.category}|${f.access}`)
        .sort();
    expect(await logged(connection)).toEqual(await logged(list));
    expect(await logged(connection)).toContain('client.orders.0|ORDER_CONTACT|FULL');
  });
});

describe('one statement per page', () => {
  const PAGE = `query($first: Int!) {
    clients(first: $first) { edges { node { id fullName
      ordersConnection(first: 3) { pageInfo { hasNextPage endCursor } edges { cursor node { id amount contactPhone } } }
      older: orders(first: 2) { id } } } }
  }`;

  it('a page of clients with their order connections is one statement, whether 5 or 30 rows', async () => {
    const run = async (first: number) => {
      statements = [];
      const response = await world.gql(PAGE, { first }, callers.operator);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.clients.edges.length).toBe(first);
      return [...statements];
    };
    const small = await run(5);
    const large = await run(30);
    for (const sent of [small, large]) {
      expect(sent.filter((sql) => /from client c/.test(sql))).toHaveLength(1);
      expect(sent.filter((sql) => /client_order/.test(sql) && !/from client c/.test(sql))).toEqual([]);
    }
    expect(large.length).toBe(small.length);
  });
});

describe('paging through one client', () => {
  const PAGE = `query($id: ID!, $first: Int!, $after: String) {
    client(id: $id) { ordersConnection(first: $first, after: $after) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }
  }`;
  const THROUGH_AN_ORDER = `query($order: ID!, $first: Int!, $after: String) {
    order(id: $order) { client { ordersConnection(first: $first, after: $after) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } } }
  }`;

  it.each([
    ['nested in the client read', PAGE, (c: Canary) => ({ id: c.client.id }), (data: any) => data.client.ordersConnection],
    ['read on its own after the client (Order.client)', THROUGH_AN_ORDER, (c: Canary) => ({ order: c.order.id }), (data: any) => data.order.client.ordersConnection],
  ])('%s: forward by cursor, each order once, newest first, Relay PageInfo', async (_how, query, variablesOf, connectionOf) => {
    const active = canaries.get('ACTIVE')!;
    const all = (await world.gql(AS_LIST, { id: active.client.id }, callers.operator)).body.data!.client.orders.map((o: { id: string }) => o.id);
    expect(all).toHaveLength(EXTRA_ORDERS + 1);
    const seen: string[] = [];
    const shapes: Array<[number, boolean, boolean]> = [];
    let after: string | null = null;
    for (let n = 0; n < 10; n++) {
      const response: GraphQLResponse = await world.gql(query, { ...variablesOf(active), first: 2, after }, callers.operator);
      expect(response.body.errors).toBeUndefined();
      const page = connectionOf(response.body.data);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      shapes.push([page.edges.length, page.pageInfo.hasNextPage, page.pageInfo.hasPreviousPage]);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(shapes).toEqual([[2, true, false], [2, true, true], [1, false, true]]);
    expect(seen).toEqual(all);
  });

  it.each([
    ['not a cursor', 'garbage'],
    ['a clients cursor', Buffer.from(JSON.stringify(['clients.createdAt', '2026-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
    ['a disclosure-log cursor', Buffer.from(JSON.stringify(['disclosures.seq', '5'])).toString('base64url')],
  ])('%s is refused as BAD_USER_INPUT on after', async (_name, after) => {
    const response = await world.gql(PAGE, { id: canaries.get('ACTIVE')!.client.id, first: 2, after }, callers.operator);
    expectCursorRefused(response);
  });
});
