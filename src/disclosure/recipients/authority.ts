/** A state body under its lawful request (P5.2): the request is the grant, and its tokens open all of it until it expires. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { apiError } from '../../errors';
import { PII_CATEGORIES, type PiiCategory } from '../../privacy/categories';
import { UUID } from '../../validation/validate';
import { RecipientKind } from '../disclosure.entity';
import { AuthorityToken, LawfulRequest } from '../lawful-request.entity';
import { revoked, type RecipientKindHandler, type TokenIssue } from './recipient-kind';
import { tokenLifecycle } from './tokens';

interface AuthorityRow {
  revoked_at: Date | null;
  token_live: boolean;
  subject_ids: string[];
  categories: PiiCategory[];
  issuing_body: string;
  document_number: string;
  document_date: string;
  legal_basis: string;
  in_force: boolean;
}

/**
 * A lawful request is in force until its expiry (a withdrawal moves the expiry to that instant).
 * The SQL form for the row `alias` is the function `lawful_request_in_force`
 * (migrations/Migration20261206111500.ts), which the log's re-check under its locks calls too;
 * test/disclosure/request-in-force.test.ts holds the two forms to the same answer.
 */
export const requestInForce = (request: Pick<LawfulRequest, 'expiresAt'>, now: Date): boolean => request.expiresAt > now;
export const requestInForceSql = (alias: string, now: Date) => ({ sql: `lawful_request_in_force(${alias}.expires_at, ?::timestamptz)`, params: [now] as unknown[] });

const lifecycle = tokenLifecycle<LawfulRequest, TokenIssue>({
  tokenTable: 'authority_token',
  grantTable: 'lawful_request',
  grantColumn: 'request_id',
  grantArg: 'requestId',
  grantName: 'Lawful request',
  listedCategories: 'g.categories',
  findGrant: (em, id) => em.findOne(LawfulRequest, { id }),
  inForce: requestInForce,
  notInForce: () => apiError('CONFLICT', 'The lawful request has expired', { reason: 'REQUEST_EXPIRED' }),
  endOf: (request) => request.expiresAt,
  categories: (request) => request.categories,
  record: (em, request, { jti, issuedBy, issuedAt, expiresAt }) => em.create(AuthorityToken, { jti, request, issuedBy, issuedAt, expiresAt }),
  claims: (request, jti, scope) => ({ sub: `authority:${request.id}`, role: 'authority', lawful_request_id: request.id, scope, jti }),
});

export const authorityRecipients: RecipientKindHandler = {
  kind: RecipientKind.AUTHORITY,
  role: 'authority',
  ...lifecycle,

  async load(em: EntityManager, principal, now) {
    const { tokenId, lawfulRequestId } = principal;
    if (![tokenId, lawfulRequestId].every((id) => id && UUID.test(id))) throw revoked();
    const inForce = requestInForceSql('r', now);
    const [row]: AuthorityRow[] = await em.execute(
      `select t.revoked_at, t.expires_at > ? as token_live, r.subject_ids, r.categories, r.issuing_body, r.document_number,
              to_char(r.document_date, 'YYYY-MM-DD') as document_date, r.legal_basis, ${inForce.sql} as in_force
         from authority_token t join lawful_request r on r.id = t.request_id
        where t.jti = ? and r.id = ?`,
      [now, ...inForce.params, tokenId, lawfulRequestId],
    );
    if (!row || row.revoked_at || !row.token_live) throw revoked();
    const document = `${row.issuing_body}, document ${row.document_number} of ${row.document_date}`;
    return {
      kind: RecipientKind.AUTHORITY,
      label: document,
      partnerId: null,
      contractId: null,
      lawfulRequestId,
      tokenId,
      actor: principal.sub,
      purpose: 'LAWFUL_REQUEST',
      legalBasis: `P5.2: ${row.legal_basis}; ${document}`,
      inForce: row.in_force,
      categories: new Set(row.categories.filter((c) => (PII_CATEGORIES as readonly string[]).includes(c))),
      subjectIds: new Set(row.subject_ids),
    };
  },
};
