import { ArrayType, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';
import type { ConsentOperation, ConsentPurpose } from '../privacy/categories';
import type { ConsentStatus } from '../privacy/consent-state';

export enum ConsentEventKind {
  GIVEN = 'GIVEN',
  PURPOSES_NARROWED = 'PURPOSES_NARROWED',
  WITHDRAWAL_REQUESTED = 'WITHDRAWAL_REQUESTED',
  WITHDRAWAL_CANCELLED = 'WITHDRAWAL_CANCELLED',
  WITHDRAWN = 'WITHDRAWN',
  EXPIRED = 'EXPIRED',
}

export enum ConsentChannel {
  WEB = 'WEB',
  MOBILE = 'MOBILE',
  TELEGRAM = 'TELEGRAM',
  OPERATOR = 'OPERATOR',
  PAPER = 'PAPER',
  /** The server's own acts (the job runner, a retention period ending): nobody asked. */
  SYSTEM = 'SYSTEM',
}

/** What a subject may claim to have used: OPERATOR, PAPER or SYSTEM would claim staff or the server acted. */
export const SELF_SERVICE_CHANNELS: readonly ConsentChannel[] = [ConsentChannel.WEB, ConsentChannel.MOBILE, ConsentChannel.TELEGRAM];
/** What staff may record: the subject's own channels, a call or visit, or a paper notice, never the server's. */
export const STAFF_CHANNELS: readonly ConsentChannel[] = [...SELF_SERVICE_CHANNELS, ConsentChannel.OPERATOR, ConsentChannel.PAPER];

export type ConsentActor = 'SUBJECT' | 'OPERATOR' | 'DPO' | 'SYSTEM';

export interface ConsentEvidence {
  userAgent: string | null;
  /** Truncated to /24 (IPv4) or /48 (IPv6): enough as proof, not enough to identify. */
  ipPrefix: string | null;
}

/**
 * One record of a subject's consent history (P2). Records are appended, never changed; the
 * latest record of a client carries its current state.
 */
@Entity({ tableName: 'consent' })
@Index({ properties: ['client', 'recordedAt'] })
export class Consent {
  [OptionalProps]?:
    | 'kind' | 'channel' | 'evidence' | 'actor' | 'actorId' | 'givenAt' | 'recordedAt' | 'operations' | 'purposes'
    | 'withdrawalNoticeAt' | 'withdrawalEffectiveAt' | 'expiresAt' | 'noticeSha256' | 'noticeLength';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Client, { nullable: true, deleteRule: 'set null' })
  client: Client | null = null;

  @Enum({ items: () => ConsentEventKind })
  kind: ConsentEventKind = ConsentEventKind.GIVEN;

  @Property({ type: 'text' })
  status!: ConsentStatus;

  @Property({ type: 'text' })
  policyVersion!: string;

  @Property({ type: 'text' })
  policyTextHash!: string;

  @Property({ type: ArrayType })
  operations: ConsentOperation[] = [];

  @Property({ type: ArrayType })
  purposes: ConsentPurpose[] = [];

  @Enum({ items: () => ConsentChannel })
  channel: ConsentChannel = ConsentChannel.WEB;

  @Property({ type: 'json' })
  evidence: ConsentEvidence = { userAgent: null, ipPrefix: null };

  /** Who acted: SUBJECT, OPERATOR or DPO. */
  @Property({ type: 'text' })
  actor: ConsentActor = 'SUBJECT';

  /** The staff account that recorded it for OPERATOR and DPO records; null for the subject and the system. */
  @Property({ type: 'text', nullable: true })
  actorId: string | null = null;

  /** When consent was first given (carried over by every later record). */
  @Property({ type: 'timestamptz' })
  givenAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  withdrawalNoticeAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  withdrawalEffectiveAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  /**
   * The written withdrawal notice (P3) may itself hold personal data, so only its SHA-256 (hex, of
   * the UTF-8 text as sent) and its length in characters are kept: enough to match a copy, not to read it.
   */
  @Property({ type: 'text', nullable: true })
  noticeSha256: string | null = null;

  @Property({ type: 'integer', nullable: true })
  noticeLength: number | null = null;
}
