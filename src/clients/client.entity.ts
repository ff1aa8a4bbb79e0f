import { ArrayType, Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export enum ClientKind {
  PERSON = 'PERSON',
  ENTITY = 'ENTITY',
}

/** Organisational and legal forms of Kazakh legal entities (Civil Code), and the individual entrepreneur with a BIN. */
export enum LegalForm {
  LLP = 'LLP',
  ALLP = 'ALLP',
  JSC = 'JSC',
  STATE_ENTERPRISE = 'STATE_ENTERPRISE',
  PRODUCTION_COOPERATIVE = 'PRODUCTION_COOPERATIVE',
  CONSUMER_COOPERATIVE = 'CONSUMER_COOPERATIVE',
  PUBLIC_ASSOCIATION = 'PUBLIC_ASSOCIATION',
  FOUNDATION = 'FOUNDATION',
  INSTITUTION = 'INSTITUTION',
  BRANCH = 'BRANCH',
  REPRESENTATIVE_OFFICE = 'REPRESENTATIVE_OFFICE',
  INDIVIDUAL_ENTREPRENEUR = 'INDIVIDUAL_ENTREPRENEUR',
}

export enum ClientStatus {
  ACTIVE = 'ACTIVE',
  BLOCKED = 'BLOCKED',
  ERASED = 'ERASED',
}

/** Structured address (P1: registration and residence addresses). */
export interface Address {
  country: string;
  region: string | null;
  city: string;
  street: string | null;
  building: string | null;
  apartment: string | null;
  postalCode: string | null;
}

export interface BankAccount {
  iban: string;
  bankName: string;
  bic: string | null;
}

/** A natural person or a legal entity (P1). Every personal column is nullable: erasure (P4) empties it. */
@Entity({ tableName: 'client' })
@Index({ properties: ['createdAt', 'id'] })
export class Client {
  [OptionalProps]?: 'kind' | 'status' | 'createdAt' | 'updatedAt' | 'phones' | 'emails' | 'bankAccounts' | 'tokenVersion' | 'passwordChangeRequired';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => ClientKind })
  kind: ClientKind = ClientKind.PERSON;

  @Property({ type: 'text', nullable: true })
  @Index()
  surname: string | null = null;

  @Property({ type: 'text', nullable: true })
  firstName: string | null = null;

  @Property({ type: 'text', nullable: true })
  patronymic: string | null = null;

  @Property({ type: 'text', nullable: true, unique: true })
  iin: string | null = null;

  @Property({ type: 'text', nullable: true, unique: true })
  bin: string | null = null;

  @Property({ type: 'text', nullable: true })
  legalName: string | null = null;

  /** Official requisites of a legal entity (P1), besides BIN and legal name. */
  @Enum({ items: () => LegalForm, nullable: true })
  legalForm: LegalForm | null = null;

  @Property({ type: 'date', nullable: true })
  stateRegistrationDate: string | null = null;

  /** The head (director) of a legal entity: a natural person's full name. */
  @Property({ type: 'text', nullable: true })
  headFullName: string | null = null;

  /** Beneficiary code (KBE): residency digit and economic sector digit. */
  @Property({ type: 'text', nullable: true })
  kbe: string | null = null;

  /** VAT registration certificate: series (5 digits) and number (7 digits), as 12 digits. */
  @Property({ type: 'text', nullable: true })
  vatCertificate: string | null = null;

  @Property({ type: 'json', nullable: true })
  registrationAddress: Address | null = null;

  @Property({ type: 'json', nullable: true })
  residenceAddress: Address | null = null;

  @Property({ type: ArrayType })
  phones: string[] = [];

  @Property({ type: ArrayType })
  emails: string[] = [];

  @Property({ type: 'json' })
  bankAccounts: BankAccount[] = [];

  @Property({ type: 'text', nullable: true, unique: true })
  login: string | null = null;

  /** argon2id hash; never part of any GraphQL type. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  passwordHash: string | null = null;

  @Enum({ items: () => ClientStatus })
  status: ClientStatus = ClientStatus.ACTIVE;

  /** Every token and session carries the version it was issued under; bumping it revokes them all (P7). */
  @Property({ type: 'integer', default: 0 })
  tokenVersion: number = 0;

  /** Set on suspected compromise (P7): login then yields only a one-time reset token. */
  @Property({ type: 'boolean', default: false })
  passwordChangeRequired: boolean = false;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
