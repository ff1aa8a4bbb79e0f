import type { ConsentOperation, ConsentPurpose } from './categories';

export const CONSENT_STATUSES = ['NONE', 'ACTIVE', 'WITHDRAWAL_PENDING', 'WITHDRAWN', 'EXPIRED'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** A subject's consent as it stands now, derived from the consent records. */
export interface ConsentState {
  readonly status: ConsentStatus;
  readonly operations: ReadonlySet<ConsentOperation>;
  readonly purposes: ReadonlySet<ConsentPurpose>;
}

export const NO_CONSENT: ConsentState = { status: 'NONE', operations: new Set(), purposes: new Set() };

/** P3: a pending withdrawal takes effect later; until then the consent is still in force. */
export function consentInForce(state: ConsentState): boolean {
  return state.status === 'ACTIVE' || state.status === 'WITHDRAWAL_PENDING';
}

export function consentCovers(
  state: ConsentState,
  purpose: ConsentPurpose,
  operations: readonly ConsentOperation[],
): boolean {
  return consentInForce(state) && state.purposes.has(purpose) && operations.every((op) => state.operations.has(op));
}
