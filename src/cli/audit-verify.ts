/**
 * `npm run audit:verify [-- --expect-head <seq>:<hash>]`: walks the disclosure log's hash chain and
 * names the first broken link. Exit code 0 when intact, 1 when broken, 2 when the check could not
 * run (bad arguments included).
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openConfiguredDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { describeFailure, parseCli, runCli, UsageError, type CliSpec } from './cli';
import { verifyChain, type ChainVerdict, type ExpectedHead } from '../disclosure/disclosure-log';

export const EXIT = { INTACT: 0, BROKEN: 1, NOT_RUN: 2 } as const;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export const AUDIT_VERIFY_CLI = {
  command: 'npm run audit:verify',
  usage: `
Usage: npm run audit:verify [-- --expect-head <seq>:<hash>]

Walks the disclosure log's hash chain (P5) and names the first broken link. On success it prints
the head as <seq>:<hash>: keep it outside the database (a ticket, another system) and pass it back
with --expect-head, which also catches the newest entries being cut off.

  --expect-head <seq>:<hash>  the head a previous run printed
  -h, --help                  this text

Exit code: 0 intact, 1 broken, 2 not run. Uses DATABASE_URL, or the embedded PostgreSQL in
DATA_DIR (the running server's, when it runs).
`,
  options: { 'expect-head': { type: 'string' } },
} as const satisfies CliSpec;

/** `--expect-head <seq>:<hash>` as printed by a previous successful run, or null without it. */
export function parseExpectHead(args: readonly string[]): ExpectedHead | null {
  const raw = parseCli(AUDIT_VERIFY_CLI, args).values['expect-head'];
  if (raw === undefined) return null;
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(raw);
  if (!match) throw new UsageError('--expect-head must be <seq>:<hash>, as printed by a successful run (e.g. 42:3f…, 64 hex digits)');
  return { seq: Number(match[1]), hash: match[2]! };
}

/** Verifies the chain on `em` and reports on `out`; returns the exit code. */
export async function auditVerify(em: EntityManager, args: readonly string[], out: Output): Promise<number> {
  let expectedHead: ExpectedHead | null;
  let verdict: ChainVerdict;
  try {
    expectedHead = parseExpectHead(args);
    verdict = await verifyChain(em, expectedHead);
  } catch (error) {
    // The message names the table or the argument at fault; verifyChain's statements carry no values.
    out.error(`audit:verify could not run: ${error instanceof Error && error.message !== '' ? error.message : describeFailure(error)}`);
    return EXIT.NOT_RUN;
  }
  if (verdict.ok) {
    out.log(`disclosure log intact: ${verdict.entries} entries, head ${verdict.entries}:${verdict.head}${expectedHead ? `, reaching the expected head ${expectedHead.seq}` : ''}`);
    return EXIT.INTACT;
  }
  const { seq, id, reason } = verdict.brokenAt;
  out.error(`disclosure log BROKEN at entry seq=${seq} id=${id ?? '?'}: ${reason} (${verdict.entries} entries before it verified)`);
  return EXIT.BROKEN;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  // A malformed head is refused before the database is opened.
  parseExpectHead(args);
  const database = await openConfiguredDatabase(loadConfig(), { command: AUDIT_VERIFY_CLI.command, share: true });
  try {
    return await auditVerify(database.orm.em.fork(), args, { log: (line) => console.log(line), error: (line) => console.error(line) });
  } finally {
    await database.close();
  }
}

if (require.main === module) runCli(AUDIT_VERIFY_CLI, main, EXIT.NOT_RUN);
