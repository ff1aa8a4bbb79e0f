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
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { formatHead, HeadError, parseHeads } from '../disclosure/chain-head';
import { verifyChains, type ChainHead, type ChainReport, type LogVerdict } from '../disclosure/disclosure-log';

export const EXIT = { INTACT: 0, BROKEN: 1, NOT_RUN: 2 } as const;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export class UsageError extends Error {}

/** The expected heads from `--expect-head` (repeatable) and the `head …` lines of an `--expect-heads` file. */
export function parseExpectedHeads(args: readonly string[]): Map<string, ChainHead> {
  const { values } = parseArgs({
    args: [...args],
    options: { 'expect-head': { type: 'string', multiple: true }, 'expect-heads': { type: 'string' } },
    strict: true,
  });
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
    out.error(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
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
