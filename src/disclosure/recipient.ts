/**
 * Who receives personal data under P5, resolved once per request from the token: the partner's
 * contract (and whether it is in force) or the authority's lawful request (and whether it has
 * expired). One query per request. The server's records decide, the claims only name them: an
 * unknown, revoked or (by its record) expired token fails the request, and a partner's grant is
 * never wider than what its token record and its contract say today.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { apiError } from '../errors';
import { PII_CATEGORIES, scopeOf, type ConsentPurpose, type PiiCategory } from '../privacy/categories';
import { kazakhstanDate } from '../partners/contract-period';
import type { RecipientRef } from './batch';
import { RecipientKind } from './disclosure.entity';
import { UUID } from '../validation/validate';

export interface Recipient extends RecipientRef {
  readonly kind: RecipientKind.PARTNER | RecipientKind.AUTHORITY;
  /**
   * False outside the contract period, for a contract that does not cover the purpose of every
   * disclosure to a partner, or after the request's expiry: then nothing is granted.
   */
  readonly inForce: boolean;
  readonly categories: ReadonlySet<PiiCategory>;
  /** An authority's subjects are listed by its request; a partner's are looked up (`null`). */
  readonly subjectIds: ReadonlySet<string> | null;
}

export const revoked = () => apiError('UNAUTHENTICATED', 'Token revoked, expired or unknown', { http: { status: 401 } });

interface PartnerRow {
  revoked_at: Date | null;
  token_live: boolean;
  token_categories: PiiCategory[];
  categories: PiiCategory[];
  number: string;
  name: string;
  in_force: boolean;
}

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

/** P5.1: the purpose of every disclosure to a partner; a contract that does not name it opens nothing. */
const PARTNER_PURPOSE: ConsentPurpose = 'THIRD_PARTY_OBLIGATIONS';

/**
 * A contract `c` in force today: in its period and naming the partner purpose. The rule is the SQL
 * function `contract_in_force` (migrations/Migration20261206111500.ts), shared by this first look
 * and the log's re-check (`lock_disclosure_chains`).
 */
const CONTRACT_IN_FORCE = `contract_in_force(c.valid_from, c.valid_to, c.purposes, ?::date, ?)`;
/** `contract_in_force`'s today (in Kazakhstan) and purpose. */
export const contractInForceParams = (now: Date): [string, ConsentPurpose] => [kazakhstanDate(now), PARTNER_PURPOSE];

export async function loadRecipient(em: EntityManager, principal: Principal, now = new Date()): Promise<Recipient | null> {
  if (principal.role === 'partner') {
    const { tokenId, partnerId, contractId } = principal;
    if (![tokenId, partnerId, contractId].every((id) => id && UUID.test(id))) throw revoked();
    const [row]: PartnerRow[] = await em.getConnection().execute(
      `select t.revoked_at, t.expires_at > ? as token_live, t.categories as token_categories, c.categories, c.number, p.name,
              ${CONTRACT_IN_FORCE} as in_force
         from partner_token t join contract c on c.id = t.contract_id join partner p on p.id = c.partner_id
        where t.jti = ? and c.id = ? and p.id = ?`,
      [now, ...contractInForceParams(now), tokenId, contractId, partnerId],
    );
    if (!row || row.revoked_at || !row.token_live) throw revoked();
    // The grant is contract ∩ token record ∩ token scope: a token can narrow a contract, never widen it.
    const categories = new Set(row.categories.filter((c) => row.token_categories.includes(c) && principal.scopes.has(scopeOf(c))));
    return {
      kind: RecipientKind.PARTNER,
      label: `${row.name}, contract ${row.number}`,
      partnerId,
      contractId,
      lawfulRequestId: null,
      tokenId,
      actor: principal.sub,
      purpose: PARTNER_PURPOSE,
      legalBasis: `P5.1: contract ${row.number}; the subject's consent to transfer to third parties`,
      inForce: row.in_force,
      categories,
      subjectIds: null,
    };
  }
  if (principal.role === 'authority') {
    const { tokenId, lawfulRequestId } = principal;
    if (![tokenId, lawfulRequestId].every((id) => id && UUID.test(id))) throw revoked();
    const [row]: AuthorityRow[] = await em.getConnection().execute(
      `select t.revoked_at, t.expires_at > ? as token_live, r.subject_ids, r.categories, r.issuing_body, r.document_number,
              to_char(r.document_date, 'YYYY-MM-DD') as document_date, r.legal_basis, (r.expires_at > ?) as in_force
         from authority_token t join lawful_request r on r.id = t.request_id
        where t.jti = ? and r.id = ?`,
      [now, now, tokenId, lawfulRequestId],
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
  }
  return null;
}

/** The subject receiving its own data in an access export; `actor` is whoever ran it (the subject or the DPO). */
export function subjectAccessRecipient(principal: Principal): RecipientRef {
  return {
    kind: RecipientKind.SUBJECT,
    label: 'the data subject (access export)',
    partnerId: null,
    contractId: null,
    lawfulRequestId: null,
    tokenId: principal.tokenId,
    actor: principal.sub,
    purpose: 'SUBJECT_ACCESS',
    legalBasis: "the subject's right of access to its personal data",
  };
}
