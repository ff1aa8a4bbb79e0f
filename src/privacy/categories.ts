/**
 * The personal-data taxonomy of the policy (P1) and the consent vocabulary (P2), as data.
 * Everything else (the @pii directive's enum, the matrix, the README table) reads these lists.
 */

/** P1: what counts as personal data. */
export const PII_CATEGORIES = [
  'FULL_NAME',
  'REGISTRATION_ADDRESS',
  'RESIDENCE_ADDRESS',
  'PHONE',
  'EMAIL',
  'BANK_ACCOUNT',
  'OFFICIAL_REQUISITES',
  'LOGIN',
  'ORDER_CONTACT',
] as const;
export type PiiCategory = (typeof PII_CATEGORIES)[number];

export const CATEGORY_DESCRIPTIONS: Record<PiiCategory, string> = {
  FULL_NAME: 'Surname, first name, patronymic (P1)',
  REGISTRATION_ADDRESS: 'Registration address (P1)',
  RESIDENCE_ADDRESS: 'Residence address (P1)',
  PHONE: 'Contact phone numbers (P1)',
  EMAIL: 'E-mail addresses (P1)',
  BANK_ACCOUNT: 'Bank account numbers (P1)',
  OFFICIAL_REQUISITES: 'IIN/BIN and legal-entity requisites (P1)',
  LOGIN: 'Login (P1; the password is never exposed at all)',
  ORDER_CONTACT: 'Contact data captured with an Order (P1)',
};

/** Partner token scopes name categories: `pii:phone`, `pii:residence_address`, ... (P5). */
export function scopeOf(category: PiiCategory): string {
  return `pii:${category.toLowerCase()}`;
}

/** P2: the operations a subject consents to. */
export const CONSENT_OPERATIONS = [
  'COLLECTION',
  'SYSTEMATISATION',
  'ACCUMULATION',
  'STORAGE',
  'UPDATE',
  'USE',
  'DISTRIBUTION',
  'TRANSFER_TO_THIRD_PARTIES',
  'DEPERSONALISATION',
  'BLOCKING',
  'DESTRUCTION',
] as const;
export type ConsentOperation = (typeof CONSENT_OPERATIONS)[number];

/** P2: the seven purposes, in the policy's order. */
export const CONSENT_PURPOSES = [
  'CONTRACT_CONCLUSION',
  'CONTRACT_PERFORMANCE',
  'SETTLEMENTS',
  'LEGAL_DECISIONS',
  'SERVICE_INFORMATION',
  'THIRD_PARTY_OBLIGATIONS',
  'MARKETING',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
