/**
 * `npm run jobs -- --once`: one run of the lifecycle jobs (for cron), then exit. Without `--once`
 * it keeps running them every JOBS_INTERVAL_SECONDS until SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { openConfiguredDatabase, withDevSecret } from '../bootstrap';
import { loadConfig } from '../config';
import { runJobs, type JobReport } from '../jobs/run-jobs';
import { startJobScheduler } from '../jobs/scheduler';
import { createLogger } from '../logger';
import { parseCli, runCli, type CliSpec } from './cli';

export const JOBS_CLI = {
  command: 'npm run jobs',
  usage: `
Usage: npm run jobs [-- --once]

Runs the lifecycle jobs (P3/P4): makes due withdrawals effective, expires consents, purges what
is past retention. With --once: one run, its report as one JSON line, then exit (for cron).
Without: every JOBS_INTERVAL_SECONDS until Ctrl-C.

  --once      one run, then exit
  -h, --help  this text

Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (the running server's, when it runs).
`,
  options: { once: { type: 'boolean', default: false } },
} as const satisfies CliSpec;

/**
 * With `--once`: runs the jobs, writes the report as one JSON line to `write` and returns it.
 * Otherwise starts the scheduler and returns null (the process lives until a signal).
 */
export async function main(
  args: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Promise<JobReport | null> {
  const { values } = parseCli(JOBS_CLI, args);
  // The dev secret too: the login throttle's keys derive from it, and depersonalisation deletes them.
  const config = withDevSecret(loadConfig(env));
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  const database = await openConfiguredDatabase(config, { command: JOBS_CLI.command, share: true }, (line) => log.debug({ postgres: line.trim() }));
  if (values.once) {
    try {
      const report = await runJobs({ em: database.orm.em, retention: config.retention, log, throttleSecret: config.jwt.secret });
      write(`${JSON.stringify(report)}\n`);
      return report;
    } finally {
      await database.close();
    }
  }
  const stop = startJobScheduler(database.orm, log, Math.max(config.jobs.intervalSeconds, 1) * 1000, config.retention, config.jwt.secret);
  const shutdown = async () => {
    await stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  return null;
}

if (require.main === module) runCli(JOBS_CLI, async () => ((await main()) ? 0 : null));
