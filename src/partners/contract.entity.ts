import { ArrayType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { ConsentPurpose, PiiCategory } from '../privacy/categories';
import { Partner } from './partner.entity';

/**
 * A contract with a partner (P5.1): the personal-data categories it may receive, for which
 * purposes, and when. Tokens are bound to one contract; the grant is never wider than it.
 */
@Entity({ tableName: 'contract' })
@Unique({ properties: ['partner', 'number'] })
export class Contract {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Partner, { deleteRule: 'restrict' })
  partner!: Partner;

  @Property({ type: 'text' })
  number!: string;

  /** Calendar dates in Kazakhstan time (UTC+5), both days included. */
  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date' })
  validTo!: string;

  @Property({ type: ArrayType })
  categories!: PiiCategory[];

  @Property({ type: ArrayType })
  purposes!: ConsentPurpose[];

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
