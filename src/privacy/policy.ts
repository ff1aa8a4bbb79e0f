/**
 * The policy matrix, as data: for each audience and P1 category, FULL, MASKED or HIDDEN, and the
 * basis each audience processes data on. The decision (decide.ts), the personal-filter rules and
 * the README table derive from it. Not from here: the @pii directive's enum (categories.ts) and
 * which roles may call which operation, which the shield enforces (src/auth/operation-access.ts).
 * To change who sees what, change this file, run `npm run policy` and paste the table into the
 * README (a test keeps them equal).
 */
import type { ConsentOperation, ConsentPurpose, PiiCategory } from './categories';

export type Access = 'FULL' | 'MASKED' | 'HIDDEN';

/** Who is looking, relative to the data subject. A client looking at itself is the SUBJECT. */
export const AUDIENCES = ['SUBJECT', 'CLIENT', 'OPERATOR', 'DPO', 'PARTNER', 'AUTHORITY', 'ANALYST'] as const;
export type Audience = (typeof AUDIENCES)[number];

export type Basis =
  /** The subject's own data: no consent needed to show a person their own data. */
  | { kind: 'SUBJECT' }
  /** P2: served only while consent is in force and covers every one of these purposes and operations. */
  | { kind: 'CONSENT'; purposes: readonly ConsentPurpose[]; operations: readonly ConsentOperation[] }
  /** P5.2 and the DPO's supervisory duty: the law is the basis, consent is not consulted. */
  | { kind: 'LAW'; note: string }
  | { kind: 'NONE' };

export interface AudiencePolicy {
  readonly description: string;
  readonly basis: Basis;
  /** P5: partners and state bodies see a category only where a contract or lawful request grants it. */
  readonly requiresGrant: boolean;
  readonly access: Readonly<Record<PiiCategory, Access>>;
}

const all = (access: Access): Record<PiiCategory, Access> => ({
  FULL_NAME: access,
  REGISTRATION_ADDRESS: access,
  RESIDENCE_ADDRESS: access,
  PHONE: access,
  EMAIL: access,
  BANK_ACCOUNT: access,
  OFFICIAL_REQUISITES: access,
  LOGIN: access,
  ORDER_CONTACT: access,
});

export const POLICY: Readonly<Record<Audience, AudiencePolicy>> = {
  SUBJECT: {
    description: 'The client reading its own data',
    basis: { kind: 'SUBJECT' },
    requiresGrant: false,
    access: all('FULL'),
  },
  CLIENT: {
    description: 'Another client',
    basis: { kind: 'NONE' },
    requiresGrant: false,
    access: all('HIDDEN'),
  },
  OPERATOR: {
    description: 'Company operator: support and settlements (P2 purposes 2 and 3)',
    basis: { kind: 'CONSENT', purposes: ['CONTRACT_PERFORMANCE', 'SETTLEMENTS'], operations: ['USE'] },
    requiresGrant: false,
    access: {
      FULL_NAME: 'FULL',
      REGISTRATION_ADDRESS: 'MASKED',
      RESIDENCE_ADDRESS: 'MASKED',
      PHONE: 'FULL',
      EMAIL: 'FULL',
      BANK_ACCOUNT: 'MASKED',
      OFFICIAL_REQUISITES: 'MASKED',
      LOGIN: 'HIDDEN',
      ORDER_CONTACT: 'FULL',
    },
  },
  DPO: {
    description: "Privacy officer: supervises processing, answers subjects' requests",
    basis: { kind: 'LAW', note: "the operator's duty to supervise processing and answer the subject" },
    requiresGrant: false,
    access: all('FULL'),
  },
  PARTNER: {
    description: 'Agent or third party under a contract (P5.1)',
    basis: { kind: 'CONSENT', purposes: ['THIRD_PARTY_OBLIGATIONS'], operations: ['TRANSFER_TO_THIRD_PARTIES'] },
    requiresGrant: true,
    access: all('FULL'),
  },
  AUTHORITY: {
    description: 'State body with a lawful request (P5.2)',
    basis: { kind: 'LAW', note: 'a registered lawful request' },
    requiresGrant: true,
    access: all('FULL'),
  },
  ANALYST: {
    description: 'Analyst: anonymous statistics only (P1)',
    basis: { kind: 'NONE' },
    requiresGrant: false,
    access: all('HIDDEN'),
  },
};
