import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * An agent or third party working for the Company (P5.1). What it may receive is set by its
 * contracts (`Contract`), never by the partner record itself.
 */
@Entity({ tableName: 'partner' })
export class Partner {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  @Unique()
  bin!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
