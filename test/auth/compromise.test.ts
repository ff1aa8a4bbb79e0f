import { hashPassword } from '../../src/auth/password';
import { codes } from '../support/server';
import { COOKIE, jwtPayload, login, ME, RANDOM_VALUE, sha256Hex, withCookie } from '../support/sessions';
import { registerClient, type Registered } from '../support/accounts';
import { useWorld } from '../support/world';

// The real hash, watched: the order of lookup and hashing is what one test checks.
jest.mock('../../src/auth/password', () => {
  const actual = jest.requireActual('../../src/auth/password');
  return { ...actual, hashPassword: jest.fn(actual.hashPassword) };
});

const world = useWorld();

const REPORT = `mutation($id: ID) { reportSuspectedCompromise(clientId: $id) }`;
const CHANGE = `mutation($t: String!, $p: String!) { changePassword(resetToken: $t, newPassword: $p) }`;
const NEW_PASSWORD = 'a brand new long passphrase';

const clientRow = async (clientId: string) =>
  (await world.sql('select token_version, password_change_required, password_hash from client where id = ?', [clientId]))[0]!;
const events = (clientId: string) => world.sql('select * from security_event where client_id = ? order by at', [clientId]);

/** Registers, reports the account as compromised (as itself) and returns a reset token from login. */
async function compromised(): Promise<Registered & { resetToken: string }> {
  const account = await registerClient(world);
  const { token } = await login(world, account);
  expect((await world.gql(REPORT, {}, token)).body.data).toEqual({ reportSuspectedCompromise: true });
  const { response } = await login(world, account);
  return { ...account, resetToken: response.body.errors![0]!.extensions!.resetToken as string };
}

describe('reportSuspectedCompromise (P7) revokes every token and session at once', () => {
  it('a client reporting itself: the old JWTs and cookies are refused on the very next request', async () => {
    const account = await registerClient(world);
    const first = await login(world, account);
    const second = await login(world, account);
    for (const cookie of [first.cookie!, second.cookie!]) expect((await withCookie(world, ME, cookie)).body.data!.me.id).toBe(account.clientId);
    expect((await world.gql(ME, {}, second.token)).body.data!.me.id).toBe(account.clientId);

    const report = await withCookie(world, `mutation { reportSuspectedCompromise }`, first.cookie!);
    expect(report.body.data).toEqual({ reportSuspectedCompromise: true });
    // The reporting browser is told to drop its cookie at once.
    expect(report.headers.getSetCookie()).toEqual([`${COOKIE}=; Max-Age=0; Path=/graphql; HttpOnly; SameSite=Strict`]);

    for (const token of [first.token!, second.token!]) {
      const response = await world.gql(ME, {}, token);
      expect(response.status).toBe(401);
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    }
    for (const cookie of [first.cookie!, second.cookie!]) expect(codes(await withCookie(world, ME, cookie))).toEqual(['UNAUTHENTICATED']);

    expect(await clientRow(account.clientId)).toMatchObject({ token_version: 1, password_change_required: true });
    const sessions = await world.sql('select revoked_at from session where client_id = ?', [account.clientId]);
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.revoked_at !== null)).toBe(true);
  });

  it('records a security event with ids, roles and times only, no personal value', async () => {
    const account = await registerClient(world);
    const { token } = await login(world, account);
    await world.gql(REPORT, { id: account.clientId }, token);
    const rows = await events(account.clientId);
    expect(rows).toEqual([
      { id: expect.any(String), kind: 'COMPROMISE_REPORTED', client_id: account.clientId, actor_role: 'client', actor_sub: account.clientId, at: expect.any(String) },
    ]);
    const personal = [account.input.login, account.input.iin, account.input.surname, ...account.input.phones, ...account.input.emails];
    for (const value of personal) expect(JSON.stringify(rows)).not.toContain(value);
  });

  it('an operator and the DPO may report any client; the event names them', async () => {
    for (const [role, sub] of [['operator', 'op-7'], ['dpo', 'dpo-1']] as const) {
      const account = await registerClient(world);
      const { token: clientToken } = await login(world, account);
      const staff = await world.token({ sub, role });
      expect((await world.gql(REPORT, { id: account.clientId }, staff)).body.data).toEqual({ reportSuspectedCompromise: true });
      expect(codes(await world.gql(ME, {}, clientToken))).toEqual(['UNAUTHENTICATED']);
      expect(await events(account.clientId)).toMatchObject([{ kind: 'COMPROMISE_REPORTED', actor_role: role, actor_sub: sub }]);
      // Staff tokens are not bound to an account: the report does not touch them.
      expect((await world.gql(`{ clients { totalCount } }`, {}, staff)).body.errors).toBeUndefined();
    }
  });

  it('staff must name the client; an unknown id is NOT_FOUND, a malformed one BAD_USER_INPUT on clientId, and nothing changes', async () => {
    const operator = await world.token({ sub: 'op-7', role: 'operator' });
    expect(codes(await world.gql(REPORT, {}, operator))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await world.gql(REPORT, { id: '00000000-0000-4000-8000-000000000000' }, operator))).toEqual(['NOT_FOUND']);
    const malformed = await world.gql(REPORT, { id: 'not-a-uuid' }, operator);
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.body.errors![0]!.extensions!.field).toBe('clientId');
    expect(JSON.stringify(malformed.body)).not.toContain('not-a-uuid');
    expect(await world.sql('select * from security_event where actor_sub = ? and client_id is null', ['op-7'])).toEqual([]);
  });

  it('a client may not report another account; analysts and anonymous callers may not report at all', async () => {
    const victim = await registerClient(world);
    const other = await login(world, await registerClient(world));
    expect(codes(await world.gql(REPORT, { id: victim.clientId }, other.token))).toEqual(['FORBIDDEN']);
    const analyst = await world.token({ sub: 'an-1', role: 'analyst' });
    expect(codes(await world.gql(REPORT, { id: victim.clientId }, analyst))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql(REPORT, { id: victim.clientId }))).toEqual(['UNAUTHENTICATED']);
    expect(await clientRow(victim.clientId)).toMatchObject({ token_version: 0, password_change_required: false });
  });
});

describe('the token version check (P7)', () => {
  it('client JWTs carry `ver`; a token without it counts as version 0, so it dies with the first report', async () => {
    const account = await registerClient(world);
    const { token } = await login(world, account);
    expect(jwtPayload(token!)).toMatchObject({ sub: account.clientId, role: 'client', ver: 0 });
    const legacy = await world.token({ sub: account.clientId, role: 'client' });
    expect((await world.gql(ME, {}, legacy)).body.data!.me.id).toBe(account.clientId);
    await world.gql(REPORT, {}, token);
    expect(codes(await world.gql(ME, {}, legacy))).toEqual(['UNAUTHENTICATED']);
  });

  it('a client token from a later version, for a missing account, or with a malformed ver is refused', async () => {
    const account = await registerClient(world);
    const cases = [
      await world.token({ sub: account.clientId, role: 'client', ver: 1 }),
      await world.token({ sub: '00000000-0000-4000-8000-000000000000', role: 'client' }),
      await world.token({ sub: 'not-a-uuid', role: 'client' }),
      await world.token({ sub: account.clientId, role: 'client', ver: -1 }),
      await world.token({ sub: account.clientId, role: 'client', ver: 'x' as unknown as number }),
    ];
    for (const token of cases) expect(codes(await world.gql(ME, {}, token))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the forced password change (P7)', () => {
  it('login with the right password answers PASSWORD_CHANGE_REQUIRED with a one-time reset token, and no token or cookie', async () => {
    const account = await registerClient(world);
    const { token } = await login(world, account);
    await world.gql(REPORT, {}, token);
    const { response, setCookies } = await login(world, account);
    expect(response.body.data).toBeNull();
    expect(codes(response)).toEqual(['PASSWORD_CHANGE_REQUIRED']);
    const resetToken = response.body.errors![0]!.extensions!.resetToken as string;
    expect(resetToken).toMatch(RANDOM_VALUE);
    expect(setCookies).toEqual([]);
    const resets = await world.sql('select * from password_reset where client_id = ?', [account.clientId]);
    expect(resets).toMatchObject([{ token_hash: sha256Hex(resetToken), consumed_at: null }]);
    const lifetime = (new Date(resets[0]!.expires_at).getTime() - new Date(resets[0]!.created_at).getTime()) / 1000;
    expect(lifetime).toBe(15 * 60);
    expect(JSON.stringify(resets)).not.toContain(resetToken);

    // A wrong password learns nothing about the flag.
    expect(codes((await login(world, account, 'not the right password')).response)).toEqual(['UNAUTHENTICATED']);
  });

  it('changePassword sets a new argon2id hash, clears the flag, consumes the token and bumps the version again', async () => {
    const account = await compromised();
    const before = await clientRow(account.clientId);
    const change = await world.gql(CHANGE, { t: account.resetToken, p: NEW_PASSWORD });
    expect(change.body).toMatchObject({ data: { changePassword: true } });

    const after = await clientRow(account.clientId);
    expect(after).toMatchObject({ token_version: 2, password_change_required: false });
    // The configured cost (test/support/server.ts), not the library default.
    expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(after.password_hash).not.toBe(before.password_hash);
    expect(await world.sql('select * from password_reset where client_id = ? and consumed_at is null', [account.clientId])).toEqual([]);
    expect((await events(account.clientId)).map((e) => e.kind)).toEqual(['COMPROMISE_REPORTED', 'PASSWORD_CHANGED']);

    expect(codes(await world.gql(CHANGE, { t: account.resetToken, p: 'yet another long passphrase' }))).toEqual(['UNAUTHENTICATED']);
    expect(codes((await login(world, account)).response)).toEqual(['UNAUTHENTICATED']);
    const fresh = await login(world, account, NEW_PASSWORD);
    expect(jwtPayload(fresh.token!)).toMatchObject({ ver: 2 });
    expect((await world.gql(ME, {}, fresh.token)).body.data!.me.id).toBe(account.clientId);
    expect((await withCookie(world, ME, fresh.cookie!)).body.data!.me.id).toBe(account.clientId);
  });

  it('the new password must differ from the suspected one; a refused change leaves the token usable', async () => {
    const account = await compromised();
    const same = await world.gql(CHANGE, { t: account.resetToken, p: account.input.password });
    expect(codes(same)).toEqual(['BAD_USER_INPUT']);
    expect(same.body.errors![0]!.extensions!.field).toBe('newPassword');
    expect(JSON.stringify(same.body)).not.toContain(account.input.password);
    expect(codes(await world.gql(CHANGE, { t: account.resetToken, p: 'short' }))).toEqual(['BAD_USER_INPUT']);
    expect((await world.gql(CHANGE, { t: account.resetToken, p: NEW_PASSWORD })).body.data).toEqual({ changePassword: true });
  });

  it('an expired, unknown or malformed reset token is refused', async () => {
    const account = await compromised();
    await world.sql(`update password_reset set expires_at = now() - interval '1 second' where client_id = ?`, [account.clientId]);
    for (const t of [account.resetToken, 'B'.repeat(43), 'nope']) {
      expect(codes(await world.gql(CHANGE, { t, p: NEW_PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(await clientRow(account.clientId)).toMatchObject({ password_change_required: true });
  });

  it('an unknown reset token is refused before the new password is hashed; a known one is hashed once', async () => {
    const account = await compromised();
    const hashing = jest.mocked(hashPassword);
    hashing.mockClear();
    expect(codes(await world.gql(CHANGE, { t: 'C'.repeat(43), p: NEW_PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    expect(hashing).not.toHaveBeenCalled();
    expect((await world.gql(CHANGE, { t: account.resetToken, p: NEW_PASSWORD })).body.data).toEqual({ changePassword: true });
    expect(hashing).toHaveBeenCalledTimes(1);
  });

  it('a second report voids reset tokens already handed out', async () => {
    const account = await compromised();
    const operator = await world.token({ sub: 'op-7', role: 'operator' });
    await world.gql(REPORT, { id: account.clientId }, operator);
    expect(codes(await world.gql(CHANGE, { t: account.resetToken, p: NEW_PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    const { response } = await login(world, account);
    const next = response.body.errors![0]!.extensions!.resetToken as string;
    expect((await world.gql(CHANGE, { t: next, p: NEW_PASSWORD })).body.data).toEqual({ changePassword: true });
  });

  it('two changes racing for one token: exactly one wins', async () => {
    const account = await compromised();
    const results = await Promise.all([
      world.gql(CHANGE, { t: account.resetToken, p: 'first racing passphrase' }),
      world.gql(CHANGE, { t: account.resetToken, p: 'second racing passphrase' }),
    ]);
    expect(results.map((r) => (r.body.data?.changePassword ? 'ok' : codes(r)[0])).sort()).toEqual(['UNAUTHENTICATED', 'ok']);
    expect(await clientRow(account.clientId)).toMatchObject({ token_version: 2 });
  });
});
