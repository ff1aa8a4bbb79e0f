/**
 * The token lifecycle both recipient kinds share, written once: issue under a grant in force,
 * list, revoke one, revoke all, and the re-check before a log entry. A kind supplies its tables,
 * its grant and its grant's in-force rule (in both forms, TypeScript and SQL).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { signToken, type TokenClaims } from '../../auth/tokens';
import { badInput, notFound } from '../../errors';
import { scopeOf, type PiiCategory } from '../../privacy/categories';
import * as v from '../../validation/validate';
import type { IssuedToken, RecipientKindHandler, TokenIssue, TokenRecord } from './recipient-kind';

/** Tokens are short-lived: a day at most, and never beyond their grant. */
const MAX_TOKEN_TTL_SECONDS = 86_400;
const MIN_TOKEN_TTL_SECONDS = 60;

function ttlSeconds(ttl: number): number {
  if (!Number.isInteger(ttl) || ttl < MIN_TOKEN_TTL_SECONDS || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw badInput('ttl', `must be between ${MIN_TOKEN_TTL_SECONDS} and ${MAX_TOKEN_TTL_SECONDS} seconds`);
  }
  return ttl;
}

export interface Condition {
  readonly sql: string;
  readonly params: unknown[];
}

export interface NewToken {
  readonly jti: string;
  readonly categories: PiiCategory[];
  readonly issuedBy: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

/** What differs between the kinds' tokens. */
export interface TokenKind<G, I extends TokenIssue> {
  /** The token table `t` and its grant table `g`, joined on `t.<grantColumn> = g.id`. */
  readonly tokenTable: string;
  readonly grantTable: string;
  readonly grantColumn: string;
  /** How errors name the grant: its argument (`contractId`) and what it is (`Contract`). */
  readonly grantArg: string;
  readonly grantName: string;
  /** Where a listed token's categories come from: its own record (`t`) or its grant (`g`). */
  readonly listedCategories: string;
  findGrant(em: EntityManager, id: string): Promise<G | null>;
  /** The grant's in-force rule for a grant in hand (its SQL form is the kind's own, in its `load`). */
  inForce(grant: G, now: Date): boolean;
  /** Refuses a token under a grant not in force, with a stable `reason`. */
  notInForce(): GraphQLError;
  /** The first instant the grant no longer covers: no token outlives it. */
  endOf(grant: G): Date;
  /** What the token opens, within the grant. */
  categories(grant: G, issue: I): PiiCategory[];
  /** Adds the token's row to the unit of work. */
  record(em: EntityManager, grant: G, token: NewToken): void;
  claims(grant: G, jti: string, scope: string): TokenClaims;
}

/** Timestamps as raw queries hand them over: MikroORM leaves them as text. */
interface ListedRow {
  jti: string | null;
  categories: PiiCategory[];
  issued_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
}

function listed(row: ListedRow & { jti: string }, now: Date): TokenRecord {
  const expiresAt = new Date(row.expires_at);
  const revokedAt = row.revoked_at === null ? null : new Date(row.revoked_at);
  return { tokenId: row.jti, categories: row.categories, issuedAt: new Date(row.issued_at), expiresAt, revokedAt, live: !revokedAt && expiresAt > now };
}

export type TokenLifecycle<I extends TokenIssue> = Pick<RecipientKindHandler<I>, 'issueToken' | 'listTokens' | 'revokeToken' | 'revokeAllTokens'>;

export function tokenLifecycle<G, I extends TokenIssue>(kind: TokenKind<G, I>): TokenLifecycle<I> {
  const { tokenTable, grantTable, grantColumn } = kind;
  const grantId = (id: string) => v.uuid(kind.grantArg, id);
  return {
    async issueToken(em, jwt, issue, now = new Date()): Promise<IssuedToken> {
      const grant = await kind.findGrant(em, grantId(issue.grantId));
      if (!grant) throw notFound(kind.grantName);
      if (!kind.inForce(grant, now)) throw kind.notInForce();
      const categories = kind.categories(grant, issue);
      const expiresAt = new Date(Math.min(now.getTime() + ttlSeconds(issue.ttl) * 1000, kind.endOf(grant).getTime()));
      const jti = randomUUID();
      kind.record(em, grant, { jti, categories, issuedBy: issue.issuedBy, issuedAt: now, expiresAt });
      await em.flush();
      const scope = categories.map(scopeOf).join(' ');
      const token = await signToken(jwt, kind.claims(grant, jti, scope), Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)));
      return { token, tokenId: jti, expiresAt, scope };
    },

    async listTokens(em, id, { before, limit }, now = new Date()): Promise<TokenRecord[]> {
      // The grant left-joined to a page of its tokens: no row at all is an unknown grant, one row without a jti a grant without (more) tokens.
      const position = before ? 'and (t.issued_at, t.jti) < (?::timestamptz, ?::uuid)' : '';
      const rows: ListedRow[] = await em.execute(
        `select t.jti, ${kind.listedCategories} as categories, t.issued_at, t.expires_at, t.revoked_at
           from ${grantTable} g left join lateral (
                  select * from ${tokenTable} t where t.${grantColumn} = g.id ${position} order by t.issued_at desc, t.jti desc limit ?
                ) t on true
          where g.id = ? order by t.issued_at desc, t.jti desc`,
        [...(before ? [before.at, before.id] : []), limit, grantId(id)],
      );
      if (rows.length === 0) throw notFound(kind.grantName);
      return rows.flatMap((row) => (row.jti === null ? [] : [listed({ ...row, jti: row.jti }, now)]));
    },

    async revokeToken(em, tokenId, now = new Date()) {
      const rows = await em.execute(`update ${tokenTable} set revoked_at = coalesce(revoked_at, ?) where jti = ? returning jti`, [now, v.uuid('tokenId', tokenId)]);
      if (rows.length === 0) throw notFound('Token');
      return true;
    },

    async revokeAllTokens(em, id, now = new Date()) {
      const [row]: Array<{ grants: number; revoked: number }> = await em.execute(
        `with g as (select id from ${grantTable} where id = ?),
              r as (update ${tokenTable} t set revoked_at = ? from g where t.${grantColumn} = g.id and t.revoked_at is null returning 1)
         select (select count(*) from g)::int as grants, (select count(*) from r)::int as revoked`,
        [grantId(id), now],
      );
      if (row!.grants === 0) throw notFound(kind.grantName);
      return row!.revoked;
    },
  };
}
