import type { ConsentOperation, ConsentPurpose } from './categories';

export const CONSENT_STATUSES = ['NONE', 'ACTIVE', 'WITHDRAWAL_PENDING', 'WITHDRAWN', 'EXPIRED'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** A subject's consent as its latest record states it, derived from the consent records. */
export interface ConsentState {
  readonly status: ConsentStatus;
  readonly operations: ReadonlySet<ConsentOperation>;
  readonly purposes: ReadonlySet<ConsentPurpose>;
  /** P3: when a requested withdrawal ends consent (set while WITHDRAWAL_PENDING). */
  readonly withdrawalEffectiveAt: Date | null;
  /** P3: consent lasts until the retention period ends; null when no end is set. */
  readonly expiresAt: Date | null;
  /**
   * Whether an order is still open (the Company owes the subject a service or a settlement). Kazakh
   * law: consent cannot be withdrawn while an obligation is unfulfilled, so this holds back its end.
   */
  readonly openObligations: boolean;
}

export const NO_CONSENT: ConsentState = {
  status: 'NONE',
  operations: new Set(),
  purposes: new Set(),
  withdrawalEffectiveAt: null,
  expiresAt: null,
  openObligations: false,
};

/**
 * The statuses whose record may still be in force; the dates decide the rest (consentInForce).
 * The SQL twin of the rule (src/graphql/loaders.ts) reads this list too.
 */
export const IN_FORCE_STATUSES: readonly ConsentStatus[] = ['ACTIVE', 'WITHDRAWAL_PENDING'];

/**
 * Whether the latest record has not ended consent by its status alone: what the job runner and
 * the lifecycle act on. Serving data or service asks consentInForce, which also reads the dates.
 */
export function statusInForce(status: ConsentStatus): boolean {
  return IN_FORCE_STATUSES.includes(status);
}

/**
 * Whether the record's end has come at `now`: a pending withdrawal's effective date or the expiry.
 * The dates count as soon as they pass, before the job runner records WITHDRAWN or EXPIRED (fail
 * closed); a pending withdrawal without a date has ended.
 */
function endReached(state: ConsentState, now: Date): boolean {
  if (state.status === 'WITHDRAWAL_PENDING' && (state.withdrawalEffectiveAt === null || now >= state.withdrawalEffectiveAt)) {
    return true;
  }
  return state.expiresAt !== null && now >= state.expiresAt;
}

/**
 * P3: the purposes a consent whose end has come still serves while open orders hold it: the
 * Company finishing its own contract and settling it. Not transfer to third parties: open orders
 * are the client's, not any one partner's, so they cannot justify a partner's reading (P5.1).
 */
export const OBLIGATION_PURPOSES: readonly ConsentPurpose[] = ['CONTRACT_PERFORMANCE', 'SETTLEMENTS'];

/** Whether a consent held back by open orders still serves every one of these purposes. */
export function servesWhileHeld(purposes: readonly ConsentPurpose[]): boolean {
  return purposes.every((purpose) => OBLIGATION_PURPOSES.includes(purpose));
}

/**
 * P3: consent is in force at `now` while its record is and its end has not come, or, once the end
 * has come, while open orders hold it back (then only for OBLIGATION_PURPOSES, see consentCovers).
 */
export function consentInForce(state: ConsentState, now: Date): boolean {
  return statusInForce(state.status) && (!endReached(state, now) || state.openObligations);
}

/**
 * P3: withdrawal is refusal of the services. From the end date there is no new service, even while
 * open orders still hold the consent for finishing them.
 */
export function acceptsNewService(state: ConsentState, now: Date): boolean {
  return statusInForce(state.status) && !endReached(state, now);
}

export function consentCovers(
  state: ConsentState,
  purpose: ConsentPurpose,
  operations: readonly ConsentOperation[],
  now: Date,
): boolean {
  if (!consentInForce(state, now)) return false;
  if (endReached(state, now) && !servesWhileHeld([purpose])) return false;
  return state.purposes.has(purpose) && operations.every((op) => state.operations.has(op));
}
