import { ArrayType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { PiiCategory } from '../privacy/categories';
import { Contract } from './contract.entity';

/** An issued partner token, by its `jti`: every partner request checks it is still here and not revoked. */
@Entity({ tableName: 'partner_token' })
export class PartnerToken {
  [OptionalProps]?: 'issuedAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  jti!: string;

  @ManyToOne(() => Contract, { deleteRule: 'restrict' })
  @Index()
  contract!: Contract;

  @Property({ type: ArrayType })
  categories!: PiiCategory[];

  /** The DPO who issued it (token subject). */
  @Property({ type: 'text' })
  issuedBy!: string;

  @Property({ type: 'timestamptz' })
  issuedAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
