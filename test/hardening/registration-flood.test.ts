/**
 * Registration is public and hashes a password with argon2id, on the thread pool that login's
 * verification shares. A flood of registrations must not stall anyone's login: what can be refused
 * without hashing is, registrations are budgeted per IP, pending hashes are bounded (the rest are
 * refused at once), and a hash whose request has run out of time is never started.
 *
 * No assertion on time: the machine is shared, so each test asserts what was served and what was
 * hashed (argon2's own `hash`, observed, not replaced).
 */
import argon2 from 'argon2';
import { REGISTER, registration } from '../support/fixtures';
import { errorCodes, startTestServer, type TestServer } from '../support/server';

const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;

const argon2Hash = argon2.hash;
let server: TestServer;
let hashes: jest.SpiedFunction<typeof argon2.hash>;

async function start(env: Record<string, string>): Promise<void> {
  server = await startTestServer({ env: { RATE_LIMIT_PER_IP: '0', ...env } });
}
beforeEach(() => {
  hashes = jest.spyOn(argon2, 'hash');
});
afterEach(async () => {
  hashes.mockRestore();
  await server?.close();
});

/** No deadline of the test's own: the server's answers are what is tested (jest's timeout guards a hang). */
const unhurried = () => ({ signal: AbortSignal.timeout(110_000) });
const register = (input: Record<string, unknown>) => server.raw({ query: REGISTER, variables: { input } }, {}, unhurried());
const stored = async (login: unknown) =>
  (await server.db.orm.em.fork().getConnection().execute(`select count(*)::int as n from client where login = ?`, [login]))[0].n as number;
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 3000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
};

it('a taken login or a registered IIN is refused before any password is hashed', async () => {
  await start({ RATE_LIMIT_REGISTRATIONS_PER_IP: '0' });
  const first = registration();
  expect(errorCodes((await register(first)).json)).toEqual([]);
  hashes.mockClear();
  const answers = await Promise.all(Array.from({ length: 20 }, () => register(registration({ login: first.login }))));
  for (const answer of answers) {
    expect(errorCodes(answer.json)).toEqual(['CONFLICT']);
    expect(answer.json!.errors![0]!.extensions!.field).toBe('login');
  }
  const sameIin = await register(registration({ iin: first.iin }));
  expect(errorCodes(sameIin.json)).toEqual(['CONFLICT']);
  expect(sameIin.json!.errors![0]!.extensions!.reason).toBe('NOT_REGISTRABLE');
  expect(hashes).not.toHaveBeenCalled();
});

it("a flood of registrations from one IP leaves another user's login served; what it may hash is bounded by the per-IP budget", async () => {
  await start({ RATE_LIMIT_REGISTRATIONS_PER_IP: '5' });
  const user = registration();
  expect(errorCodes((await register(user)).json)).toEqual([]);
  hashes.mockClear();
  const flood = Promise.all(Array.from({ length: 80 }, () => register(registration())));
  await until(() => hashes.mock.calls.length > 0);
  const login = await server.raw({ query: LOGIN, variables: { l: user.login, p: user.password } }, {}, unhurried());
  expect(login.json!.errors).toBeUndefined();
  expect((login.json!.data as { login: { token: string } }).login.token).toEqual(expect.any(String));

  const answers = await flood;
  const refused = answers.filter((a) => errorCodes(a.json).includes('RATE_LIMITED'));
  // One registration of the budget went to `user`: 4 more at most get through to the hasher.
  expect(refused.length).toBeGreaterThanOrEqual(80 - 4);
  for (const answer of refused) {
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  }
  for (const answer of answers) expect(['', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'REQUEST_TIMEOUT']).toContain(errorCodes(answer.json).join());
  expect(hashes.mock.calls.length).toBeLessThanOrEqual(4);
}, 120_000);

it('aliased registrations count one each against the per-IP budget, and nothing of an over-budget document runs', async () => {
  await start({ RATE_LIMIT_REGISTRATIONS_PER_IP: '2' });
  const [a, b, c] = [registration(), registration(), registration()];
  expect(errorCodes((await register(a)).json)).toEqual([]);
  const two = await server.raw({
    query: `mutation($b: RegisterClientInput!, $c: RegisterClientInput!) { b: registerClient(input: $b) { clientId } c: registerClient(input: $c) { clientId } }`,
    variables: { b, c },
  });
  expect(two.status).toBe(429);
  expect(errorCodes(two.json)).toEqual(['RATE_LIMITED']);
  expect(two.headers.get('retry-after')).toMatch(/^\d+$/);
  expect([await stored(a.login), await stored(b.login), await stored(c.login)]).toEqual([1, 0, 0]);
  expect(hashes).toHaveBeenCalledTimes(1);
  // Login is not registration: it keeps its own throttle.
  expect((await server.gql(LOGIN, { l: a.login, p: a.password })).body.errors).toBeUndefined();
});

it('past the queue of pending hashes, a registration is refused at once with SERVICE_UNAVAILABLE and Retry-After, writing nothing', async () => {
  await start({ RATE_LIMIT_REGISTRATIONS_PER_IP: '0', PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '2' });
  const inputs = Array.from({ length: 12 }, () => registration());
  const answers = await Promise.all(inputs.map((input) => register(input)));
  const busy = answers.flatMap((a, i) => (errorCodes(a.json).includes('SERVICE_UNAVAILABLE') ? [i] : []));
  expect(busy.length).toBeGreaterThanOrEqual(1);
  for (const i of busy) {
    expect(answers[i]!.status).toBe(503);
    expect(answers[i]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await stored(inputs[i]!.login)).toBe(0);
  }
  for (const answer of answers) expect(['', 'SERVICE_UNAVAILABLE', 'REQUEST_TIMEOUT']).toContain(errorCodes(answer.json).join());
  expect(hashes.mock.calls.length).toBe(12 - busy.length);
});

it('a hash waiting in the queue is dropped when its request runs out of time: REQUEST_TIMEOUT, nothing hashed, nothing written', async () => {
  await start({ RATE_LIMIT_REGISTRATIONS_PER_IP: '0', PASSWORD_HASH_CONCURRENCY: '1', REQUEST_TIMEOUT_MS: '500' });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // The first hash is held until the second request's deadline has passed.
  hashes.mockImplementationOnce(async (...args) => {
    await held;
    return argon2Hash(...args);
  });
  const [first, second] = [registration(), registration()];
  const firstAnswer = register(first);
  await until(() => hashes.mock.calls.length === 1);
  const secondAnswer = await register(second);
  expect(secondAnswer.status).toBe(503);
  expect(errorCodes(secondAnswer.json)).toEqual(['REQUEST_TIMEOUT']);
  expect(hashes).toHaveBeenCalledTimes(1);
  release();
  await hashes.mock.results[0]!.value;
  await new Promise((r) => setImmediate(r));
  expect(hashes).toHaveBeenCalledTimes(1);
  expect(errorCodes((await firstAnswer).json)).toEqual(['REQUEST_TIMEOUT']);
  expect(await stored(first.login)).toBe(0);
  expect(await stored(second.login)).toBe(0);
});
