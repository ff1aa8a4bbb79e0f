import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';

/** A one-time password reset token after suspected compromise (P7); only its SHA-256 is kept. */
@Entity({ tableName: 'password_reset' })
export class PasswordReset {
  [OptionalProps]?: 'createdAt' | 'consumedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** SHA-256 (hex) of the token handed out. */
  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @ManyToOne(() => Client, { deleteRule: 'cascade' })
  @Index()
  client!: Client;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when used, or when the password changed by another token or the account was reported again. */
  @Property({ type: 'timestamptz', nullable: true })
  consumedAt: Date | null = null;
}
