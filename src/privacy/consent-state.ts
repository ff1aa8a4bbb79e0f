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
}

export const NO_CONSENT: ConsentState = {
  status: 'NONE',
  operations: new Set(),
  purposes: new Set(),
  withdrawalEffectiveAt: null,
  expiresAt: null,
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
 * P3: consent is in force at `now` while its record is, a pending withdrawal has not reached its
 * effective date, and it has not expired. The dates count as soon as they pass, before the job
 * runner records WITHDRAWN or EXPIRED (fail closed); a pending withdrawal without a date is not in force.
 */
export function consentInForce(state: ConsentState, now: Date): boolean {
  if (!statusInForce(state.status)) return false;
  if (state.status === 'WITHDRAWAL_PENDING' && (state.withdrawalEffectiveAt === null || now >= state.withdrawalEffectiveAt)) {
    return false;
  }
  return state.expiresAt === null || now < state.expiresAt;
}

export function consentCovers(
  state: ConsentState,
  purpose: ConsentPurpose,
  operations: readonly ConsentOperation[],
  now: Date,
): boolean {
  return consentInForce(state, now) && state.purposes.has(purpose) && operations.every((op) => state.operations.has(op));
}
