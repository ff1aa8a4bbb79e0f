/**
 * Who receives personal data under P5, resolved once per request from the token through the
 * registry of recipient kinds (src/disclosure/recipients/): a partner under its contract, an
 * authority under its lawful request. One query per request. The server's records decide, the
 * claims only name them: an unknown, revoked or (by its record) expired token fails the request,
 * and a grant is never wider than what the token record and its contract or request say today.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import type { RecipientRef } from './batch';
import { RecipientKind } from './disclosure.entity';
import { authorityRecipients } from './recipients/authority';
import { partnerRecipients } from './recipients/partner';
import type { Recipient, RecipientKindHandler } from './recipients/recipient-kind';

export { revoked, type Recipient } from './recipients/recipient-kind';

const RECIPIENT_KINDS: readonly RecipientKindHandler[] = [partnerRecipients, authorityRecipients];

export async function loadRecipient(em: EntityManager, principal: Principal, now = new Date()): Promise<Recipient | null> {
  const kind = RECIPIENT_KINDS.find((k) => k.role === principal.role);
  return kind ? kind.load(em, principal, now) : null;
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
