/** A partner under its contract (P5.1): the contract is the grant, its tokens narrow it to some of its categories. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { apiError, badInput } from '../../errors';
import { scopeOf, type PiiCategory } from '../../privacy/categories';
import { Contract } from '../../partners/contract.entity';
import { contractInForce, contractInForceSql, PARTNER_PURPOSE } from '../../partners/contract-in-force';
import { endOfValidity } from '../../partners/contract-period';
import { PartnerToken } from '../../partners/partner-token.entity';
import * as v from '../../validation/validate';
import { RecipientKind } from '../disclosure.entity';
import { revoked, type RecipientKindHandler, type TokenIssue } from './recipient-kind';
import { tokenLifecycle } from './tokens';

export interface PartnerTokenIssue extends TokenIssue {
  /** The categories the token opens: some or all of the contract's. */
  readonly scopes: readonly PiiCategory[];
}

interface PartnerRow {
  revoked_at: Date | null;
  token_live: boolean;
  token_categories: PiiCategory[];
  categories: PiiCategory[];
  number: string;
  name: string;
  in_force: boolean;
}

const lifecycle = tokenLifecycle<Contract, PartnerTokenIssue>({
  tokenTable: 'partner_token',
  grantTable: 'contract',
  grantColumn: 'contract_id',
  grantArg: 'contractId',
  grantName: 'Contract',
  listedCategories: 't.categories',
  findGrant: (em, id) => em.findOne(Contract, { id }),
  inForce: contractInForce,
  notInForce: () => apiError('CONFLICT', 'The contract is not in force', { reason: 'CONTRACT_NOT_IN_FORCE' }),
  endOf: (contract) => endOfValidity(contract.validTo),
  categories(contract, issue) {
    const categories = v.categoryList('scopes', issue.scopes);
    if (categories.some((c) => !contract.categories.includes(c))) throw badInput('scopes', "must be within the contract's categories");
    return categories;
  },
  record: (em, contract, token) => em.create(PartnerToken, { ...token, contract }),
  claims: (contract, jti, scope) => ({
    sub: `partner:${contract.partner.id}`, role: 'partner', partner_id: contract.partner.id, contract_id: contract.id, scope, jti,
  }),
});

export const partnerRecipients: RecipientKindHandler<PartnerTokenIssue> = {
  kind: RecipientKind.PARTNER,
  role: 'partner',
  ...lifecycle,

  async load(em: EntityManager, principal, now) {
    const { tokenId, partnerId, contractId } = principal;
    if (![tokenId, partnerId, contractId].every((id) => id && v.UUID.test(id))) throw revoked();
    const inForce = contractInForceSql('c', now);
    const [row]: PartnerRow[] = await em.execute(
      `select t.revoked_at, t.expires_at > ? as token_live, t.categories as token_categories, c.categories, c.number, p.name,
              ${inForce.sql} as in_force
         from partner_token t join contract c on c.id = t.contract_id join partner p on p.id = c.partner_id
        where t.jti = ? and c.id = ? and p.id = ?`,
      [now, ...inForce.params, tokenId, contractId, partnerId],
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
  },
};
