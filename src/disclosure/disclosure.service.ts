/** Off-system disclosures recorded by the DPO, and the log's search paths. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { Client } from '../clients/client.entity';
import { badInput, notFound } from '../errors';
import { Contract } from '../partners/contract.entity';
import * as v from '../validation/validate';
import { RecipientKind } from './disclosure.entity';
import { appendDisclosures, type LoggedDisclosure, type LogLimits, type RequestFacts } from './disclosure-log';
import { LawfulRequest } from './lawful-request.entity';
import { OffSystemRecipientKind, type RecordDisclosureInput } from './disclosure.type';

/**
 * A disclosure made outside the system, chained like the online ones. The request that records it
 * is named by its operation, query hash and id, as an online disclosure is. A partner is named by
 * the contract and a state body by the registered lawful request it was disclosed under: P5 allows
 * no other basis for either.
 */
export async function recordDisclosure(
  em: EntityManager,
  principal: Principal,
  input: RecordDisclosureInput,
  facts: RequestFacts,
  limits: LogLimits,
  now = new Date(),
): Promise<LoggedDisclosure> {
  const subjectId = v.uuid('subjectId', input.subjectId);
  const kind = input.recipientKind;
  if (input.contractId && kind !== OffSystemRecipientKind.PARTNER) throw badInput('contractId', 'is only for a partner');
  if (input.lawfulRequestId && kind !== OffSystemRecipientKind.AUTHORITY) throw badInput('lawfulRequestId', 'is only for a state body');
  if (kind === OffSystemRecipientKind.PARTNER && !input.contractId) throw badInput('contractId', 'is required for a partner');
  if (kind === OffSystemRecipientKind.AUTHORITY && !input.lawfulRequestId) throw badInput('lawfulRequestId', 'is required for a state body: register its request first');
  if (!(await em.count(Client, { id: subjectId }))) throw notFound('Client');
  let partnerId: string | null = null;
  let contractId: string | null = null;
  let lawfulRequestId: string | null = null;
  if (input.contractId) {
    const contract = await em.findOne(Contract, { id: v.uuid('contractId', input.contractId) });
    if (!contract) throw notFound('Contract');
    contractId = contract.id;
    partnerId = contract.partner.id;
  }
  if (input.lawfulRequestId) {
    const request = await em.findOne(LawfulRequest, { id: v.uuid('lawfulRequestId', input.lawfulRequestId) });
    if (!request) throw notFound('Lawful request');
    lawfulRequestId = request.id;
  }
  const at = input.disclosedAt ?? now;
  if (Number.isNaN(at.getTime()) || at > now) throw badInput('disclosedAt', 'must not be in the future');
  const [entry] = await appendDisclosures(
    em,
    [{
      recipient: {
        kind: RecipientKind[kind],
        label: v.text('recipient', input.recipient, 1, 300),
        partnerId,
        contractId,
        lawfulRequestId,
        tokenId: principal.tokenId,
        actor: principal.sub,
        purpose: v.text('purpose', input.purpose, 1, 200),
        legalBasis: v.text('legalBasis', input.legalBasis, 1, 500),
      },
      subjectId,
      fields: v.categoryList('categories', input.categories).map((category) => ({ path: 'off-system', category, access: 'FULL' as const })),
    }],
    facts,
    { ...limits, at },
  );
  return entry!;
}
