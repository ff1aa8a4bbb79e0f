import type { Role } from '../privacy/roles';

/** Who is calling, as proven by a verified token. Carries no personal values. */
export interface Principal {
  readonly role: Role;
  readonly sub: string;
  /** For role `client`: the client id the token acts as (its `sub`). */
  readonly clientId: string | null;
  readonly scopes: ReadonlySet<string>;
  readonly partnerId: string | null;
  readonly contractId: string | null;
  /** The token's `jti`: partner and authority tokens are registered under it, so they can be revoked. */
  readonly tokenId: string | null;
  /** For role `authority`: the lawful request the token is bound to (P5.2). */
  readonly lawfulRequestId: string | null;
  /** For role `client`: the account token version the credential was issued under (P7). */
  readonly tokenVersion?: number;
  /** Set when a session cookie, not a bearer token, authenticated the request (P6). */
  readonly sessionId?: string;
}
