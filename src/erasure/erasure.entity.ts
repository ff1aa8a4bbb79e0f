import { ArrayType, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';
import type { ConsentEvidence } from '../consent/consent.entity';

/** Why a client's personal data was deleted. */
export enum ErasureBasis {
  /** P4: the subject asked through the API (`requestErasure`). */
  SUBJECT_REQUEST = 'SUBJECT_REQUEST',
  /** P4/P8: the subject wrote to the Company; the DPO records the letter's registry number. */
  WRITTEN_REQUEST_OFFLINE = 'WRITTEN_REQUEST_OFFLINE',
  /** P3: consent ended (withdrawn or expired) and the contact data's retention period is over. */
  RETENTION_ENDED = 'RETENTION_ENDED',
}

/** What an erasure removes, by kind: P1 categories plus the credentials and sessions. */
export const ERASED_CATEGORIES = [
  'FULL_NAME',
  'OFFICIAL_REQUISITES',
  'REGISTRATION_ADDRESS',
  'RESIDENCE_ADDRESS',
  'PHONE',
  'EMAIL',
  'BANK_ACCOUNT',
  'LOGIN',
  'PASSWORD',
  'SESSIONS',
  'ORDER_CONTACT',
] as const;
export type ErasedCategory = (typeof ERASED_CATEGORIES)[number];

export enum ErasureRequestStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
}

/** A subject's request to be erased (P4), kept until the DPO acts on it. */
@Entity({ tableName: 'erasure_request' })
@Index({ properties: ['status', 'requestedAt'] })
export class ErasureRequest {
  [OptionalProps]?: 'status' | 'requestedAt' | 'receiptId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Client)
  @Index()
  client!: Client;

  @Enum({ items: () => ErasureRequestStatus })
  status: ErasureRequestStatus = ErasureRequestStatus.PENDING;

  @Property({ type: 'timestamptz' })
  requestedAt: Date = new Date();

  /** Same proof as a consent record: user agent and an anonymised IP. */
  @Property({ type: 'json' })
  evidence!: ConsentEvidence;

  @Property({ type: 'uuid', nullable: true })
  receiptId: string | null = null;
}

/**
 * Proof that an erasure happened: which kinds of data went, when, on what basis and by whom.
 * Never a value. Kept after the erasure; the client id it names is a random id of a row that
 * holds nothing personal any more.
 */
@Entity({ tableName: 'erasure_receipt' })
@Index({ properties: ['client', 'erasedAt'] })
export class ErasureReceipt {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Client)
  client!: Client;

  @Enum({ items: () => ErasureBasis })
  basis!: ErasureBasis;

  /** The erasure request id, or the registry number of a written request; never free text about the person. */
  @Property({ type: 'text', nullable: true })
  reference!: string | null;

  /** The kinds of data that held values and were removed. */
  @Property({ type: ArrayType })
  categories!: ErasedCategory[];

  @Property({ type: 'integer' })
  ordersDepersonalised!: number;

  @Property({ type: 'integer' })
  sessionsRevoked!: number;

  /** `DPO` or `SYSTEM` (the job runner, when retention ended). */
  @Property({ type: 'text' })
  actorRole!: 'DPO' | 'SYSTEM';

  /** The DPO's account id, or `jobs` for the runner. */
  @Property({ type: 'text' })
  actorId!: string;

  @Property({ type: 'timestamptz' })
  erasedAt!: Date;
}
