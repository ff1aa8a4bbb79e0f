import { REGISTER, registration } from '../support/fixtures';
import { codes, type GraphQLResponse, startTestServer } from '../support/server';
import { COOKIE, login, LOGIN, ME, RANDOM_VALUE, sha256Hex, withCookie } from '../support/sessions';
import { registerClient } from '../support/accounts';
import { useWorld } from '../support/world';

type Response = GraphQLResponse<Record<string, any>>;

const world = useWorld();

const ATTRIBUTES = (maxAge: number) => `Max-Age=${maxAge}; Path=/graphql; HttpOnly; SameSite=Strict`;

describe('the session cookie (P6)', () => {
  it('login sets exactly one cookie: a random id, HttpOnly, SameSite=Strict, Path=/graphql, Max-Age of the token lifetime, not Secure on local http', async () => {
    const account = await registerClient(world);
    const { setCookies, cookie, token } = await login(world, account);
    expect(token).toEqual(expect.any(String));
    expect(setCookies).toEqual([`${COOKIE}=${cookie}; ${ATTRIBUTES(world.config.jwt.ttlSeconds)}`]);
    expect(cookie).toMatch(RANDOM_VALUE);
  });

  it('with COOKIE_SECURE=true the cookie is also Secure', async () => {
    const secure = await startTestServer({ env: { COOKIE_SECURE: 'true' } });
    try {
      const { setCookies, cookie } = await login(secure, await registerClient(secure));
      expect(setCookies).toEqual([`${COOKIE}=${cookie}; Max-Age=${secure.config.jwt.ttlSeconds}; Path=/graphql; HttpOnly; Secure; SameSite=Strict`]);
    } finally {
      await secure.close();
    }
  });

  it('the server keeps only the SHA-256 of the cookie value, with the client id, times and token version', async () => {
    const account = await registerClient(world);
    const { cookie } = await login(world, account);
    const rows = await world.sql('select * from session where client_id = ?', [account.clientId]);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ token_hash: sha256Hex(cookie!), token_version: 0, revoked_at: null });
    expect((new Date(row!.expires_at).getTime() - new Date(row!.created_at).getTime()) / 1000).toBe(world.config.jwt.ttlSeconds);
    expect(JSON.stringify(rows)).not.toContain(cookie!);
  });

  it('the cookie alone authenticates a GraphQL request', async () => {
    const account = await registerClient(world);
    const { cookie } = await login(world, account);
    const me = await withCookie(world, ME, cookie!);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data!.me.id).toBe(account.clientId);
  });

  it('an Authorization header, when present, decides alone: the cookie is not a fallback', async () => {
    const a = await registerClient(world);
    const b = await registerClient(world);
    const { cookie } = await login(world, a);
    const { token } = await login(world, b);
    const asB = await world.gql(ME, {}, token, { cookie: `${COOKIE}=${cookie}` });
    expect(asB.body.data!.me.id).toBe(b.clientId);
    const badHeader = await world.gql(ME, {}, 'not-a-jwt', { cookie: `${COOKIE}=${cookie}` });
    expect(badHeader.status).toBe(401);
    expect(codes(badHeader)).toEqual(['UNAUTHENTICATED']);
  });

  it('logout revokes the session and clears the cookie; the old cookie is then refused (401) and cleared again', async () => {
    const account = await registerClient(world);
    const { cookie } = await login(world, account);
    const out = await withCookie(world, `mutation { logout }`, cookie!);
    expect(out.body).toEqual({ data: { logout: true }, extensions: expect.anything() });
    expect(out.headers.getSetCookie()).toEqual([`${COOKIE}=; ${ATTRIBUTES(0)}`]);
    const [row] = await world.sql('select revoked_at from session where token_hash = ?', [sha256Hex(cookie!)]);
    expect(row!.revoked_at).not.toBeNull();

    const again = await withCookie(world, ME, cookie!);
    expect(again.status).toBe(401);
    expect(codes(again)).toEqual(['UNAUTHENTICATED']);
    expect(again.headers.getSetCookie()).toEqual([`${COOKIE}=; ${ATTRIBUTES(0)}`]);
  });

  it('logout with a bearer token ends no session (there is none) but still clears the cookie', async () => {
    const { token } = await login(world, await registerClient(world));
    const out = await world.gql(`mutation { logout }`, {}, token);
    expect(out.body.data).toEqual({ logout: false });
    expect(out.headers.getSetCookie()).toEqual([`${COOKIE}=; ${ATTRIBUTES(0)}`]);
  });

  it('an expired session is refused', async () => {
    const account = await registerClient(world);
    const { cookie } = await login(world, account);
    await world.sql(`update session set expires_at = now() - interval '1 second' where token_hash = ?`, [sha256Hex(cookie!)]);
    expect(codes(await withCookie(world, ME, cookie!))).toEqual(['UNAUTHENTICATED']);
  });

  it('an unknown or malformed session cookie is refused; other cookies are ignored', async () => {
    for (const value of ['A'.repeat(43), 'short', 'a.b.c']) {
      const response = await withCookie(world, ME, value);
      expect({ value, codes: codes(response) }).toEqual({ value, codes: ['UNAUTHENTICATED'] });
    }
    const other = await world.gql(`{ privacyPolicy { version } }`, {}, null, { cookie: 'theme=dark; lang=kk' });
    expect(other.body.errors).toBeUndefined();
    expect(other.headers.getSetCookie()).toEqual([]);
  });
});

describe('CSRF protection stays on for cookie-authenticated requests', () => {
  async function liveSession(): Promise<string> {
    const { cookie } = await login(world, await registerClient(world));
    return cookie!;
  }
  const stillLive = async (cookie: string) => {
    const [row] = await world.sql('select revoked_at from session where token_hash = ?', [sha256Hex(cookie)]);
    return row!.revoked_at === null;
  };

  it.each([
    ['text/plain', JSON.stringify({ query: 'mutation { logout }' })],
    ['application/x-www-form-urlencoded', 'query=mutation%20%7B%20logout%20%7D'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nmutation { logout }\r\n--x--\r\n'],
  ])('a simple cross-site POST (%s, no preflight header) is refused before anything runs', async (contentType, body) => {
    const cookie = await liveSession();
    const response = await fetch(world.app.url, { method: 'POST', headers: { 'content-type': contentType, cookie: `${COOKIE}=${cookie}` }, body });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('"logout"');
    expect(await stillLive(cookie)).toBe(true);
  });

  it('a GET cannot run a mutation, with or without the preflight header', async () => {
    const cookie = await liveSession();
    const url = `${world.app.url}?query=${encodeURIComponent('mutation { logout }')}`;
    const simple = await fetch(url, { headers: { cookie: `${COOKIE}=${cookie}` } });
    expect(simple.status).toBe(400);
    const preflighted = await fetch(url, { headers: { cookie: `${COOKIE}=${cookie}`, 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(405);
    expect(await stillLive(cookie)).toBe(true);
  });
});

describe('no cookie or header ever carries personal data or token claims (P6)', () => {
  it('across register, login, me, errors, logout, a compromise report, the forced password change and the login after it the only Set-Cookie is the session cookie, random and with the fixed attributes', async () => {
    const seen: Response[] = [];
    const record = async (response: Promise<Response>) => {
      const r = await response;
      seen.push(r);
      return r;
    };
    const input = registration();
    const registered = await record(world.gql(REGISTER, { input }));
    const clientId = registered.body.data!.registerClient.clientId as string;
    const registrationToken = registered.body.data!.registerClient.token as string;
    await record(world.gql(LOGIN, { l: input.login, p: 'wrong password here' }));
    await record(world.gql(LOGIN, { l: 'nobody.at.all', p: 'wrong password here' }));
    const first = await record(world.gql(LOGIN, { l: input.login, p: input.password }));
    const second = await record(world.gql(LOGIN, { l: input.login, p: input.password }));
    const cookieOf = (r: Response) => /^kzp_session=([^;]*);/.exec(r.headers.getSetCookie()[0] ?? '')?.[1] ?? '';
    const cookie = cookieOf(first);
    const token = first.body.data!.login.token as string;
    await record(withCookie(world, `{ me { id surname iin phones emails } }`, cookie));
    await record(world.gql(`{ me { id surname } }`, {}, token));
    await record(withCookie(world, `{ clients { totalCount } }`, cookie));
    await record(withCookie(world, `{ me { nope } }`, cookie));
    await record(withCookie(world, `mutation { updateMyContacts(input: { phones: ["+4915112345678"] }) { id } }`, cookie));
    await record(world.gql(REGISTER, { input: registration({ login: input.login }) }));
    await record(withCookie(world, `mutation { logout }`, cookie));
    await record(withCookie(world, ME, cookie));
    await record(world.gql(ME, {}, 'garbage'));
    // P7: the report through the second session, the login that hands out a reset token, the change, the next login.
    const reported = await record(withCookie(world, `mutation { reportSuspectedCompromise }`, cookieOf(second)));
    expect(reported.body.data).toEqual({ reportSuspectedCompromise: true });
    const required = await record(world.gql(LOGIN, { l: input.login, p: input.password }));
    expect(codes(required)).toEqual(['PASSWORD_CHANGE_REQUIRED']);
    const resetToken = required.body.errors![0]!.extensions!.resetToken as string;
    const newPassword = 'a new passphrase after compromise';
    const changed = await record(world.gql(`mutation($t: String!, $p: String!) { changePassword(resetToken: $t, newPassword: $p) }`, { t: resetToken, p: newPassword }));
    expect(changed.body.errors).toBeUndefined();
    const third = await record(world.gql(LOGIN, { l: input.login, p: newPassword }));
    expect(third.body.errors).toBeUndefined();

    const setCookies = seen.flatMap((r) => r.headers.getSetCookie());
    expect(setCookies.length).toBeGreaterThanOrEqual(6);
    const values = setCookies.map((c) => {
      const match = /^kzp_session=([A-Za-z0-9_-]*); Max-Age=(\d+); Path=\/graphql; HttpOnly; SameSite=Strict$/.exec(c);
      expect({ cookie: c, wellFormed: Boolean(match) }).toEqual({ cookie: c, wellFormed: true });
      return match![1]!;
    });
    const issued = values.filter((v) => v !== '');
    expect(issued).toEqual([cookie, cookieOf(second), cookieOf(third)]);
    expect(new Set(issued).size).toBe(3);

    const personal = [
      input.login, input.password, input.iin, input.surname, input.firstName, input.patronymic,
      ...(input.phones as string[]), ...(input.emails as string[]), (input.bankAccounts as Array<{ iban: string }>)[0]!.iban,
    ].map(String);
    const thirdToken = third.body.data!.login.token as string;
    const forbiddenInHeaders = [
      ...personal, newPassword, resetToken, clientId, clientId.replace(/-/g, ''), token, registrationToken, thirdToken, token.split('.')[1]!, thirdToken.split('.')[1]!,
    ];
    for (const value of issued) {
      expect(value).toMatch(RANDOM_VALUE);
      const decoded = Buffer.from(value, 'base64url');
      for (const secret of [clientId, clientId.replace(/-/g, ''), input.login as string]) {
        expect(decoded.includes(Buffer.from(secret)) || decoded.toString('hex').includes(secret.replace(/-/g, ''))).toBe(false);
      }
    }
    for (const response of seen) {
      const headers = JSON.stringify([...response.headers.entries()]);
      for (const value of forbiddenInHeaders) {
        expect({ leaked: headers.includes(value) ? value : null }).toEqual({ leaked: null });
      }
    }
  });
});
