import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '../clients/client.entity';
import type { RequestOrigin } from '../net/http-exchange';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES, type ConsentPurpose } from '../privacy/categories';
import { networkPrefix } from '../net/ip-address';
import { privacyPolicy } from '../notice/notice';
import { addYears } from './retention';
import { Consent, ConsentChannel, ConsentEventKind, type ConsentEvidence } from './consent.entity';

export function evidenceOf(origin: RequestOrigin): ConsentEvidence {
  return { userAgent: origin.userAgent?.slice(0, 300) ?? null, ipPrefix: networkPrefix(origin.ip) };
}

/**
 * P2: providing data at registration is consent to every listed operation, for purposes 1-6, and 7
 * if opted in. `termYears` (RetentionPolicy.consentTermYears; 0 or absent: open-ended) sets when
 * it expires.
 */
export function recordInitialConsent(
  em: EntityManager,
  client: Client,
  options: { marketing: boolean; channel: ConsentChannel; evidence: ConsentEvidence; at?: Date; termYears?: number },
): Consent {
  const policy = privacyPolicy();
  const at = options.at ?? new Date();
  const purposes: ConsentPurpose[] = CONSENT_PURPOSES.filter((p) => p !== 'MARKETING' || options.marketing);
  const consent = em.create(Consent, {
    client,
    kind: ConsentEventKind.GIVEN,
    status: 'ACTIVE',
    policyVersion: policy.version,
    policyTextHash: policy.textHash,
    operations: [...CONSENT_OPERATIONS],
    purposes,
    channel: options.channel,
    evidence: options.evidence,
    actor: 'SUBJECT',
    givenAt: at,
    recordedAt: at,
    expiresAt: options.termYears ? addYears(at, options.termYears) : null,
  });
  return consent;
}
