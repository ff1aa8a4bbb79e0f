import argon2 from 'argon2';

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

export function hashPassword(password: string, cost: PasswordHashing): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...cost });
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
  if (!decoys.has(key)) decoys.set(key, hashPassword('decoy-password-for-timing', cost));
  await verifyPassword(await decoys.get(key)!, password);
}
