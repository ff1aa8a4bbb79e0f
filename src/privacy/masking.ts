/**
 * The masking strategies, a small registry of named functions (Fides style). A @pii field names
 * its strategy, or gets its category's default. `HIDE` means a MASKED decision shows nothing.
 */
import type { PiiCategory } from './categories';
import {
  maskAddress,
  maskBankAccount,
  maskEmail,
  maskFullName,
  maskIdNumber,
  maskLegalName,
  maskNamePart,
  maskPhone,
} from './masks';

export const MASK_KINDS = [
  'NAME_PART',
  'FULL_NAME',
  'PHONE',
  'EMAIL',
  'ID_NUMBER',
  'LEGAL_NAME',
  'BANK_ACCOUNT',
  'ADDRESS',
  'HIDE',
] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

type Mask = (value: unknown, source: Record<string, unknown>) => unknown;

const each =
  (mask: (v: unknown) => unknown): Mask =>
  (value) =>
    Array.isArray(value) ? value.map((v) => mask(v)) : mask(value);

export const MASKS: Readonly<Record<Exclude<MaskKind, 'HIDE'>, Mask>> = {
  NAME_PART: each(maskNamePart),
  FULL_NAME: (_value, source) =>
    maskFullName({ surname: source.surname, firstName: source.firstName, patronymic: source.patronymic }),
  PHONE: each(maskPhone),
  EMAIL: each(maskEmail),
  ID_NUMBER: each(maskIdNumber),
  LEGAL_NAME: each(maskLegalName),
  BANK_ACCOUNT: each(maskBankAccount),
  ADDRESS: each(maskAddress),
};

export const DEFAULT_MASK: Readonly<Record<PiiCategory, MaskKind>> = {
  FULL_NAME: 'NAME_PART',
  REGISTRATION_ADDRESS: 'ADDRESS',
  RESIDENCE_ADDRESS: 'ADDRESS',
  PHONE: 'PHONE',
  EMAIL: 'EMAIL',
  BANK_ACCOUNT: 'BANK_ACCOUNT',
  OFFICIAL_REQUISITES: 'ID_NUMBER',
  LOGIN: 'HIDE',
  ORDER_CONTACT: 'HIDE',
};

/** Applies a strategy; null/undefined stay null. A mask never returns the raw value. */
export function applyMask(kind: MaskKind, value: unknown, source: Record<string, unknown>): unknown {
  if (kind === 'HIDE' || value === null || value === undefined) return null;
  return MASKS[kind](value, source);
}
