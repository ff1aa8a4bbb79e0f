import { ArrayType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { PiiCategory } from '../privacy/categories';

/**
 * A request of a state body registered by the DPO (P5.2): it opens exactly its subjects and
 * categories to the authority token bound to it, until it expires. Consent is not consulted.
 */
@Entity({ tableName: 'lawful_request' })
export class LawfulRequest {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  issuingBody!: string;

  @Property({ type: 'text' })
  documentNumber!: string;

  @Property({ type: 'date' })
  documentDate!: string;

  @Property({ type: 'text' })
  legalBasis!: string;

  @Property({ type: ArrayType })
  subjectIds!: string[];

  @Property({ type: ArrayType })
  categories!: PiiCategory[];

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** The DPO who registered it (token subject). */
  @Property({ type: 'text' })
  registeredBy!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** An issued authority token, by its `jti`: checked on every request, revocable at once. */
@Entity({ tableName: 'authority_token' })
export class AuthorityToken {
  [OptionalProps]?: 'issuedAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  jti!: string;

  @ManyToOne(() => LawfulRequest, { deleteRule: 'restrict' })
  @Index()
  request!: LawfulRequest;

  @Property({ type: 'text' })
  issuedBy!: string;

  @Property({ type: 'timestamptz' })
  issuedAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
