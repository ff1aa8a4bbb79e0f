/**
 * Cookie sessions (P6): the cookie carries a random id and nothing else; the server keeps its
 * SHA-256 with the client id, the times and the token version at issue (P7).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '../clients/client.entity';
import type { Config } from '../config';
import type { CookieOptions, HttpControls } from '../net/http-exchange';
import { RANDOM_SECRET, randomSecret, sha256Hex } from './secrets';
import { Session } from './session.entity';

export const SESSION_COOKIE = 'kzp_session';
/** The cookie goes only to the API endpoint. */
export const SESSION_COOKIE_PATH = '/graphql';

const cookieOptions = (config: Config, maxAgeSeconds: number): CookieOptions => ({
  path: SESSION_COOKIE_PATH,
  maxAgeSeconds,
  secure: config.cookieSecure,
});

/** Stores a new session and sets its cookie; lives as long as a bearer token. */
export async function startSession(em: EntityManager, http: HttpControls, config: Config, client: Client): Promise<void> {
  const value = randomSecret();
  const ttl = config.jwt.ttlSeconds;
  const now = new Date();
  em.create(Session, { tokenHash: sha256Hex(value), client, tokenVersion: client.tokenVersion, createdAt: now, expiresAt: new Date(now.getTime() + ttl * 1000) });
  await em.flush();
  http.setCookie(SESSION_COOKIE, value, cookieOptions(config, ttl));
}

export function clearSessionCookie(http: HttpControls, config: Config): void {
  http.setCookie(SESSION_COOKIE, '', cookieOptions(config, 0));
}

export interface LiveSession {
  readonly id: string;
  readonly clientId: string;
  readonly tokenVersion: number;
}

/** The session a cookie value names, if not revoked, not expired and issued under the account's current token version. */
export async function findLiveSession(em: EntityManager, cookieValue: string): Promise<LiveSession | null> {
  if (!RANDOM_SECRET.test(cookieValue)) return null;
  const rows: Array<{ id: string; client_id: string; token_version: number }> = await em.getConnection().execute(
    `select s.id, s.client_id, s.token_version
       from session s join client c on c.id = s.client_id
      where s.token_hash = ? and s.revoked_at is null and s.expires_at > now() and s.token_version = c.token_version`,
    [sha256Hex(cookieValue)],
  );
  const row = rows[0];
  return row ? { id: row.id, clientId: row.client_id, tokenVersion: row.token_version } : null;
}

export async function revokeSession(em: EntityManager, sessionId: string): Promise<boolean> {
  return (await em.nativeUpdate(Session, { id: sessionId, revokedAt: null }, { revokedAt: new Date() })) > 0;
}
