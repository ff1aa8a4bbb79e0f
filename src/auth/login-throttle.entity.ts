import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed-login counters (brute-force protection), in PostgreSQL so that every instance shares
 * them. Keyed by an HMAC of the login or the IP, never the value itself.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  /** HMAC-SHA256 (hex) of `kind:value`. */
  @PrimaryKey({ type: 'text' })
  keyHash!: string;

  /** `login` or `ip`: which limits apply. */
  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'integer' })
  failures!: number;

  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Time of the last counted attempt; counters reset after a quiet period and old rows are pruned. */
  @Property({ type: 'timestamptz' })
  @Index()
  lastFailureAt!: Date;
}
