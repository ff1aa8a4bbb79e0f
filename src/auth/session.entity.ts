import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';

/**
 * A cookie session (P6). The cookie holds only a random id; the database keeps its SHA-256, so a
 * leaked table cannot be replayed as cookies.
 */
@Entity({ tableName: 'session' })
export class Session {
  [OptionalProps]?: 'createdAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** SHA-256 (hex) of the cookie value. */
  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @ManyToOne(() => Client, { deleteRule: 'cascade' })
  @Index()
  client!: Client;

  /** The account's token version at issue: a later bump (P7) makes the session stale. */
  @Property({ type: 'integer' })
  tokenVersion!: number;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
