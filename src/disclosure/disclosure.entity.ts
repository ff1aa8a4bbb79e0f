import { BigIntType, Check, Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { PiiCategory } from '../privacy/categories';

export enum RecipientKind {
  PARTNER = 'PARTNER',
  AUTHORITY = 'AUTHORITY',
  /** The subject itself, through an access export. */
  SUBJECT = 'SUBJECT',
  /** Recorded by the DPO for a disclosure made outside the system (a paper request). */
  OTHER = 'OTHER',
}

export interface DisclosedField {
  /** Response path (`partnerOrders.edges.0.node.client.phones`) or, off-system, a description. */
  readonly path: string;
  readonly category: PiiCategory;
  readonly access: 'FULL' | 'MASKED';
}

/**
 * One entry of the disclosure log (P5): what of one subject went to one recipient, never the
 * values. Append-only (database triggers refuse UPDATE, DELETE and TRUNCATE) and hash-chained
 * per recipient: each `chain` (src/disclosure/chains.ts) is numbered 1, 2, 3, … by `chainSeq`,
 * and `hash` = SHA-256 of the canonical entry including `prevHash`, the hash of the chain's
 * previous entry (see chain.ts). `seq` orders the whole log, across chains.
 * Ids are plain columns, not foreign keys, so no cascade can ever rewrite an entry.
 */
@Entity({ tableName: 'disclosure_log' })
@Index({ properties: ['subjectId', 'at'] })
@Index({ properties: ['at'] })
// One entry per position: a chain cannot fork, whatever the locks do. Also where its head is read.
@Unique({ properties: ['chain', 'chainSeq'] })
// A chain starts at 1: nothing can be slipped in below it (verifyChains would name it anyway).
@Check({ name: 'disclosure_log_seq_positive', expression: 'seq > 0' })
@Check({ name: 'disclosure_log_chain_seq_positive', expression: 'chain_seq > 0' })
export class DisclosureEntry {
  [OptionalProps]?: never;

  /** The log's order across chains, from a sequence: gaps where a write was rolled back. */
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  seq!: number;

  /** The recipient's chain (`partner:<id>`, `lawful-request:<id>`, `subject:<id>`, `other`, or `legacy`). */
  @Property({ type: 'text' })
  chain!: string;

  /** Position in its chain: 1, 2, 3, … without gaps. */
  @Property({ type: new BigIntType('number') })
  chainSeq!: number;

  @Property({ type: 'uuid' })
  @Unique()
  id!: string;

  @Property({ type: 'timestamptz' })
  at!: Date;

  @Enum({ items: () => RecipientKind })
  recipientKind!: RecipientKind;

  /** How the recipient was named when the entry was written (partner and contract, body and document). */
  @Property({ type: 'text' })
  recipient!: string;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  partnerId!: string | null;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  contractId!: string | null;

  @Property({ type: 'uuid', nullable: true })
  @Index()
  lawfulRequestId!: string | null;

  /** The acting token's jti (partner and authority requests). */
  @Property({ type: 'text', nullable: true })
  tokenId!: string | null;

  /** Who acted: the token subject (the DPO for an off-system record). */
  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'json' })
  fields!: DisclosedField[];

  @Property({ type: 'text' })
  purpose!: string;

  @Property({ type: 'text' })
  legalBasis!: string;

  @Property({ type: 'text', nullable: true })
  operationName!: string | null;

  /** SHA-256 of the query text, so the exact query can be proven without storing it. */
  @Property({ type: 'text', nullable: true })
  queryHash!: string | null;

  @Property({ type: 'text', nullable: true })
  requestId!: string | null;

  @Property({ type: 'text' })
  prevHash!: string;

  @Property({ type: 'text' })
  @Unique()
  hash!: string;
}
