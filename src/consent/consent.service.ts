import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '../clients/client.entity';
import type { RequestOrigin } from '../graphql/context';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES, type ConsentPurpose } from '../privacy/categories';
import { privacyPolicy } from '../privacy-policy/privacy-policy';
import { Consent, ConsentChannel, ConsentEventKind, type ConsentEvidence } from './consent.entity';

/** Keeps proof of where consent came from without keeping the address itself: /24 or /48. */
export function anonymiseIp(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = ip.replace(/^::ffff:/, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (ip.includes(':')) {
    const groups = ip.split('::')[0]?.split(':').filter(Boolean).slice(0, 3) ?? [];
    return `${groups.join(':')}::/48`;
  }
  return null;
}

export function evidenceOf(origin: RequestOrigin): ConsentEvidence {
  return { userAgent: origin.userAgent?.slice(0, 300) ?? null, ipPrefix: anonymiseIp(origin.ip) };
}

/** P2: providing data at registration is consent to every listed operation, for purposes 1-6, and 7 if opted in. */
export function recordInitialConsent(
  em: EntityManager,
  client: Client,
  options: { marketing: boolean; channel: ConsentChannel; evidence: ConsentEvidence; at?: Date },
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
  });
  return consent;
}
