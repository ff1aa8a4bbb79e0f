/**
 * The one decision: may this caller see this category of this subject's data, and how much of it.
 * Every path that serves personal data (the @pii guard, filters, exports, disclosures) asks here.
 */
import type { PiiCategory } from './categories';
import { consentCovers, type ConsentState } from './consent-state';
import { POLICY, type Access, type Audience } from './policy';
import type { Role } from './roles';

export type RedactionReason = 'ROLE' | 'SCOPE' | 'CONSENT' | 'ERASED';

/** What a partner's contract or an authority's lawful request opens (P5). */
export interface Grant {
  readonly categories: ReadonlySet<PiiCategory>;
  /** The subjects the grant covers: clients the partner serves, or the request's subjects. */
  readonly subjectIds: ReadonlySet<string>;
}

export interface Caller {
  readonly role: Role;
  /** Set when the caller is a client: the subject id it acts as. */
  readonly clientId: string | null;
  readonly grant: Grant | null;
}

export interface Subject {
  readonly id: string;
  readonly erased: boolean;
}

export type Decision =
  | { readonly access: 'FULL'; readonly reason: null }
  | { readonly access: 'MASKED' | 'HIDDEN'; readonly reason: RedactionReason };

export function audienceOf(caller: Caller, subjectId: string): Audience {
  if (caller.role === 'client') return caller.clientId === subjectId ? 'SUBJECT' : 'CLIENT';
  return caller.role.toUpperCase() as Audience;
}

const hidden = (reason: RedactionReason): Decision => ({ access: 'HIDDEN', reason });

export function decide(category: PiiCategory, caller: Caller, subject: Subject, consent: ConsentState): Decision {
  const policy = POLICY[audienceOf(caller, subject.id)];
  const access: Access = policy.access[category];
  // Role first: a caller who could never see the category learns nothing about the subject's state.
  if (access === 'HIDDEN') return hidden('ROLE');
  if (subject.erased) return hidden('ERASED');
  if (policy.requiresGrant) {
    const grant = caller.grant;
    if (!grant || !grant.subjectIds.has(subject.id) || !grant.categories.has(category)) return hidden('SCOPE');
  }
  if (policy.basis.kind === 'NONE') return hidden('ROLE');
  if (policy.basis.kind === 'CONSENT' && !consentCovers(consent, policy.basis.purpose, policy.basis.operations)) {
    return hidden('CONSENT');
  }
  return access === 'FULL' ? { access, reason: null } : { access, reason: 'ROLE' };
}

/**
 * Whether the caller's role sees a category in full for subjects in general: the test for
 * filtering or sorting by a personal field (a filter is an oracle, so MASKED is not enough).
 */
export function roleSeesInFull(role: Role, category: PiiCategory): boolean {
  if (role === 'client') return false;
  return POLICY[role.toUpperCase() as Audience].access[category] === 'FULL' && !POLICY[role.toUpperCase() as Audience].requiresGrant;
}
