/**
 * Validation of Kazakh identifiers: IIN/BIN, KZ IBAN, phone, e-mail, BIC.
 * Validators take already-normalised strings (see normalisePhone/normaliseIban) and
 * return false rather than throw, because they also guard values of unknown origin.
 */

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

function weightedMod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i];
  return sum % 11;
}

/**
 * The 12th digit of an IIN/BIN for its first 11 digits, or null when both weight passes
 * yield 10: no valid number exists with that prefix, so generators must pick another one.
 */
export function iinCheckDigit(first11: string): number | null {
  if (!/^[0-9]{11}$/.test(first11)) return null;
  const first = weightedMod11(first11, FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weightedMod11(first11, SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

function hasValidCheckDigit(s: string): boolean {
  return iinCheckDigit(s.slice(0, 11)) === s.charCodeAt(11) - 48;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids DST surprises.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 7th IIN digit → century of birth (odd = male, even = female). */
const IIN_CENTURY: Record<string, number> = { '1': 1800, '2': 1800, '3': 1900, '4': 1900, '5': 2000, '6': 2000 };

/**
 * IIN: YYMMDD birth date, century/sex digit 1-6, serial, check digit.
 * The century digit gives the full year, so the date is checked against the real calendar
 * (31 April and 29 February of non-leap years are rejected).
 */
export function isValidIin(s: string): boolean {
  if (typeof s !== 'string' || !/^[0-9]{12}$/.test(s)) return false;
  const century = IIN_CENTURY[s[6]];
  if (century === undefined) return false;
  const year = century + Number(s.slice(0, 2));
  const month = Number(s.slice(2, 4));
  const day = Number(s.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return hasValidCheckDigit(s);
}

/** BIN: YYMM of registration, entity type 4 (resident), 5 (non-resident) or 6 (IP joint venture), ... */
export function isValidBin(s: string): boolean {
  if (typeof s !== 'string' || !/^[0-9]{12}$/.test(s)) return false;
  const month = Number(s.slice(2, 4));
  if (month < 1 || month > 12) return false;
  if (!'456'.includes(s[4])) return false;
  return hasValidCheckDigit(s);
}

/** ISO 7064 mod 97 over an alphanumeric string, letters counted as A=10 … Z=35. */
function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    const value = code <= 57 ? code - 48 : code - 55;
    rem = (rem * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return rem;
}

const KZ_BBAN = /^[0-9]{3}[0-9A-Z]{13}$/;

/** Check digits for a KZ BBAN (3-digit bank code + 13 alphanumeric account). */
export function kzIbanCheckDigits(bban: string): string {
  if (!KZ_BBAN.test(bban)) throw new RangeError('KZ BBAN must be 3 digits followed by 13 uppercase alphanumerics');
  return String(98 - mod97(`${bban}KZ00`)).padStart(2, '0');
}

/** KZ IBAN: 20 chars, uppercase, no spaces, mod-97 remainder 1 (ISO 13616). */
export function isValidKzIban(s: string): boolean {
  if (typeof s !== 'string' || s.length !== 20 || !s.startsWith('KZ') || !/^[0-9]{2}$/.test(s.slice(2, 4))) return false;
  const bban = s.slice(4);
  return KZ_BBAN.test(bban) && mod97(bban + s.slice(0, 4)) === 1;
}

/** +7 followed by 10 digits; the national number starts with 6 or 7 (Kazakh mobile ranges). */
export function isValidKzPhone(s: string): boolean {
  return typeof s === 'string' && /^\+7[67][0-9]{9}$/.test(s);
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Pragmatic address check (ASCII dot-atom local part, hostname domain), not full RFC 5322. */
export function isValidEmail(s: string): boolean {
  if (typeof s !== 'string' || s.length > 254) return false;
  const at = s.lastIndexOf('@');
  if (at < 1) return false;
  const local = s.slice(0, at);
  const labels = s.slice(at + 1).split('.');
  if (local.length > 64 || !EMAIL_LOCAL.test(local) || labels.length < 2) return false;
  return labels.every((l) => DOMAIN_LABEL.test(l)) && /^[A-Za-z]{2,}$/.test(labels[labels.length - 1]);
}

/** SWIFT BIC: bank (4 letters), country (2 letters), location (2 alnum), optional branch (3 alnum). */
const BIC = /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

export function isValidBic(s: string): boolean {
  return typeof s === 'string' && BIC.test(s);
}

/**
 * Strips spaces, dashes and parentheses; rewrites the domestic trunk form 8XXXXXXXXXX
 * (and a bare 7XXXXXXXXXX) to +7XXXXXXXXXX. Anything else is returned stripped, for the
 * validator to reject.
 */
export function normalisePhone(s: string): string {
  const stripped = s.replace(/[\s\-()]/g, '');
  return /^[78][0-9]{10}$/.test(stripped) ? `+7${stripped.slice(1)}` : stripped;
}

export function normaliseIban(s: string): string {
  // Plain toUpperCase: IBANs are ASCII, and a locale-aware upper-casing could turn 'i' into 'İ'.
  return s.replace(/\s/g, '').toUpperCase();
}
