/**
 * Rate limits per IP and per principal: RATE_LIMITED (429) with Retry-After; in-process by
 * default, and one shared count across instances through Redis.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/harness';
import { errorCodes, startHardenedServer, type HardenedServer } from './support';

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
  let server: HardenedServer;
  beforeAll(async () => {
    server = await startHardenedServer({ env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_PER_PRINCIPAL: '2', RATE_LIMIT_WINDOW_SECONDS: '60' } });
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

describe('shared limits through Redis (REDIS_URL)', () => {
  let reachable = false;
  let db: TestDatabase;
  let first: HardenedServer;
  let second: HardenedServer;
  // A fresh key prefix per run: counts from earlier runs cannot leak in.
  const prefix = `kzpay-test-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null });
    reachable = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
    probe.disconnect();
    if (!reachable) return;
    db = await createTestDatabase();
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_PER_PRINCIPAL: '4' };
    first = await startHardenedServer({ env, db });
    second = await startHardenedServer({ env, db });
  });
  afterAll(async () => {
    if (!reachable) return;
    await first.close();
    await second.close();
    await db.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('two instances behind one load balancer share one count per principal', async () => {
    if (!reachable) {
      console.warn(`SKIPPED: Redis is not reachable at ${REDIS_URL}; the shared rate limit was not tested`);
      return;
    }
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
      const keys = await redis.keys(`${prefix}:principal*`);
      expect(keys).toHaveLength(1);
      // The key is a hash: Redis does not hold the subject id.
      expect(keys[0]).not.toContain('operator-shared');
    } finally {
      await redis.quit();
    }
  });
});
