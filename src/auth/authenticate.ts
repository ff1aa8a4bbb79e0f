/**
 * Who is calling: a bearer token if the Authorization header is present, else the session
 * cookie (P6). A credential of a client account must carry the account's current token version
 * (P7), so one bump revokes every token and session at once. One indexed query per request,
 * made once while building the context.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { apiError } from '../errors';
import type { HttpControls } from '../net/http-exchange';
import { readCookie } from './cookies';
import type { Principal } from './principal';
import { clearSessionCookie, findLiveSession, SESSION_COOKIE } from './sessions';
import { createTokenVerifier } from './tokens';
import { UUID } from '../validation/validate';

export interface Credentials {
  readonly authorization: string | undefined;
  readonly cookie: string | undefined;
}

export type Authenticate = (credentials: Credentials, em: EntityManager, http: HttpControls) => Promise<Principal | null>;

const rejected = (message: string) => apiError('UNAUTHENTICATED', message, { http: { status: 401 } });

async function currentTokenVersion(em: EntityManager, clientId: string): Promise<number | null> {
  if (!UUID.test(clientId)) return null;
  const rows: Array<{ token_version: number }> = await em.getConnection().execute('select token_version from client where id = ?', [clientId]);
  return rows[0]?.token_version ?? null;
}

export function createAuthenticator(config: Config): Authenticate {
  const verify = createTokenVerifier(config.jwt);
  return async ({ authorization, cookie }, em, http) => {
    if (authorization) {
      const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization);
      if (!match?.[1]) throw rejected('Malformed Authorization header');
      const principal = await verify(match[1]).catch(() => {
        throw rejected('Invalid or expired token');
      });
      // Staff and partner tokens are not bound to a client account: nothing to compare.
      if (principal.clientId !== null && (await currentTokenVersion(em, principal.clientId)) !== principal.tokenVersion) {
        throw rejected('Invalid or expired token');
      }
      return principal;
    }
    const value = readCookie(cookie, SESSION_COOKIE);
    if (!value) return null;
    const session = await findLiveSession(em, value);
    if (!session) {
      // The browser would keep sending a dead cookie: tell it to drop it.
      clearSessionCookie(http, config);
      throw rejected('Session expired or revoked');
    }
    return {
      role: 'client',
      sub: session.clientId,
      clientId: session.clientId,
      scopes: new Set(),
      partnerId: null,
      contractId: null,
      tokenId: null,
      lawfulRequestId: null,
      tokenVersion: session.tokenVersion,
      sessionId: session.id,
    };
  };
}
