import { SignJWT } from 'jose';
import { authorityRecipients } from '../../src/disclosure/recipients/authority';
import { partnerRecipients } from '../../src/disclosure/recipients/partner';
import { codes, TEST_JWT_SECRET, TEST_PASSWORD_HASHING } from '../support/server';
import { REGISTER, registration } from '../support/fixtures';
import { useWorld } from '../support/world';

const world = useWorld({ seed: { count: 5, seed: 7, passwordHashing: TEST_PASSWORD_HASHING } });
let clientId: string;
let otherClientId: string;
let otherOrderId: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const registered = await world.gql(REGISTER, { input: registration() });
  clientId = registered.body.data!.registerClient.clientId;
  tokens.client = registered.body.data!.registerClient.token;
  const other = await world.gql(REGISTER, { input: registration() });
  otherClientId = other.body.data!.registerClient.clientId;
  const placed = await world.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 2, priceTiyn: 150050 }] }) { id amount } }`, {}, other.body.data!.registerClient.token);
  otherOrderId = placed.body.data!.placeOrder.id;
  expect(placed.body.data!.placeOrder.amount).toBe('3001.00');
  Object.assign(tokens, world.tokens);
  // Partner and authority tokens exist only as issued (registered) by the DPO.
  const em = world.em();
  tokens.partner = (await partnerRecipients.issueToken(em, world.config.jwt, { grantId: world.seeded.contractIds[0]!, scopes: ['PHONE'], ttl: 600, issuedBy: 'dpo-1' })).token;
  tokens.authority = (await authorityRecipients.issueToken(em, world.config.jwt, { grantId: world.seeded.lawfulRequestId!, ttl: 600, issuedBy: 'dpo-1' })).token;
});

const ops: Record<string, () => [string, Record<string, unknown>]> = {
  privacyPolicy: () => ['{ privacyPolicy { version textHash contacts { phones } } }', {}],
  me: () => ['{ me { id } }', {}],
  'client(self)': () => ['query($id: ID!) { client(id: $id) { id } }', { id: clientId }],
  'client(other)': () => ['query($id: ID!) { client(id: $id) { id } }', { id: otherClientId }],
  clients: () => ['{ clients(first: 5) { totalCount edges { node { id } } } }', {}],
  orders: () => ['{ orders(first: 5) { edges { node { id } } } }', {}],
  statistics: () => ['{ statistics { clientsByKind { key count } } }', {}],
};

/** [operation, role, expected: 'ok' | error code] */
const matrix: Array<[string, string, string]> = [
  ['privacyPolicy', 'anonymous', 'ok'],
  ['me', 'anonymous', 'UNAUTHENTICATED'],
  ['clients', 'anonymous', 'UNAUTHENTICATED'],
  ['me', 'client', 'ok'],
  ['me', 'operator', 'FORBIDDEN'],
  ['client(self)', 'client', 'ok'],
  ['client(other)', 'client', 'FORBIDDEN'],
  ['client(other)', 'operator', 'ok'],
  ['client(other)', 'dpo', 'ok'],
  ['clients', 'client', 'FORBIDDEN'],
  ['clients', 'operator', 'ok'],
  ['clients', 'dpo', 'ok'],
  ['clients', 'analyst', 'FORBIDDEN'],
  ['clients', 'partner', 'FORBIDDEN'],
  ['clients', 'authority', 'FORBIDDEN'],
  ['orders', 'client', 'ok'],
  ['orders', 'analyst', 'FORBIDDEN'],
  ['statistics', 'analyst', 'ok'],
  ['statistics', 'client', 'FORBIDDEN'],
];

describe('root operations by role (graphql-shield, default deny)', () => {
  it.each(matrix)('%s as %s → %s', async (op, role, expected) => {
    const [query, variables] = ops[op]!();
    const response = await world.gql(query, variables, role === 'anonymous' ? null : tokens[role]);
    if (expected === 'ok') {
      expect(response.body.errors).toBeUndefined();
    } else {
      expect(codes(response)).toEqual([expected]);
      expect(response.body.errors![0]!.message).not.toMatch(/Not Authorised/i);
    }
  });

  it("a client reads only its own orders: another client's order is null, its list has only its own", async () => {
    const order = await world.gql('query($id: ID!) { order(id: $id) { id } }', { id: otherOrderId }, tokens.client);
    expect(order.body.data!.order).toBeNull();
    const list = await world.gql('{ orders(first: 50) { edges { node { id } } } }', {}, tokens.client);
    expect(list.body.data!.orders.edges).toEqual([]);
    const operator = await world.gql('query($id: ID!) { order(id: $id) { id } }', { id: otherOrderId }, tokens.operator);
    expect(operator.body.data!.order).toEqual({ id: otherOrderId });
  });

  it('statistics suppress cells smaller than 5 (anonymous data only)', async () => {
    const response = await world.gql('{ statistics { clientsByStatus { key count } } }', {}, tokens.analyst);
    const active = response.body.data!.statistics.clientsByStatus.find((c: { key: string }) => c.key === 'ACTIVE');
    expect(active.count).toBe(7);
  });
});

describe('tokens', () => {
  const secret = new TextEncoder().encode(TEST_JWT_SECRET);
  const base = () => new SignJWT({ role: 'operator' }).setSubject('op-1').setIssuer('kzpay-privacy-graph').setAudience('kzpay-privacy-graph').setIssuedAt();

  it('an expired token is UNAUTHENTICATED', async () => {
    const token = await base().setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(secret);
    expect(codes(await world.gql('{ clients { totalCount } }', {}, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('a token signed with another key is UNAUTHENTICATED', async () => {
    const token = await base().setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(48)));
    expect(codes(await world.gql('{ clients { totalCount } }', {}, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('an unsigned `alg: none` token is UNAUTHENTICATED', async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'op-1', role: 'dpo', iss: 'kzpay-privacy-graph', aud: 'kzpay-privacy-graph', iat: now, exp: now + 600 })}.`;
    const response = await world.gql('{ clients { totalCount } }', {}, token);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.status).toBe(401);
  });

  it('a token with an unknown role is UNAUTHENTICATED', async () => {
    const token = await new SignJWT({ role: 'superuser' }).setSubject('x').setIssuer('kzpay-privacy-graph').setAudience('kzpay-privacy-graph')
      .setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);
    expect(codes(await world.gql('{ privacyPolicy { version } }', {}, token))).toEqual(['UNAUTHENTICATED']);
  });

  it('a partner token without partner_id and contract_id is UNAUTHENTICATED', async () => {
    const token = await world.token({ sub: 'p', role: 'partner' });
    expect(codes(await world.gql('{ privacyPolicy { version } }', {}, token))).toEqual(['UNAUTHENTICATED']);
  });
});

describe("a client's own id, in any case, is its own (shield and resolvers agree)", () => {
  it('client(id) with its id in upper case answers itself; another id in upper case is still FORBIDDEN', async () => {
    const own = await world.gql('query($id: ID!) { client(id: $id) { id } }', { id: clientId.toUpperCase() }, tokens.client);
    expect({ errors: own.body.errors, client: own.body.data!.client }).toEqual({ errors: undefined, client: { id: clientId } });
    expect(codes(await world.gql('query($id: ID!) { client(id: $id) { id } }', { id: otherClientId.toUpperCase() }, tokens.client))).toEqual(['FORBIDDEN']);
  });

  it('optOutOfMarketing and reportSuspectedCompromise take the own id in upper case; another client id stays FORBIDDEN', async () => {
    const registered = await world.gql(REGISTER, { input: registration() });
    const { clientId: id, token } = registered.body.data!.registerClient;
    expect(codes(await world.gql('mutation($id: ID) { optOutOfMarketing(clientId: $id) { id } }', { id: otherClientId.toUpperCase() }, token))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql('mutation($id: ID) { reportSuspectedCompromise(clientId: $id) }', { id: otherClientId.toUpperCase() }, token))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql('mutation($id: ID) { optOutOfMarketing(clientId: $id) { id } }', { id: id.toUpperCase() }, token))).toEqual([]);
    const reported = await world.gql('mutation($id: ID) { reportSuspectedCompromise(clientId: $id) }', { id: id.toUpperCase() }, token);
    expect({ errors: reported.body.errors, data: reported.body.data }).toEqual({ errors: undefined, data: { reportSuspectedCompromise: true } });
  });
});
