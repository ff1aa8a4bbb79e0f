/**
 * A chain's head as `<chain>=<seq>:<hash>`: what `npm run audit:verify` prints (one per chain) and
 * the DPO's `verifyDisclosureLog` returns, to be kept outside the database and passed back. A bare
 * `<seq>:<hash>`, as printed before chains were per recipient, is the legacy chain's.
 */
import { LEGACY_CHAIN } from './chain';
import type { ChainHead } from './disclosure-log';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HEAD = new RegExp(`^(?:([a-z][a-z-]*(?::${UUID})?)=)?(\\d{1,15}):([0-9a-f]{64})$`);

/** A head that is not `<chain>=<seq>:<hash>`, or a chain given two. */
export class HeadError extends Error {}

export const formatHead = (chain: string, head: ChainHead): string => `${chain}=${head.seq}:${head.hash}`;

/** The expected heads, by chain. */
export function parseHeads(texts: Iterable<string>): Map<string, ChainHead> {
  const heads = new Map<string, ChainHead>();
  for (const text of texts) {
    const match = HEAD.exec(text);
    if (!match) throw new HeadError('an expected head must be <chain>=<seq>:<hash>, as printed by a successful run (e.g. partner:…=42:3f…, 64 hex digits)');
    const chain = match[1] ?? LEGACY_CHAIN;
    if (heads.has(chain)) throw new HeadError(`two expected heads for chain ${chain}`);
    heads.set(chain, { seq: Number(match[2]), hash: match[3]! });
  }
  return heads;
}
