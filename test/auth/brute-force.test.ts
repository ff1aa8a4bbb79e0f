import { createLogger } from '../../src/logger';
import { startApp } from '../../src/http/app';
import { codes, startTestServer } from '../support/server';
import { login, LOGIN, sha256Hex } from '../support/sessions';
import { registerClient } from '../support/accounts';
import { useWorld } from '../support/world';

const world = useWorld();
// Every request here comes from 127.0.0.1: start each rule from clean counters.
beforeEach(() => world.sql('delete from login_throttle'));

const attempt = async (loginName: string, password: string) => {
  const response = await world.gql(LOGIN, { l: loginName, p: password });
  const error = response.body.errors?.[0];
  return { code: response.body.data?.login ? 'OK' : codes(response)[0], message: error?.message ?? null, retryAfterSeconds: error?.extensions?.retryAfterSeconds };
};
const WRONG = 'definitely not it';
const loginRow = async () => (await world.sql(`select failures, extract(epoch from locked_until - last_failure_at)::int as lock_seconds from login_throttle where kind = 'login'`))[0];
const unlock = () => world.sql(`update login_throttle set locked_until = now() - interval '1 second' where locked_until is not null`);

describe('brute-force protection on login (per login, per IP, shared through PostgreSQL)', () => {
  it('after 5 failures the login is locked: even the right password gets TOO_MANY_ATTEMPTS', async () => {
    const account = await registerClient(world);
    for (let i = 0; i < 5; i++) expect((await attempt(account.input.login, WRONG)).code).toBe('UNAUTHENTICATED');
    expect(await attempt(account.input.login, account.input.password)).toEqual({
      code: 'TOO_MANY_ATTEMPTS',
      message: 'Too many login attempts: try again later',
      retryAfterSeconds: expect.any(Number),
    });
  });

  it('an unknown login gets exactly the same answers as an existing one: no account oracle', async () => {
    const account = await registerClient(world);
    const real = [];
    for (let i = 0; i < 7; i++) real.push(await attempt(account.input.login, WRONG));
    await world.sql('delete from login_throttle');
    const unknown = [];
    for (let i = 0; i < 7; i++) unknown.push(await attempt('no.such.login', WRONG));
    // The countdown runs on between the two series (a slow machine loses a second): compare the lock in whole minutes.
    const inMinutes = (r: Awaited<ReturnType<typeof attempt>>) =>
      ({ ...r, retryAfterSeconds: r.retryAfterSeconds === undefined ? undefined : Math.ceil(Number(r.retryAfterSeconds) / 60) });
    expect(unknown.map(inMinutes)).toEqual(real.map(inMinutes));
    expect(real.map((r) => r.code)).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
    expect(real.map((r) => r.retryAfterSeconds)).toEqual([...Array(5).fill(undefined), expect.any(Number), expect.any(Number)]);
    for (const r of [...real.slice(5), ...unknown.slice(5)]) expect(Number(r.retryAfterSeconds)).toBeGreaterThan(0);
  });

  it('the lock doubles with each failure after it (1 min, 2 min, ...) and a success starts the login over', async () => {
    const account = await registerClient(world);
    for (let i = 0; i < 5; i++) await attempt(account.input.login, WRONG);
    expect(await loginRow()).toMatchObject({ failures: 5, lock_seconds: 60 });
    await unlock();
    expect((await attempt(account.input.login, WRONG)).code).toBe('UNAUTHENTICATED');
    expect(await loginRow()).toMatchObject({ failures: 6, lock_seconds: 120 });
    const locked = await attempt(account.input.login, account.input.password);
    expect(locked.code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked.retryAfterSeconds).toBeGreaterThan(110);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(120);
    await unlock();
    expect((await attempt(account.input.login, account.input.password)).code).toBe('OK');
    expect(await loginRow()).toBeUndefined();
  });

  it('a successful login resets the count: 4 failures, a success, 4 failures still leave the login open', async () => {
    const account = await registerClient(world);
    for (let i = 0; i < 4; i++) await attempt(account.input.login, WRONG);
    expect((await attempt(account.input.login, account.input.password)).code).toBe('OK');
    for (let i = 0; i < 4; i++) await attempt(account.input.login, WRONG);
    expect((await attempt(account.input.login, account.input.password)).code).toBe('OK');
  });

  it('parallel attempts cannot slip past the limit: of 12 at once, exactly 5 are tried', async () => {
    const account = await registerClient(world);
    const results = await Promise.all(Array.from({ length: 12 }, () => attempt(account.input.login, WRONG)));
    expect(results.filter((r) => r.code === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(results.filter((r) => r.code === 'TOO_MANY_ATTEMPTS')).toHaveLength(7);
  });

  it('per IP: 30 failures spread over many logins lock the address for every login', async () => {
    const account = await registerClient(world);
    for (let i = 0; i < 30; i++) expect((await attempt(`spray.${i}`, WRONG)).code).toBe('UNAUTHENTICATED');
    expect((await attempt(account.input.login, account.input.password)).code).toBe('TOO_MANY_ATTEMPTS');
    await unlock();
    expect((await attempt(account.input.login, account.input.password)).code).toBe('OK');
  }, 120_000);

  it('per IP: an IPv6 caller counts by its /64, so rotating addresses inside it does not reset the count', async () => {
    const proxied = await startTestServer({ env: { TRUST_PROXY: '1' } });
    try {
      const from = (ip: string, l: string, p: string) => proxied.gql(LOGIN, { l, p }, null, { 'x-forwarded-for': ip });
      for (let i = 0; i < 30; i++) expect(codes(await from(`2001:db8:1:2::${(i + 1).toString(16)}`, `spray6.${i}`, WRONG))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await from('2001:db8:1:2::ffff', 'spray6.last', WRONG))).toEqual(['TOO_MANY_ATTEMPTS']);
      // Another subscriber's /64 is not locked.
      expect(codes(await from('2001:db8:1:3::1', 'spray6.other', WRONG))).toEqual(['UNAUTHENTICATED']);
    } finally {
      await proxied.close();
    }
  }, 120_000);

  it('the counters hold keyed hashes only, never the login or the IP', async () => {
    const account = await registerClient(world);
    await attempt(account.input.login, WRONG);
    const rows = await world.sql('select * from login_throttle');
    expect(rows.map((r) => r.kind).sort()).toEqual(['ip', 'login']);
    const text = JSON.stringify(rows);
    for (const value of [account.input.login, sha256Hex(account.input.login), '127.0.0.1', sha256Hex('127.0.0.1')]) expect(text).not.toContain(value);
  });

  it('a second server instance on the same database sees the lock', async () => {
    const account = await registerClient(world);
    for (let i = 0; i < 5; i++) await attempt(account.input.login, WRONG);
    const other = await startApp({ config: world.config, orm: world.db.orm, log: createLogger('silent'), port: 0 });
    try {
      const response = await fetch(other.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { l: account.input.login, p: account.input.password } }),
      });
      const body = (await response.json()) as { errors?: Array<{ extensions: { code: string } }> };
      expect(body.errors?.[0]?.extensions.code).toBe('TOO_MANY_ATTEMPTS');
    } finally {
      await other.stop();
    }
  });

  it('a lock is answered without checking the password and sets no cookie', async () => {
    const account = await registerClient(world);
    for (let i = 0; i < 5; i++) await attempt(account.input.login, WRONG);
    const locked = await login(world, account);
    expect(codes(locked.response)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(locked.setCookies).toEqual([]);
  });
});
