/**
 * The API in its own process, for the benchmark. BENCH_ENFORCEMENT=off (read here only, never by
 * src/main.ts) builds the schema without the shield and the @pii guard, and the server without
 * the redaction report and the disclosure log: the baseline.
 */
import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/orm';
import { startApp } from '../src/http/app';
import { createLogger } from '../src/logger';
import { announce, serveStats } from './child';

async function main(): Promise<void> {
  const config = loadConfig();
  // Logs at the configured level, to nowhere: the cost of building them is measured, not the disk.
  const log = createLogger(config.logLevel, pino.destination({ dest: '/dev/null', sync: false }));
  const orm = await openDatabase(config.databaseUrl!, {}, { requestTimeoutMs: config.limits.requestTimeoutMs, log });
  let statements = 0;
  orm.em.getConnection().getKnex().on('query', () => {
    statements += 1;
  });
  const enforcement = process.env.BENCH_ENFORCEMENT !== 'off';
  const app = await startApp({ config, orm, log, schema: { enforcement } });
  announce({ url: app.url, statsUrl: await serveStats(() => statements) });
}

main().catch((error: unknown) => {
  console.error('bench server failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
