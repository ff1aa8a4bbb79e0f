import { isIPv4, isIPv6 } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '../clients/client.entity';
import type { RequestOrigin } from '../graphql/context';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES, type ConsentPurpose } from '../privacy/categories';
import { privacyPolicy } from '../privacy-policy/privacy-policy';
import { addYears } from './retention';
import { Consent, ConsentChannel, ConsentEventKind, type ConsentEvidence } from './consent.entity';

const ipv4Prefix = (octets: readonly number[]): string => `${octets.slice(0, 3).join('.')}.0/24`;

/** The 8 groups of an IPv6 address (an embedded dotted IPv4 tail counts as two). */
function ipv6Groups(ip: string): number[] {
  const withoutV4 = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail] = withoutV4.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * Keeps proof of where consent came from without keeping the address itself: /24 (IPv4, also
 * when mapped into IPv6) or /48 (IPv6). Anything that is not an IP address gives null.
 */
export function anonymiseIp(ip: string | null): string | null {
  if (!ip) return null;
  const address = ip.replace(/%.*$/, '');
  if (isIPv4(address)) return ipv4Prefix(address.split('.').map(Number));
  if (!isIPv6(address)) return null;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Prefix([groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8]);
  }
  return `${groups.slice(0, 3).map((g) => g.toString(16)).join(':')}::/48`;
}

export function evidenceOf(origin: RequestOrigin): ConsentEvidence {
  return { userAgent: origin.userAgent?.slice(0, 300) ?? null, ipPrefix: anonymiseIp(origin.ip) };
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
