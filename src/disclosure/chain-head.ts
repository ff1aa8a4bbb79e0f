/**
 * The head of the disclosure log's chain as `<seq>:<hash>`: what `npm run audit:verify` prints and
 * the DPO's `verifyDisclosureLog` returns, to be kept outside the database and passed back.
 */
import type { ExpectedHead } from './disclosure-log';

const HEAD = /^(\d{1,15}):([0-9a-f]{64})$/;

export const HEAD_FORMAT = '<seq>:<hash>, as a successful verification gives it (e.g. 42:3f…, 64 hex digits)';

/** The head in `text`, or null when it is not `<seq>:<hash>`. */
export function parseHead(text: string): ExpectedHead | null {
  const match = HEAD.exec(text);
  return match ? { seq: Number(match[1]), hash: match[2]! } : null;
}

/** An intact chain of `entries` entries ends at seq `entries` (seq starts at 1 without gaps). */
export const formatHead = (entries: number, hash: string): string => `${entries}:${hash}`;
