/**
 * Retention periods (P3: consent lasts until the retention periods set by law expire), as data.
 * Defaults follow the issue; each can be overridden by an environment variable read in config.ts.
 */

export interface RetentionPolicy {
  /**
   * Contact and identity data (names, IIN/BIN, addresses, phones, e-mails, bank accounts, login,
   * the contact copy in orders) are kept while consent is in force, plus this many days after it
   * ends (withdrawn or expired). 0: depersonalised the moment consent ends.
   */
  readonly contactDaysAfterConsentEnds: number;
  /** Orders and settlement records: this many years after completion (Kazakh accounting law: 5). */
  readonly orderYearsAfterCompletion: number;
  /** Consent records: this many years after the consent ended, as proof of lawful processing. */
  readonly consentRecordYearsAfterEnd: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  contactDaysAfterConsentEnds: 0,
  orderYearsAfterCompletion: 5,
  consentRecordYearsAfterEnd: 5,
};

/** Accounting law sets a floor on order retention: configuration may lengthen it, never shorten it. */
export const MIN_ORDER_RETENTION_YEARS = 5;

export const RETENTION_ENV = {
  contactDaysAfterConsentEnds: 'RETENTION_CONTACT_DAYS_AFTER_CONSENT_ENDS',
  orderYearsAfterCompletion: 'RETENTION_ORDER_YEARS',
  consentRecordYearsAfterEnd: 'RETENTION_CONSENT_RECORD_YEARS',
} as const;

const DAY = 86_400_000;

function yearsBefore(now: Date, years: number): Date {
  const shifted = new Date(now.getTime());
  shifted.setUTCFullYear(now.getUTCFullYear() - years);
  // 29 Feb minus a year lands on 1 Mar; keep the last day of February instead.
  if (shifted.getUTCMonth() !== now.getUTCMonth()) shifted.setUTCDate(0);
  return shifted;
}

/** The instants before which each kind of data is past its retention, at `now`. */
export interface RetentionCutoffs {
  /** Consent that ended before this: its contact and identity data are due for depersonalisation. */
  readonly contactConsentEndedBefore: Date;
  readonly ordersCompletedBefore: Date;
  readonly consentEndedBefore: Date;
}

export function retentionCutoffs(now: Date, policy: RetentionPolicy): RetentionCutoffs {
  return {
    contactConsentEndedBefore: new Date(now.getTime() - policy.contactDaysAfterConsentEnds * DAY),
    ordersCompletedBefore: yearsBefore(now, policy.orderYearsAfterCompletion),
    consentEndedBefore: yearsBefore(now, policy.consentRecordYearsAfterEnd),
  };
}
