/**
 * The one decision: may this caller see this category of this subject's data, and how much of it.
 * Every path that serves personal data (the @pii guard, filters, exports, disclosures) asks here.
 */
import type { PiiCategory } from './categories';
import { consentCovers, type ConsentState } from './consent-state';
import { POLICY, type Access, type Audience, type Basis } from './policy';
import type { Role } from './roles';

export type RedactionReason = 'ROLE' | 'SCOPE' | 'CONSENT' | 'ERASED';

/** What a partner's contract or an authority's lawful request opens (P5). */
export interface Grant {
  readonly categories: ReadonlySet<PiiCategory>;
  /** False outside the contract period or past the request's expiry: then it opens nothing. */
  readonly inForce: boolean;
}

export interface Caller {
  readonly role: Role;
  /** Set when the caller is a client: the subject id it acts as. */
  readonly clientId: string | null;
  readonly grant: Grant | null;
}

/**
 * A subject as the decision reads it: every fact comes with the subject's own record (the row the
 * values were read from, or the loader's answer for its id), never from what else the request read,
 * so the same subject gives the same answer whatever was decided before.
 */
export interface Subject {
  readonly id: string;
  readonly erased: boolean;
  readonly consent: ConsentState;
  /**
   * Whether the caller's grant names this subject (P5): the partner serves it (an order assigned to
   * the partner, P5.1) or the authority's request lists it (P5.2). False for callers without a grant.
   */
  readonly granted: boolean;
}

export type Decision =
  | { readonly access: 'FULL'; readonly reason: null }
  | { readonly access: 'MASKED' | 'HIDDEN'; readonly reason: RedactionReason };

/** `subjectId` null: subjects in general (a listing), where a client is never the SUBJECT. */
export function audienceOf(caller: Pick<Caller, 'role' | 'clientId'>, subjectId: string | null): Audience {
  if (caller.role === 'client') return subjectId !== null && caller.clientId === subjectId ? 'SUBJECT' : 'CLIENT';
  return caller.role.toUpperCase() as Audience;
}

const hidden = (reason: RedactionReason): Decision => ({ access: 'HIDDEN', reason });

/** A consent basis holds at `now` when consent is in force and covers each of its purposes and operations. */
function consentBasisHolds(basis: Extract<Basis, { kind: 'CONSENT' }>, consent: ConsentState, now: Date): boolean {
  return basis.purposes.every((purpose) => consentCovers(consent, purpose, basis.operations, now));
}

const FULL: Decision = { access: 'FULL', reason: null };

/** The caller's grant, when it is in force and names the subject (P5). */
function grantOn(caller: Caller, subject: Subject): Grant | null {
  return caller.grant?.inForce && subject.granted ? caller.grant : null;
}

/**
 * `now` is the instant consent is judged at (P3 dates count as soon as they pass); callers without
 * a clock of their own get the wall clock.
 */
export function decide(category: PiiCategory, caller: Caller, subject: Subject, now: Date = new Date()): Decision {
  const policy = POLICY[audienceOf(caller, subject.id)];
  const access: Access = policy.access[category];
  // Role first: a caller who could never see the category learns nothing about the subject's state.
  if (access === 'HIDDEN') return hidden('ROLE');
  if (subject.erased) return hidden('ERASED');
  if (policy.requiresGrant && !grantOn(caller, subject)?.categories.has(category)) return hidden('SCOPE');
  if (policy.basis.kind === 'NONE') return hidden('ROLE');
  if (policy.basis.kind === 'CONSENT' && !consentBasisHolds(policy.basis, subject.consent, now)) {
    return hidden('CONSENT');
  }
  return access === 'FULL' ? FULL : { access, reason: 'ROLE' };
}

/** A subject's related records, served as a whole list or not at all. */
export type Relation = 'ORDERS' | 'CONSENTS';

/**
 * P1 counts "information about actions performed on the Site" (orders, and the consent acts among
 * them) as personal data: ORDER_CONTACT is that category, so a withheld list is reported under it.
 */
export const RELATION_CATEGORY: PiiCategory = 'ORDER_CONTACT';

/** Whether a P5 recipient's grant opens any order at all, whichever subject: a page can be refused up front. */
export function grantOpensOrders(caller: Caller): boolean {
  const grant = caller.grant;
  return grant !== null && grant.inForce && grant.categories.has(RELATION_CATEGORY);
}

/**
 * Whether a caller whose role needs a grant (a partner, an authority) may learn that a subject
 * exists at all: the grant names it and, where the basis is consent (a partner, P5.1), the consent
 * to transfer holds and the subject is not erased. Outside that, a lookup answers as for an
 * unknown id. Callers without a grant are governed by the field decisions alone.
 */
export function mayReach(caller: Caller, subject: Subject, now: Date = new Date()): boolean {
  const policy = POLICY[audienceOf(caller, subject.id)];
  if (!policy.requiresGrant) return true;
  if (!grantOn(caller, subject)) return false;
  if (policy.basis.kind !== 'CONSENT') return true;
  return !subject.erased && consentBasisHolds(policy.basis, subject.consent, now);
}

/**
 * Whether the caller gets a subject's orders or consent history at all: the one relation decision,
 * for `Client.orders`/`Client.consents`, each order of a page or lookup, and the record a consent
 * change answers with. The subject and the DPO always do (the history is the proof of consent,
 * kept after erasure); everyone else on the same terms as the subject's personal fields. A list
 * that is served still goes through each @pii field's guard. `subject` null: records that are
 * nobody's any more (P4, a depersonalised order), anonymous accounting records for those who act
 * without a grant, and nothing any grant names.
 */
export function decideRelation(relation: Relation, caller: Caller, subject: Subject | null, now: Date = new Date()): Decision {
  const audience = audienceOf(caller, subject?.id ?? null);
  const policy = POLICY[audience];
  if (subject === null) return policy.requiresGrant ? hidden('ERASED') : FULL;
  if (audience === 'SUBJECT' || audience === 'DPO') return FULL;
  if (policy.basis.kind === 'NONE') return hidden('ROLE');
  if (subject.erased) return hidden('ERASED');
  if (policy.requiresGrant) {
    // P5 opens personal fields for a purpose, never who consented to what and which staff recorded it.
    if (relation === 'CONSENTS') return hidden('SCOPE');
    // Orders only where the contract ∩ token scope, or the lawful request, names their category;
    // and for a partner only those its contract assigns it (the resolvers keep only those).
    if (!grantOn(caller, subject)?.categories.has(RELATION_CATEGORY)) return hidden('SCOPE');
  }
  if (policy.basis.kind === 'CONSENT' && !consentBasisHolds(policy.basis, subject.consent, now)) {
    return hidden('CONSENT');
  }
  return FULL;
}

/**
 * Whether the caller's role sees a category in full for subjects in general: the test for
 * filtering or sorting by a personal field (a filter is an oracle, so MASKED is not enough).
 */
export function roleSeesInFull(role: Role, category: PiiCategory): boolean {
  const policy = POLICY[audienceOf({ role, clientId: null }, null)];
  return policy.access[category] === 'FULL' && !policy.requiresGrant;
}
