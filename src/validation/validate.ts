/**
 * Input rules, shared by every mutation. A failure names the field and the rule, never the value
 * (it may be personal data), and is raised before anything is written.
 */
import { badInput } from '../errors';
import {
  isValidBic,
  isValidBin,
  isValidEmail,
  isValidIin,
  isValidKzIban,
  isValidKzPhone,
  normaliseIban,
  normalisePhone,
} from '../kz/identifiers';
import { PII_CATEGORIES, type PiiCategory } from '../privacy/categories';

export interface AddressInputShape {
  country: string;
  region?: string | null;
  city: string;
  street?: string | null;
  building?: string | null;
  apartment?: string | null;
  postalCode?: string | null;
}

// Control characters (other than none at all) never belong in a stored value.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function text(field: string, value: string, min: number, max: number): string {
  const trimmed = value.normalize('NFC').trim();
  if (CONTROL.test(trimmed)) throw badInput(field, 'must not contain control characters');
  const length = Array.from(trimmed).length;
  if (length < min || length > max) throw badInput(field, `must be ${min} to ${max} characters long`);
  return trimmed;
}

export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return text(field, value, 1, max);
}

/** Names: letters of any script (Kazakh included), spaces, hyphens and apostrophes. */
export function personName(field: string, value: string): string {
  const name = text(field, value, 1, 100);
  if (!/^[\p{L}\p{M}][\p{L}\p{M}' \u2019-]*$/u.test(name)) throw badInput(field, 'must contain only letters, spaces, hyphens or apostrophes');
  return name;
}

export function phone(field: string, value: string): string {
  const normalised = normalisePhone(value);
  if (!isValidKzPhone(normalised)) throw badInput(field, 'must be a Kazakhstan phone number in E.164 form (+7XXXXXXXXXX)');
  return normalised;
}

export function email(field: string, value: string): string {
  const normalised = value.trim().toLowerCase();
  if (!isValidEmail(normalised)) throw badInput(field, 'must be a valid e-mail address');
  return normalised;
}

export function iin(field: string, value: string): string {
  const v = value.trim();
  if (!isValidIin(v)) throw badInput(field, 'must be a 12-digit IIN with a valid check digit');
  return v;
}

export function bin(field: string, value: string): string {
  const v = value.trim();
  if (!isValidBin(v)) throw badInput(field, 'must be a 12-digit BIN with a valid check digit');
  return v;
}

export function iban(field: string, value: string): string {
  const v = normaliseIban(value);
  if (!isValidKzIban(v)) throw badInput(field, 'must be a KZ IBAN (20 characters) with valid check digits');
  return v;
}

export function bic(field: string, value: string): string {
  const v = value.trim().toUpperCase();
  if (!isValidBic(v)) throw badInput(field, 'must be an 8 or 11 character BIC');
  return v;
}

export function login(field: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (!/^[a-z0-9._-]{3,64}$/.test(v)) throw badInput(field, 'must be 3 to 64 characters: latin letters, digits, dot, dash, underscore');
  return v;
}

export function password(field: string, value: string): string {
  const length = Array.from(value).length;
  if (length < 10 || length > 200) throw badInput(field, 'must be 10 to 200 characters long');
  return value;
}

/** The one UUID pattern, any case (PostgreSQL reads both); uuid() hands on the lower-case form. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is refused here, before it reaches SQL and fails a whole batch. */
export function uuid(field: string, value: string): string {
  if (!UUID.test(value)) throw badInput(field, 'must be an id (UUID)');
  return value.toLowerCase();
}

/** Page sizes: 1 to MAX_PAGE_SIZE (the request's configuration). */
export function pageSize(field: string, first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput(field, `must be between 1 and ${max}`);
  return first;
}

export function list<T>(field: string, values: readonly T[], min: number, max: number, each: (f: string, v: T) => T): T[] {
  if (values.length < min || values.length > max) throw badInput(field, `must have ${min} to ${max} entries`);
  const out = values.map((v, i) => each(`${field}[${i}]`, v));
  if (new Set(out).size !== out.length) throw badInput(field, 'must not repeat an entry');
  return out;
}

/** One or more P1 categories, each kept once. */
export function categoryList(field: string, values: readonly PiiCategory[]): PiiCategory[] {
  const unique = [...new Set(values)];
  if (unique.length === 0 || unique.some((c) => !PII_CATEGORIES.includes(c))) throw badInput(field, 'must list one or more PII categories');
  return unique;
}

export function address(field: string, a: AddressInputShape) {
  const postalCode = optionalText(`${field}.postalCode`, a.postalCode, 10);
  if (postalCode !== null && !/^\d{6}$/.test(postalCode)) throw badInput(`${field}.postalCode`, 'must be 6 digits');
  return {
    country: text(`${field}.country`, a.country, 2, 60),
    region: optionalText(`${field}.region`, a.region, 100),
    city: text(`${field}.city`, a.city, 1, 100),
    street: optionalText(`${field}.street`, a.street, 200),
    building: optionalText(`${field}.building`, a.building, 20),
    apartment: optionalText(`${field}.apartment`, a.apartment, 20),
    postalCode,
  };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date, YYYY-MM-DD, within [min, max] (both YYYY-MM-DD). */
export function calendarDate(field: string, value: string, min: string, max: string): string {
  const v = value.trim();
  const parts = ISO_DATE.exec(v);
  const date = parts ? new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))) : null;
  // A round trip rejects 31 April and 29 February of common years, which Date would roll over.
  if (!date || date.toISOString().slice(0, 10) !== v) throw badInput(field, 'must be a date in the form YYYY-MM-DD');
  if (v < min || v > max) throw badInput(field, `must be between ${min} and ${max}`);
  return v;
}

/** Beneficiary code (KBE): residency (1 resident, 2 non-resident), then the economic sector (1-9). */
export function kbe(field: string, value: string): string {
  const v = value.trim();
  if (!/^[12][1-9]$/.test(v)) throw badInput(field, 'must be a two-digit beneficiary code (KBE): 1 or 2, then 1 to 9');
  return v;
}

/** VAT registration certificate: series (5 digits) and number (7 digits), stored as the 12 digits. */
export function vatCertificate(field: string, value: string): string {
  const digits = value.replace(/[\s№N#-]/gi, '');
  if (!/^\d{12}$/.test(digits)) throw badInput(field, 'must be a certificate series (5 digits) and number (7 digits)');
  return digits;
}
