/**
 * Brute-force protection for `login`, per login and per IP, in PostgreSQL so that every instance
 * shares the counters. An unknown login is counted and locked exactly like a real one, so the
 * answers reveal nothing about which logins exist.
 *
 * Every attempt counts as a failure up front (in the same statement that checks the lock), so
 * parallel requests cannot slip past the limit; a success then takes its own attempt back.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHmac, hkdfSync } from 'node:crypto';
import type { Config } from '../config';
import { placeholders } from '../db/sql';
import { limitKeyOf } from '../net/ip-address';

export interface ThrottleLimits {
  /** Failures within the quiet period before the first lock. */
  readonly free: number;
  /** First lock; each further failure doubles it, up to `maxLockSeconds`. */
  readonly baseLockSeconds: number;
  readonly maxLockSeconds: number;
  /** Counters restart after this long without a failure; longer than any lock, so locks escalate. */
  readonly quietResetSeconds: number;
}

/** Per IP is looser: many clients share one address behind mobile carriers' NAT. */
export const THROTTLE_LIMITS: Readonly<Record<'login' | 'ip', ThrottleLimits>> = {
  login: { free: 5, baseLockSeconds: 60, maxLockSeconds: 15 * 60, quietResetSeconds: 60 * 60 },
  ip: { free: 30, baseLockSeconds: 60, maxLockSeconds: 30 * 60, quietResetSeconds: 60 * 60 },
};

export interface ThrottleKey {
  readonly kind: 'login' | 'ip';
  readonly hash: string;
}

/** Keyed HMAC: a stolen table does not give logins or IPs back by dictionary. */
function throttleHash(secret: string, kind: ThrottleKey['kind'], value: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'kzpay login throttle', 32));
  return createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');
}

export function throttleKeys(config: Config, login: string, ip: string | null): ThrottleKey[] {
  const secret = config.jwt.secret;
  if (!secret) throw new Error('JWT_SECRET is not configured: this server cannot log clients in');
  return [{ kind: 'login', hash: throttleHash(secret, 'login', login) }, ...(ip ? [{ kind: 'ip' as const, hash: throttleHash(secret, 'ip', limitKeyOf(ip)) }] : [])];
}

/**
 * Erasure (P4): deletes the counters kept under a login. `secret` is the JWT secret the keys derive
 * from; without one this server never logged anyone in, so there is nothing to delete.
 */
export async function forgetLogin(em: EntityManager, secret: string | null, login: string): Promise<number> {
  if (!secret) return 0;
  // em.execute, not the connection's: inside the caller's transaction.
  const result = await em.execute<{ affectedRows: number }>(
    `delete from login_throttle where key_hash = ?`,
    [throttleHash(secret, 'login', login)],
    'run',
  );
  return result.affectedRows;
}

function admitStatement(limits: ThrottleLimits): string {
  const failures = `case when t.last_failure_at < now() - make_interval(secs => ${limits.quietResetSeconds}) then 1 else t.failures + 1 end`;
  // The exponent is clamped: a siege over weeks must not overflow the arithmetic.
  const lock = (n: string) =>
    `case when ${n} >= ${limits.free} then now() + make_interval(secs => least(${limits.baseLockSeconds} * power(2, least(${n} - ${limits.free}, 20)), ${limits.maxLockSeconds})) end`;
  // The WHERE makes a locked row neither change nor come back: no row returned = refused.
  return `insert into login_throttle as t (key_hash, kind, failures, locked_until, last_failure_at)
          values (?, ?, 1, ${lock('1')}, now())
          on conflict (key_hash) do update set failures = ${failures}, locked_until = ${lock(failures)}, last_failure_at = now()
          where t.locked_until is null or t.locked_until <= now()
          returning key_hash`;
}

/**
 * Counts the attempt against every key. Null if admitted; else the seconds until the lock ends
 * (then nothing stays counted).
 */
export async function admitLoginAttempt(em: EntityManager, keys: readonly ThrottleKey[]): Promise<number | null> {
  const connection = em.getConnection();
  await connection.execute(
    `delete from login_throttle where last_failure_at < now() - make_interval(secs => ?) and (locked_until is null or locked_until < now())`,
    [Math.max(THROTTLE_LIMITS.login.quietResetSeconds, THROTTLE_LIMITS.ip.quietResetSeconds)],
  );
  const counted: ThrottleKey[] = [];
  for (const key of keys) {
    const rows: unknown[] = await connection.execute(admitStatement(THROTTLE_LIMITS[key.kind]), [key.hash, key.kind]);
    if (rows.length === 0) {
      await takeBack(em, counted);
      const [lock]: Array<{ seconds: number | null }> = await connection.execute(
        'select ceil(extract(epoch from max(locked_until) - now()))::int as seconds from login_throttle where key_hash = ?',
        [key.hash],
      );
      return Math.max(lock?.seconds ?? 1, 1);
    }
    counted.push(key);
  }
  return null;
}

/** The password was right: the login's counter starts over; the IP's gets this attempt back. */
export async function loginSucceeded(em: EntityManager, keys: readonly ThrottleKey[]): Promise<void> {
  const login = keys.filter((k) => k.kind === 'login').map((k) => k.hash);
  if (login.length > 0) await em.getConnection().execute(`delete from login_throttle where key_hash in (${placeholders(login)})`, login);
  await takeBack(em, keys.filter((k) => k.kind !== 'login'));
}

async function takeBack(em: EntityManager, keys: readonly ThrottleKey[]): Promise<void> {
  if (keys.length === 0) return;
  const hashes = keys.map((k) => k.hash);
  // The lock stays: clearing it here would let one's own successful logins reset an IP's lock.
  await em.getConnection().execute(`update login_throttle set failures = greatest(failures - 1, 0) where key_hash in (${placeholders(hashes)})`, hashes);
}
