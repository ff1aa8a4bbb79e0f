import argon2 from 'argon2';
import type { HashingLimits } from '../config';
import { serviceBusy } from '../errors';
import { deadlineOfThisRequest, requestTimedOut } from '../http/limits-request';

/** argon2id cost: memory in KiB, passes, lanes. */
export interface PasswordHashing {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** The library's defaults (64 MiB, 3 passes, 4 lanes): above OWASP's argon2id minimum. */
export const STANDARD_HASHING: PasswordHashing = { memoryCost: 65_536, timeCost: 3, parallelism: 4 };

/** OWASP's argon2id floor (19 MiB, 2 passes, 1 lane); only NODE_ENV=test may go below it (src/config.ts). */
export const MINIMUM_HASHING: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * argon2 runs on libuv's thread pool (four threads), which login's verifications share: a burst
 * of registrations would queue every login behind their hashes. So new hashes run `concurrency` at
 * a time and at most `queue` wait, which leaves threads (and cores) to logins; a hash whose turn
 * comes after its request's deadline is dropped, as its answer has already gone. One queue per
 * process, as the thread pool is; the server sets its limits at start (PASSWORD_HASH_*).
 */
class HashQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public limits: HashingLimits) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    const expired = deadlineOfThisRequest();
    if (this.running < this.limits.concurrency) {
      this.running += 1;
    } else {
      if (this.waiting.length >= this.limits.queue) throw serviceBusy();
      // The slot is handed over by the hash that ends, so `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      if (expired()) throw requestTimedOut();
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** The default PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE. */
export const DEFAULT_HASH_QUEUE: HashingLimits = { concurrency: 1, queue: 8 };

const hashing = new HashQueue(DEFAULT_HASH_QUEUE);

const argon2id = (password: string, cost: PasswordHashing) => argon2.hash(password, { type: argon2.argon2id, ...cost });

export function limitPasswordHashing(limits: HashingLimits): void {
  hashing.limits = limits;
}

/** argon2id at `cost`, through the process's hash queue. */
export function hashPassword(password: string, cost: PasswordHashing): Promise<string> {
  return hashing.run(() => argon2id(password, cost));
}

/** The hash carries its own cost, so hashes made at another cost still verify. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A fixed hash per cost, so that a login for an unknown account costs the same time as a wrong password. */
const decoys = new Map<string, Promise<string>>();
export async function burnPasswordCheck(password: string, cost: PasswordHashing): Promise<void> {
  const key = `${cost.memoryCost}:${cost.timeCost}:${cost.parallelism}`;
  // Made outside any request's queue: a login must not fail because registrations fill it.
  if (!decoys.has(key)) decoys.set(key, argon2id('decoy-password-for-timing', cost));
  await verifyPassword(await decoys.get(key)!, password);
}
