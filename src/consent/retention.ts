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
  /**
   * Consent given for a fixed term expires this many years after it is given (the job runner then
   * records EXPIRED). 0: open-ended, consent lasts until it is withdrawn (P3).
   */
  readonly consentTermYears: number;
  /** Security events (compromise reported, password changed): this many days, then deleted. */
  readonly securityEventDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  contactDaysAfterConsentEnds: 0,
  orderYearsAfterCompletion: 5,
  consentRecordYearsAfterEnd: 5,
  consentTermYears: 0,
  // Three years: the general limitation period for claims in Kazakhstan, long enough to answer a dispute about an account takeover.
  securityEventDays: 1095,
};

/** Accounting law sets a floor on order retention: configuration may lengthen it, never shorten it. */
export const MIN_ORDER_RETENTION_YEARS = 5;

/**
 * Consent records are the proof of lawful processing (P2), kept at least this long after consent
 * ended: configuration may lengthen it, never shorten it, and the database's purge function clamps
 * any cutoff to it (migrations/Migration20261206074348.ts states the same number).
 */
export const MIN_CONSENT_RECORD_RETENTION_YEARS = 5;

export const RETENTION_ENV = {
  contactDaysAfterConsentEnds: 'RETENTION_CONTACT_DAYS_AFTER_CONSENT_ENDS',
  orderYearsAfterCompletion: 'RETENTION_ORDER_YEARS',
  consentRecordYearsAfterEnd: 'RETENTION_CONSENT_RECORD_YEARS',
  consentTermYears: 'CONSENT_TERM_YEARS',
  securityEventDays: 'RETENTION_SECURITY_EVENT_DAYS',
} as const;

/** The settings added after config.ts was written, read from `env` with one problem line per bad value (the value is never echoed). */
export function readLifecycleTerms(env: Record<string, string | undefined>): {
  consentTermYears: number;
  securityEventDays: number;
  problems: string[];
} {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${name} must be an integer between ${min} and ${max}`);
    return fallback;
  };
  return {
    consentTermYears: int(RETENTION_ENV.consentTermYears, DEFAULT_RETENTION.consentTermYears, 0, 50),
    securityEventDays: int(RETENTION_ENV.securityEventDays, DEFAULT_RETENTION.securityEventDays, 30, 3650),
    problems,
  };
}

const DAY = 86_400_000;

/** `date` moved by whole calendar years. */
export function addYears(date: Date, years: number): Date {
  const shifted = new Date(date.getTime());
  shifted.setUTCFullYear(date.getUTCFullYear() + years);
  // 29 Feb plus or minus a year lands on 1 Mar; keep the last day of February instead.
  if (shifted.getUTCMonth() !== date.getUTCMonth()) shifted.setUTCDate(0);
  return shifted;
}

/** The instants before which each kind of data is past its retention, at `now`. */
export interface RetentionCutoffs {
  /** Consent that ended before this: its contact and identity data are due for depersonalisation. */
  readonly contactConsentEndedBefore: Date;
  readonly ordersCompletedBefore: Date;
  readonly consentEndedBefore: Date;
  readonly securityEventsBefore: Date;
}

export function retentionCutoffs(now: Date, policy: RetentionPolicy): RetentionCutoffs {
  return {
    contactConsentEndedBefore: new Date(now.getTime() - policy.contactDaysAfterConsentEnds * DAY),
    ordersCompletedBefore: addYears(now, -policy.orderYearsAfterCompletion),
    consentEndedBefore: addYears(now, -policy.consentRecordYearsAfterEnd),
    securityEventsBefore: new Date(now.getTime() - policy.securityEventDays * DAY),
  };
}
