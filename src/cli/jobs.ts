/**
 * `npm run jobs -- --once`: one run of the lifecycle jobs (for cron), then exit. Without `--once`
 * it keeps running them every JOBS_INTERVAL_SECONDS until SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../bootstrap';
import { ConfigError, loadConfig } from '../config';
import { runJobs } from '../jobs/run-jobs';
import { startJobScheduler } from '../jobs/scheduler';
import { createLogger } from '../logger';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config, (line) => log.debug({ postgres: line.trim() }));
  if (values.once) {
    try {
      const report = await runJobs({ em: database.orm.em, retention: config.retention });
      console.log(JSON.stringify(report));
    } finally {
      await database.close();
    }
    return;
  }
  const stop = startJobScheduler(database.orm, log, Math.max(config.jobs.intervalSeconds, 1) * 1000, config.retention);
  const shutdown = async () => {
    await stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  // Database errors can quote row values: name and code only.
  const code = (error as { code?: unknown })?.code;
  console.error(error instanceof ConfigError ? error.message : `jobs failed: ${error instanceof Error ? error.name : typeof error}${code ? ` (${String(code)})` : ''}`);
  process.exit(1);
});
