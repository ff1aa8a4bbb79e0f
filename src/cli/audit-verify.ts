/**
 * `npm run audit:verify [-- --expect-head <seq>:<hash>]`: walks the disclosure log's hash chain and
 * names the first broken link. The head it prints on success is worth keeping outside the database
 * (a ticket, another system): passed back as `--expect-head`, it also catches the newest entries
 * being cut off, which a chain alone cannot show. Exit code 0 when intact, 1 when broken, 2 when the
 * check could not run (bad arguments included). Uses DATABASE_URL, or the embedded database under
 * DATA_DIR (then the server must not be running on it).
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { formatHead, HEAD_FORMAT, parseHead } from '../disclosure/chain-head';
import { verifyChain, type ChainVerdict, type ExpectedHead } from '../disclosure/disclosure-log';

export const EXIT = { INTACT: 0, BROKEN: 1, NOT_RUN: 2 } as const;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export class UsageError extends Error {}

/** `--expect-head <seq>:<hash>` as printed by a previous successful run, or null without it. */
export function parseExpectHead(args: readonly string[]): ExpectedHead | null {
  const { values } = parseArgs({ args: [...args], options: { 'expect-head': { type: 'string' } }, strict: true });
  const raw = values['expect-head'];
  if (raw === undefined) return null;
  const head = parseHead(raw);
  if (!head) throw new UsageError(`--expect-head must be ${HEAD_FORMAT}`);
  return head;
}

/** Verifies the chain on `em` and reports on `out`; returns the exit code. */
export async function auditVerify(em: EntityManager, args: readonly string[], out: Output): Promise<number> {
  let expectedHead: ExpectedHead | null;
  let verdict: ChainVerdict;
  try {
    expectedHead = parseExpectHead(args);
    verdict = await verifyChain(em, expectedHead);
  } catch (error) {
    out.error(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.NOT_RUN;
  }
  if (verdict.ok) {
    out.log(`disclosure log intact: ${verdict.entries} entries, head ${formatHead(verdict.entries, verdict.head)}${expectedHead ? `, reaching the expected head ${expectedHead.seq}` : ''}`);
    return EXIT.INTACT;
  }
  const { seq, id, reason } = verdict.brokenAt;
  out.error(`disclosure log BROKEN at entry seq=${seq} id=${id ?? '?'}: ${reason} (${verdict.entries} entries before it verified)`);
  return EXIT.BROKEN;
}

async function main(): Promise<number> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    return await auditVerify(database.orm.em.fork(), process.argv.slice(2), { log: (line) => console.log(line), error: (line) => console.error(line) });
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('audit:verify could not run:', error instanceof Error ? error.message : error);
      process.exit(EXIT.NOT_RUN);
    },
  );
}
