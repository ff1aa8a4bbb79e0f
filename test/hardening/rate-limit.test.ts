/**
 * Rate limits per IP and per principal: RATE_LIMITED (429) with Retry-After; in-process by
 * default, and one shared count across instances through Redis.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { registration } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { errorCodes, startTestServer, type TestServer } from '../support/server';

const POLICY = '{ privacyPolicy { version } }';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function expectRateLimited(response: { status: number; headers: Headers; body: unknown }): void {
  expect(response.status).toBe(429);
  expect(errorCodes(response.body as never)).toEqual(['RATE_LIMITED']);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('in-process limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_PER_PRINCIPAL: '2', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(() => server.close());

  it('per principal: the third request of a token in the window is RATE_LIMITED; another principal is not', async () => {
    const a = await server.token({ sub: 'operator-a', role: 'operator' });
    const b = await server.token({ sub: 'operator-b', role: 'operator' });
    expect((await server.gql(POLICY, {}, a)).status).toBe(200);
    expect((await server.gql(POLICY, {}, a)).status).toBe(200);
    expectRateLimited(await server.gql(POLICY, {}, a));
    expect((await server.gql(POLICY, {}, b)).status).toBe(200);
  });

  it('per IP: past the budget every request from the address is RATE_LIMITED, before its body is read', async () => {
    // Four requests so far in this window from 127.0.0.1; the fifth passes, the sixth does not.
    expect((await server.gql(POLICY)).status).toBe(200);
    const limited = await server.raw('this body is never parsed');
    expectRateLimited({ status: limited.status, headers: limited.headers, body: limited.json });
    expect(limited.json!.errors![0]!.extensions!.retryAfterSeconds).toBe(Number(limited.headers.get('retry-after')));
  });
});

describe('a mutation is charged per root field: aliases do not multiply the budget', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_IP: '6', RATE_LIMIT_PER_PRINCIPAL: '3', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(() => server.close());

  const registrations = (n: number) => {
    const variables = Object.fromEntries(Array.from({ length: n }, (_, i) => [`i${i}`, registration()]));
    const header = Object.keys(variables).map((k) => `$${k}: RegisterClientInput!`).join(', ');
    const fields = Object.keys(variables).map((k) => `${k}: registerClient(input: $${k}) { clientId }`).join(' ');
    return { query: `mutation(${header}) { ${fields} }`, variables };
  };
  const clients = async () => Number((await server.db.orm.em.fork().getConnection().execute('select count(*)::int as n from client'))[0].n);

  it('per IP: three aliased registrations count three; a four-field document then is over the budget and nothing of it runs', async () => {
    const three = registrations(3);
    const first = await server.gql(three.query, three.variables);
    expect(first.body.errors).toBeUndefined();
    expect(await clients()).toBe(3);
    // 3 used: the budget of 6 has room for 3 more fields, not 4.
    const four = registrations(4);
    expectRateLimited(await server.gql(four.query, four.variables));
    expect(await clients()).toBe(3);
  });

  it('per principal, and queries are not weighed: aliased reads of one request count once', async () => {
    const operator = await server.token({ sub: 'operator-w', role: 'operator' });
    const fresh = await startTestServer({ db: server.db, env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '3', RATE_LIMIT_WINDOW_SECONDS: '60' } });
    try {
      const reads = `{ a: privacyPolicy { version } b: privacyPolicy { version } c: privacyPolicy { version } d: privacyPolicy { version } }`;
      expect((await fresh.gql(reads, {}, operator)).status).toBe(200);
      expect((await fresh.gql(reads, {}, operator)).status).toBe(200);
      const compromise = `mutation($id: ID!) { a: reportSuspectedCompromise(clientId: $id) b: reportSuspectedCompromise(clientId: $id) }`;
      expectRateLimited(await fresh.gql(compromise, { id: '00000000-0000-4000-8000-000000000001' }, operator));
    } finally {
      await fresh.close();
    }
  });
});

describe('the per-principal budget: per token for partners and authorities, per subject for everyone else', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_PER_PRINCIPAL: '2', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(() => server.close());

  it("staff tokens share their subject's budget whatever their jti: an identity provider's refresh mints no budget", async () => {
    const claims = { sub: 'operator-with-jti', role: 'operator' as const };
    const first = await server.token({ ...claims, jti: '11111111-1111-4111-8111-111111111111' });
    const refreshed = await server.token({ ...claims, jti: '22222222-2222-4222-8222-222222222222' });
    expect((await server.gql(POLICY, {}, first)).status).toBe(200);
    expect((await server.gql(POLICY, {}, refreshed)).status).toBe(200);
    expectRateLimited(await server.gql(POLICY, {}, await server.token({ ...claims, jti: '55555555-5555-4555-8555-555555555555' })));
  });

  it('tokens without a jti share the budget of their role and subject', async () => {
    const claims = { sub: 'operator-no-jti', role: 'operator' as const };
    expect((await server.gql(POLICY, {}, await server.token(claims))).status).toBe(200);
    expect((await server.gql(POLICY, {}, await server.token(claims))).status).toBe(200);
    expectRateLimited(await server.gql(POLICY, {}, await server.token(claims)));
    // Another role with the same sub is another principal.
    expect((await server.gql(POLICY, {}, await server.token({ ...claims, role: 'analyst' }))).status).toBe(200);
  });

  it("a partner's two tokens of one contract are counted apart", async () => {
    // The DPO's set-up calls come from two DPO accounts, within each one's budget of 2.
    const dpo = await server.token({ sub: 'dpo-rate-1', role: 'dpo' });
    const setup = await server.token({ sub: 'dpo-rate-2', role: 'dpo' });
    const { registerPartner } = (await server.gql(`mutation { registerPartner(input: { name: "Courier", bin: "180440000009" }) { id } }`, {}, dpo)).body.data!;
    const { registerContract } = (await server.gql(`mutation($p: ID!) { registerContract(input: { partnerId: $p, number: "AG-1", validFrom: "2020-01-01", validTo: "2099-12-31", categories: [PHONE], purposes: [THIRD_PARTY_OBLIGATIONS] }) { id } }`, { p: registerPartner.id }, dpo)).body.data!;
    const issue = async () => (await server.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [PHONE]) { token } }`, { c: registerContract.id }, setup)).body.data!.issuePartnerToken.token as string;
    const [a, b] = [await issue(), await issue()];
    const ORDERS = '{ partnerOrders(first: 1) { edges { cursor } } }';
    for (const token of [a, a, b, b]) expect((await server.gql(ORDERS, {}, token)).status).toBe(200);
    expectRateLimited(await server.gql(ORDERS, {}, a));
  });
});

describe('shared limits through Redis (REDIS_URL)', () => {
  let db: TestDatabase;
  const servers: TestServer[] = [];
  // A fresh key prefix per run: counts from earlier runs cannot leak in.
  const prefix = `kzpay-test-${randomBytes(6).toString('hex')}`;
  /** Two instances sharing one Redis, as behind a load balancer. */
  const pair = async (name: string, limits: Record<string, string>): Promise<[TestServer, TestServer]> => {
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: `${prefix}-${name}`, ...limits };
    const started = [await startTestServer({ env, db }), await startTestServer({ env, db })] as [TestServer, TestServer];
    servers.push(...started);
    return started;
  };

  beforeAll(async () => {
    // Redis runs on every machine this project is tested on: unreachable is a failure, not a skip.
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null });
    try {
      await probe.connect();
      expect(await probe.ping()).toBe('PONG');
    } finally {
      probe.disconnect();
    }
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await db?.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('two instances behind one load balancer share one count per principal', async () => {
    const [first, second] = await pair('principal', { RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_PER_PRINCIPAL: '4' });
    const token = await first.token({ sub: 'operator-shared', role: 'operator' });
    expect((await first.gql(POLICY, {}, token)).status).toBe(200);
    expect((await second.gql(POLICY, {}, token)).status).toBe(200);
    expect((await first.gql(POLICY, {}, token)).status).toBe(200);
    expect((await second.gql(POLICY, {}, token)).status).toBe(200);
    // Four in all, two on each: either instance now refuses.
    expectRateLimited(await first.gql(POLICY, {}, token));
    expectRateLimited(await second.gql(POLICY, {}, token));
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}-principal:principal*`);
      expect(keys).toHaveLength(1);
      // The key is a hash: Redis does not hold the subject id.
      expect(keys[0]).not.toContain('operator-shared');
    } finally {
      await redis.quit();
    }
  });

  it('two instances share one count per IP', async () => {
    const [first, second] = await pair('ip', { RATE_LIMIT_PER_IP: '3', RATE_LIMIT_PER_PRINCIPAL: '0' });
    expect((await first.gql(POLICY)).status).toBe(200);
    expect((await second.gql(POLICY)).status).toBe(200);
    expect((await first.gql(POLICY)).status).toBe(200);
    // Three in all from this address: the fourth is refused whichever instance it reaches.
    const limited = await second.raw('this body is never parsed');
    expectRateLimited({ status: limited.status, headers: limited.headers, body: limited.json });
    expectRateLimited(await first.gql(POLICY));
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}-ip:ip*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toMatch(/127\.0\.0\.1|::1/);
    } finally {
      await redis.quit();
    }
  });
});
