/**
 * Bearer tokens: HS256 with JWT_SECRET, or RS256/ES256 from a JWKS for an external identity
 * provider. Algorithms are pinned per key, so `alg: none` and algorithm confusion fail.
 */
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { unauthenticated } from '../errors';
import { isRole, type Role } from '../privacy/roles';
import type { Principal } from './principal';

export interface TokenClaims {
  sub: string;
  role: Role;
  scope?: string;
  partner_id?: string;
  contract_id?: string;
  lawful_request_id?: string;
  jti?: string;
  /** Client tokens only: the account's token version at issue (P7). Absent means 0. */
  ver?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const encoder = new TextEncoder();

export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, role, scope, ver } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '' || !isRole(role)) throw unauthenticated('Invalid token');
  if (scope !== undefined && typeof scope !== 'string') throw unauthenticated('Invalid token');
  if (ver !== undefined && !(Number.isInteger(ver) && (ver as number) >= 0)) throw unauthenticated('Invalid token');
  const partnerId = typeof payload.partner_id === 'string' ? payload.partner_id : null;
  const contractId = typeof payload.contract_id === 'string' ? payload.contract_id : null;
  const tokenId = typeof payload.jti === 'string' && payload.jti !== '' ? payload.jti : null;
  const lawfulRequestId = typeof payload.lawful_request_id === 'string' ? payload.lawful_request_id : null;
  // Disclosure tokens are registered by jti (revocable, logged), so they must carry one.
  if (role === 'partner' && (!partnerId || !contractId || !tokenId)) throw unauthenticated('Invalid token');
  if (role === 'authority' && (!lawfulRequestId || !tokenId)) throw unauthenticated('Invalid token');
  return {
    role,
    sub,
    clientId: role === 'client' ? sub : null,
    scopes: new Set(typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []),
    partnerId,
    contractId,
    tokenId,
    lawfulRequestId,
    ...(role === 'client' ? { tokenVersion: (ver as number | undefined) ?? 0 } : {}),
  };
}

export function createTokenVerifier(jwt: Config['jwt']): TokenVerifier {
  const secret = jwt.secret ? encoder.encode(jwt.secret) : null;
  const jwks: JWTVerifyGetKey | null = jwt.jwksUrl ? createRemoteJWKSet(new URL(jwt.jwksUrl)) : null;
  // A token without `exp` would never expire: refused whoever signed it.
  const common = { issuer: jwt.issuer, audience: jwt.audience, requiredClaims: ['exp'] };
  const verified = new Map<string, { payload: JWTPayload; untilMs: number }>();
  return async (token) => {
    const known = verified.get(token);
    // `exp` keeps applying to a remembered token, to the millisecond jose would refuse it at.
    if (known && Date.now() < known.untilMs) return principalFromClaims(known.payload);
    let payload: JWTPayload;
    try {
      if (secret && (!jwks || headerAlg(token) === 'HS256')) {
        ({ payload } = await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] }));
      } else if (jwks) {
        ({ payload } = await jwtVerify(token, jwks, { ...common, algorithms: ['RS256', 'ES256'] }));
      } else {
        throw new Error('no key configured');
      }
    } catch {
      throw unauthenticated('Invalid or expired token');
    }
    const principal = principalFromClaims(payload);
    if (verified.size >= VERIFIED_TOKENS) verified.clear();
    verified.set(token, { payload, untilMs: Math.min((payload.exp as number) * 1000, Date.now() + VERIFIED_TOKEN_MS) });
    return principal;
  };
}

/**
 * A token whose signature and claims checked out is remembered briefly, so a caller's next
 * requests skip the signature: revocation is not the signature's business (token versions,
 * sessions and disclosure tokens are read from the database on every request all the same), and
 * a key withdrawn from the JWKS stops verifying within this window.
 */
const VERIFIED_TOKEN_MS = 30_000;
const VERIFIED_TOKENS = 10_000;

function headerAlg(token: string): string | null {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' ? header.alg : null;
  } catch {
    return null;
  }
}

export async function signToken(jwt: Config['jwt'], claims: TokenClaims, ttlSeconds = jwt.ttlSeconds): Promise<string> {
  if (!jwt.secret) throw new Error('JWT_SECRET is not configured: this server cannot issue tokens');
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(jwt.issuer)
    .setAudience(jwt.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(jwt.secret));
}
