import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';
import type { Role } from '../privacy/roles';

export enum SecurityEventKind {
  COMPROMISE_REPORTED = 'COMPROMISE_REPORTED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
}

/** Security history of an account (P7): ids, roles and times only, never a personal value. */
@Entity({ tableName: 'security_event' })
@Index({ properties: ['client', 'at'] })
export class SecurityEvent {
  [OptionalProps]?: 'at';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => SecurityEventKind })
  kind!: SecurityEventKind;

  // Kept if the client row goes: the event itself names no one.
  @ManyToOne(() => Client, { nullable: true, deleteRule: 'set null' })
  client!: Client | null;

  @Property({ type: 'text' })
  actorRole!: Role;

  /** The actor's token subject: a client id or a staff account id. */
  @Property({ type: 'text' })
  actorSub!: string;

  @Property({ type: 'timestamptz' })
  at: Date = new Date();
}
