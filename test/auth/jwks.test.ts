import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenVerifier } from '../../src/auth/tokens';
import { codes, startTestServer, type TestServer } from '../support/server';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'kzpay-privacy-graph';

let jwksServer: Server;
let jwksUrl: string;
const keys = {} as Record<'RS256' | 'ES256', KeyLike>;

beforeAll(async () => {
  const published: Array<Record<string, unknown>> = [];
  for (const alg of ['RS256', 'ES256'] as const) {
    const pair = await generateKeyPair(alg);
    keys[alg] = pair.privateKey;
    published.push({ ...(await exportJWK(pair.publicKey)), kid: `idp-${alg}`, alg, use: 'sig' });
  }
  jwksServer = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

const config = () => ({ secret: null, jwksUrl, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 3600 });

interface SignOptions {
  alg?: 'RS256' | 'ES256';
  key?: KeyLike;
  /** A jose time span ('10m', '-1m') or null for no `exp` at all. */
  expires?: string | null;
}

function sign(claims: Record<string, unknown>, { alg = 'RS256', key = keys[alg], expires = '10m' }: SignOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg, kid: `idp-${alg}` }).setSubject('op-9').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt();
  return (expires === null ? jwt : jwt.setExpirationTime(expires)).sign(key);
}

const refused = { extensions: { code: 'UNAUTHENTICATED' } };

describe('tokens from an external identity provider (JWT_JWKS_URL)', () => {
  it.each(['RS256', 'ES256'] as const)('a %s token signed by a key in the JWKS is accepted with its role', async (alg) => {
    const principal = await createTokenVerifier(config())(await sign({ role: 'operator' }, { alg }));
    expect(principal).toMatchObject({ role: 'operator', sub: 'op-9', clientId: null });
  });

  it('a token signed by a key outside the JWKS is UNAUTHENTICATED', async () => {
    const other = await generateKeyPair('RS256');
    await expect(createTokenVerifier(config())(await sign({ role: 'operator' }, { key: other.privateKey }))).rejects.toMatchObject(refused);
  });

  it('an expired JWKS token is UNAUTHENTICATED', async () => {
    await expect(createTokenVerifier(config())(await sign({ role: 'operator' }, { alg: 'ES256', expires: '-1m' }))).rejects.toMatchObject(refused);
  });

  it('a JWKS token without `exp` is UNAUTHENTICATED', async () => {
    await expect(createTokenVerifier(config())(await sign({ role: 'operator' }, { expires: null }))).rejects.toMatchObject(refused);
  });

  it('an HS256 token is refused when only a JWKS is configured (no algorithm confusion)', async () => {
    const forged = await new SignJWT({ role: 'dpo' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(ISSUER)
      .setAudience(AUDIENCE).setExpirationTime('10m').sign(new TextEncoder().encode('a'.repeat(40)));
    await expect(createTokenVerifier(config())(forged)).rejects.toMatchObject(refused);
  });
});

describe('HS256 tokens', () => {
  const secret = 'b'.repeat(40);
  const hs = (exp: boolean) => {
    const jwt = new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'HS256' }).setSubject('op-1').setIssuer(ISSUER).setAudience(AUDIENCE);
    return (exp ? jwt.setExpirationTime('10m') : jwt).sign(new TextEncoder().encode(secret));
  };

  it('with `exp` are accepted, without `exp` are UNAUTHENTICATED', async () => {
    const verify = createTokenVerifier({ ...config(), secret, jwksUrl: null });
    await expect(verify(await hs(true))).resolves.toMatchObject({ role: 'operator' });
    await expect(verify(await hs(false))).rejects.toMatchObject(refused);
  });
});

describe('a server configured with JWT_JWKS_URL, over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { JWT_JWKS_URL: jwksUrl, JWT_ISSUER: ISSUER } });
  });
  afterAll(() => server.close());

  const QUERY = `{ clients(first: 1) { totalCount } }`;

  it('serves an operator with an ES256 token from the identity provider', async () => {
    const response = await server.gql(QUERY, {}, await sign({ role: 'operator' }, { alg: 'ES256' }));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.clients.totalCount).toBe(0);
  });

  it.each([
    ['expired', { expires: '-1m' }],
    ['without exp', { expires: null }],
  ] as const)('refuses a JWKS token (%s) with UNAUTHENTICATED (401)', async (_name, options) => {
    const response = await server.gql(QUERY, {}, await sign({ role: 'operator' }, options));
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});
