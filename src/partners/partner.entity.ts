import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** An agent or third party acting under a contract with the Company (P5.1). */
@Entity({ tableName: 'partner' })
export class Partner {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  bin!: string;

  @Property({ type: 'text' })
  contractNumber!: string;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date' })
  validTo!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
