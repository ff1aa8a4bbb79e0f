/**
 * A kind of P5 recipient (a partner under its contract, an authority under its lawful request):
 * the one interface src/disclosure/recipient.ts dispatches through. Each kind has a grant (the
 * contract or the request) that opens categories while it is in force, and revocable tokens bound
 * to it, all with the same lifecycle.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import type { Config } from '../../config';
import { apiError } from '../../errors';
import type { PiiCategory } from '../../privacy/categories';
import type { Role } from '../../privacy/roles';
import type { RecipientRef } from '../batch';
import type { RecipientKind } from '../disclosure.entity';

export type GrantedRecipientKind = RecipientKind.PARTNER | RecipientKind.AUTHORITY;

export interface Recipient extends RecipientRef {
  readonly kind: GrantedRecipientKind;
  /** False once the grant is not in force (see each kind's rule): then nothing is granted. */
  readonly inForce: boolean;
  readonly categories: ReadonlySet<PiiCategory>;
  /** An authority's subjects are listed by its request; a partner's are looked up (`null`). */
  readonly subjectIds: ReadonlySet<string> | null;
}

export const revoked = () => apiError('UNAUTHENTICATED', 'Token revoked, expired or unknown', { http: { status: 401 } });

export interface IssuedToken {
  readonly token: string;
  readonly tokenId: string;
  readonly expiresAt: Date;
  readonly scope: string;
}

/** An issued token as the DPO sees it: never the token itself, which is shown once at issue. */
export interface TokenRecord {
  readonly tokenId: string;
  readonly categories: readonly PiiCategory[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly live: boolean;
}

/** Where a list of tokens starts, and how long it is. */
export interface TokenListPage {
  readonly before: { readonly at: Date; readonly id: string } | null;
  readonly limit: number;
}

/** What every issue names; a kind may ask for more (a partner token's scopes). */
export interface TokenIssue {
  /** The contract or lawful request the token is bound to. */
  readonly grantId: string;
  /** Seconds; never beyond the grant. */
  readonly ttl: number;
  /** The DPO issuing it (token subject). */
  readonly issuedBy: string;
}

export interface RecipientKindHandler<I extends TokenIssue = TokenIssue> {
  readonly kind: GrantedRecipientKind;
  /** The token role whose principals are recipients of this kind. */
  readonly role: Role;
  /**
   * The recipient behind the principal's token, with its grant and whether that is in force now.
   * The server's records decide, the claims only name them: an unknown, revoked or expired token throws `revoked()`.
   */
  load(em: EntityManager, principal: Principal, now: Date): Promise<Recipient>;
  /** Records the token's jti first, so a token exists only if it can be checked and revoked; refused unless the grant is in force. */
  issueToken(em: EntityManager, jwt: Config['jwt'], issue: I, now?: Date): Promise<IssuedToken>;
  /** Up to `limit` of the grant's tokens, newest first, issued before `before` (a token's issue time and id) when given. */
  listTokens(em: EntityManager, grantId: string, page: TokenListPage, now?: Date): Promise<TokenRecord[]>;
  /** Takes effect at once: every request checks its jti, and again before its disclosures are logged. Idempotent. */
  revokeToken(em: EntityManager, tokenId: string, now?: Date): Promise<boolean>;
  /** Every token of the grant not yet revoked, at once; the number revoked by this call. */
  revokeAllTokens(em: EntityManager, grantId: string, now?: Date): Promise<number>;
}
