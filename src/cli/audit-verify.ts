/**
 * `npm run audit:verify [-- --expect-head <chain>=<seq>:<hash> … | --expect-heads <file>]`: walks
 * every hash chain of the disclosure log (one per recipient) and names each one's first broken
 * link. The heads it prints (`head <chain>=<seq>:<hash>`, one line per chain) are worth keeping
 * outside the database (a ticket, another system): passed back, they also catch the newest entries
 * of a chain being cut off, or a whole chain removed, which the chains alone cannot show. The
 * printed output itself can be kept and passed back as the file. Exit code 0 when intact, 1 when
 * broken, 2 when the check could not run (bad arguments included). Uses DATABASE_URL, or the
 * embedded database under DATA_DIR (then the server must not be running on it).
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readFileSync } from 'node:fs';
import { openConfiguredDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { formatHead, HeadError, parseHeads } from '../disclosure/chain-head';
import { verifyChains, type ChainHead, type ChainReport, type LogVerdict } from '../disclosure/disclosure-log';
import { describeFailure, parseCli, runCli, UsageError, type CliSpec } from './cli';

export const EXIT = { INTACT: 0, BROKEN: 1, NOT_RUN: 2 } as const;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export const AUDIT_VERIFY_CLI = {
  command: 'npm run audit:verify',
  usage: `
Usage: npm run audit:verify [-- --expect-head <chain>=<seq>:<hash> … | --expect-heads <file>]

Walks every hash chain of the disclosure log (P5; one per recipient) and names each one's first
broken link. On success it prints one head per chain as head <chain>=<seq>:<hash>: keep them
outside the database (a ticket, another system) and pass them back, which also catches the newest
entries of a chain being cut off or a whole chain removed.

  --expect-head <chain>=<seq>:<hash>  a head a previous run printed (repeatable; a bare <seq>:<hash> is the legacy chain's)
  --expect-heads <file>               the saved output of a previous run
  -h, --help                          this text

Exit code: 0 intact, 1 broken, 2 not run. Uses DATABASE_URL, or the embedded PostgreSQL in
DATA_DIR (the running server's, when it runs).
`,
  options: { 'expect-head': { type: 'string', multiple: true }, 'expect-heads': { type: 'string' } },
} as const satisfies CliSpec;

/** The expected heads from `--expect-head` (repeatable) and the `head …` lines of an `--expect-heads` file. */
export function parseExpectedHeads(args: readonly string[]): Map<string, ChainHead> {
  const { values } = parseCli(AUDIT_VERIFY_CLI, args);
  const given = [...(values['expect-head'] ?? [])];
  const file = values['expect-heads'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError('--expect-heads names a file that cannot be read');
    }
    const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('head '));
    if (lines.length === 0) throw new UsageError('--expect-heads names a file without a "head <chain>=<seq>:<hash>" line');
    given.push(...lines.map((line) => line.slice('head '.length).split(' ')[0]!));
  }
  try {
    return parseHeads(given);
  } catch (error) {
    if (error instanceof HeadError) throw new UsageError(error.message);
    throw error;
  }
}

const headLine = (report: ChainReport): string =>
  `head ${formatHead(report.chain, report.head!)} (${report.entries} entries${report.expected ? `, reaching the expected head ${report.expected.seq}` : ''})`;

const brokenLine = (report: ChainReport): string => {
  const { seq, id, reason } = report.brokenAt!;
  return `chain ${report.chain} BROKEN at entry ${seq} id=${id ?? '?'}: ${reason} (${report.entries} entries before it verified)`;
};

/** Verifies every chain on `em` and reports on `out`: intact chains' heads on `log`, broken links on `error`. Returns the exit code. */
export async function auditVerify(em: EntityManager, args: readonly string[], out: Output): Promise<number> {
  let verdict: LogVerdict;
  try {
    verdict = await verifyChains(em, parseExpectedHeads(args));
  } catch (error) {
    // The message names the table or the argument at fault; verifyChain's statements carry no values.
    out.error(`audit:verify could not run: ${error instanceof Error && error.message !== '' ? error.message : describeFailure(error)}`);
    return EXIT.NOT_RUN;
  }
  const broken = verdict.chains.filter((c) => c.brokenAt);
  const chains = `${verdict.chains.length} chain${verdict.chains.length === 1 ? '' : 's'}`;
  if (broken.length === 0) out.log(`disclosure log intact: ${verdict.entries} entries in ${chains}`);
  else out.error(`disclosure log BROKEN: ${broken.length} of ${chains}`);
  for (const report of verdict.chains) {
    if (report.brokenAt) out.error(brokenLine(report));
    else if (report.head) out.log(headLine(report));
  }
  return broken.length === 0 ? EXIT.INTACT : EXIT.BROKEN;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  // A malformed head is refused before the database is opened.
  parseExpectedHeads(args);
  const database = await openConfiguredDatabase(loadConfig(), { command: AUDIT_VERIFY_CLI.command, share: true });
  try {
    return await auditVerify(database.orm.em.fork(), args, { log: (line) => console.log(line), error: (line) => console.error(line) });
  } finally {
    await database.close();
  }
}

if (require.main === module) runCli(AUDIT_VERIFY_CLI, main, EXIT.NOT_RUN);
