import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenVerifier } from '../../src/auth/tokens';

let server: Server;
let jwksUrl: string;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = () => ({ secret: null, jwksUrl, issuer: 'https://idp.example', audience: 'kzpay-privacy-graph', ttlSeconds: 3600 });
const sign = (claims: Record<string, unknown>, key: CryptoKey = privateKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).setSubject('op-9').setIssuer('https://idp.example')
    .setAudience('kzpay-privacy-graph').setIssuedAt().setExpirationTime('10m').sign(key);

describe('tokens from an external identity provider (JWT_JWKS_URL)', () => {
  it('an RS256 token signed by a key in the JWKS is accepted with its role', async () => {
    const principal = await createTokenVerifier(config())(await sign({ role: 'operator' }));
    expect(principal).toMatchObject({ role: 'operator', sub: 'op-9', clientId: null });
  });

  it('a token signed by a key outside the JWKS is UNAUTHENTICATED', async () => {
    const other = await generateKeyPair('RS256');
    await expect(createTokenVerifier(config())(await sign({ role: 'operator' }, other.privateKey as CryptoKey))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('an HS256 token is refused when only a JWKS is configured (no algorithm confusion)', async () => {
    const forged = await new SignJWT({ role: 'dpo' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('https://idp.example')
      .setAudience('kzpay-privacy-graph').setExpirationTime('10m').sign(new TextEncoder().encode('a'.repeat(40)));
    await expect(createTokenVerifier(config())(forged)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
