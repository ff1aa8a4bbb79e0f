import argon2 from 'argon2';
import { DEFAULT_HASHING, type HashingLimits } from '../config';
import { serviceBusy } from '../graphql/format-error';
import { deadlineOfThisRequest, requestTimedOut } from '../http/limits-request';

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

const hashing = new HashQueue(DEFAULT_HASHING);

const argon2id = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export function limitPasswordHashing(limits: HashingLimits): void {
  hashing.limits = limits;
}

/** argon2id with the library's defaults (OWASP-level memory cost), through the process's hash queue. */
export function hashPassword(password: string): Promise<string> {
  return hashing.run(() => argon2id(password));
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A fixed hash so that a login for an unknown account costs the same time as a wrong password. */
let decoy: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  // Made once, outside any request's queue: a login must not fail because registrations fill it.
  decoy ??= argon2id('decoy-password-for-timing');
  await verifyPassword(await decoy, password);
}
