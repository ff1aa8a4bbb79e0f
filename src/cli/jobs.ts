/**
 * `npm run jobs -- --once`: one run of the lifecycle jobs (for cron), then exit. Without `--once`
 * it keeps running them every JOBS_INTERVAL_SECONDS until SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, withDevSecret } from '../bootstrap';
import { ConfigError, loadConfig } from '../config';
import { runJobs, type JobReport } from '../jobs/run-jobs';
import { startJobScheduler } from '../jobs/scheduler';
import { createLogger } from '../logger';

/**
 * With `--once`: runs the jobs, writes the report as one JSON line to `write` and returns it.
 * Otherwise starts the scheduler and returns null (the process lives until a signal).
 */
export async function main(
  args: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Promise<JobReport | null> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false } } });
  // The dev secret too: the login throttle's keys derive from it, and depersonalisation deletes them.
  const config = withDevSecret(loadConfig(env));
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config, (line) => log.debug({ postgres: line.trim() }));
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

if (require.main === module) {
  main().catch((error: unknown) => {
    // Database errors can quote row values: name and code only.
    const code = (error as { code?: unknown })?.code;
    console.error(error instanceof ConfigError ? error.message : `jobs failed: ${error instanceof Error ? error.name : typeof error}${code ? ` (${String(code)})` : ''}`);
    process.exit(1);
  });
}
