import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../consent/retention';
import type { Metrics } from '../observability/metrics';
import { runJobs } from './run-jobs';

/**
 * Runs the jobs now and then every `intervalMs`, never two at once in this process (other
 * instances may run theirs: the runner is safe with that). Returns a stop function that waits
 * for a run in progress.
 */
export function startJobScheduler(
  orm: MikroORM,
  log: Logger,
  intervalMs: number,
  retention: RetentionPolicy = DEFAULT_RETENTION,
  throttleSecret: string | null = null,
  metrics?: Pick<Metrics, 'jobRun'>,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    running = runJobs({ em: orm.em, retention, log, throttleSecret })
      .then((report) => {
        metrics?.jobRun(report, seconds());
        log.info({ jobs: report }, 'lifecycle jobs ran');
      })
      .catch((error: unknown) => {
        metrics?.jobRun(null, seconds());
        log.error({ errorName: error instanceof Error ? error.name : typeof error }, 'lifecycle jobs failed');
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  setImmediate(tick);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
