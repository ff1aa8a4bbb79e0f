/** `npm start`: database (embedded unless DATABASE_URL), migrations, demo data, server. */
// First: tracing, when on, must be in place before http, pg and graphql are loaded.
import { tracing } from './observability/tracing-init';
import 'reflect-metadata';
import { signToken, type TokenClaims } from './auth/tokens';
import { openConfiguredDatabase, withDevSecret, type Database } from './bootstrap';
import { Client } from './clients/client.entity';
import { ConfigError, loadConfig, type Config } from './config';
import { openBackgroundOrm } from './db/orm';
import { startApp, type RunningApp } from './http/app';
import { assertPortFree } from './http/listen';
import { startJobScheduler } from './jobs/scheduler';
import type { Logger } from 'pino';
import { createLogger } from './logger';
import { LawfulRequest } from './disclosure/lawful-request.entity';
import { authorityRecipients } from './disclosure/recipients/authority';
import { partnerRecipients } from './disclosure/recipients/partner';
import { Contract } from './partners/contract.entity';
import { contractInForce } from './partners/contract-in-force';
import { DEMO_LOGIN, DEMO_PASSWORD, isEmpty, seedDemoData } from './seed/seed';
import type { MikroORM } from '@mikro-orm/postgresql';
import { describeFailure, parseCliOrExit, type CliSpec } from './cli/cli';

async function demoTokens(config: Config, orm: MikroORM): Promise<Array<[string, string]>> {
  const em = orm.em.fork();
  const client = await em.findOne(Client, { login: DEMO_LOGIN });
  // Disclosure tokens go through the DPO's issuing path, so they are registered and revocable.
  const contract = (await em.find(Contract, {}, { orderBy: { createdAt: 'asc', id: 'asc' } })).find((c) => contractInForce(c, new Date()));
  const request = await em.findOne(LawfulRequest, { expiresAt: { $gt: new Date() } }, { orderBy: { createdAt: 'asc' } });
  const issued: Array<[string, string]> = [
    ...(contract ? [['partner', (await partnerRecipients.issueToken(em, config.jwt, { grantId: contract.id, scopes: contract.categories, ttl: 12 * 3600, issuedBy: 'demo' })).token] as [string, string]] : []),
    ...(request ? [['authority', (await authorityRecipients.issueToken(em, config.jwt, { grantId: request.id, ttl: 12 * 3600, issuedBy: 'demo' })).token] as [string, string]] : []),
  ];
  const claims: TokenClaims[] = [
    ...(client ? [{ sub: client.id, role: 'client' as const }] : []),
    { sub: 'operator-1', role: 'operator' },
    { sub: 'dpo-1', role: 'dpo' },
    { sub: 'analyst-1', role: 'analyst' },
  ];
  const signed = await Promise.all(claims.map(async (c) => [c.role, await signToken(config.jwt, c, 12 * 3600)] as [string, string]));
  return [...signed, ...issued];
}

/** What start-up has opened so far; closed in reverse order, whatever was reached. */
interface Opened {
  database?: Database;
  app?: RunningApp;
  /** The job runner's own ORM: jobs are not requests, so not under the request deadline's statement_timeout. */
  jobsOrm?: MikroORM;
  stopJobs?: () => Promise<void>;
}

async function close(opened: Opened): Promise<void> {
  try {
    await opened.stopJobs?.();
    await opened.jobsOrm?.close(true);
    await opened.app?.stop();
  } finally {
    // The ORM and the embedded PostgreSQL close even when draining the server failed.
    await opened.database?.close();
    // The last spans leave before the process does.
    await tracing?.shutdown();
  }
}

/** Database, migrations, demo data, server, banner; `stopping` is checked between the steps. */
async function start(config: Config, log: Logger, opened: Opened, stopping: () => boolean): Promise<void> {
  await assertPortFree(config.port);
  opened.database = await openConfiguredDatabase(config, { command: 'npm start', share: false }, (line) => log.debug({ postgres: line.trim() }), { requestTimeoutMs: config.limits.requestTimeoutMs, log });
  const { orm } = opened.database;
  if (!stopping() && config.env !== 'production' && (await isEmpty(orm.em.fork()))) {
    const seeded = await seedDemoData(orm.em.fork(), { count: config.demo.clients, seed: config.demo.seed, passwordHashing: config.passwordHashing });
    log.info({ clients: seeded.clients }, 'seeded demo data');
  }
  if (stopping()) return;
  // Tokens first: the banner is printed in one piece once the server listens, and only then do
  // the job runner's (and requests') log lines follow.
  const tokens = config.env === 'production' ? [] : await demoTokens(config, orm);
  if (stopping()) return;
  opened.app = await startApp({ config, orm, log });
  process.stdout.write(banner(config, opened.app.url, tokens));
  // P3 lifecycle jobs in-process; with JOBS_INTERVAL_SECONDS=0 they run from cron (`npm run jobs -- --once`).
  if (config.jobs.intervalSeconds > 0) {
    opened.jobsOrm = await openBackgroundOrm(opened.database.url, {}, log);
    opened.app.metrics.observePool('jobs', opened.jobsOrm);
    opened.stopJobs = startJobScheduler(opened.jobsOrm, log, config.jobs.intervalSeconds * 1000, config.retention, config.jwt.secret, opened.app.metrics);
  }
}

function banner(config: Config, url: string, tokens: Array<[string, string]>): string {
  const lines = ['', `kzpay-privacy-graph ready at ${url}`];
  if (config.env !== 'production') {
    lines.push('GraphiQL: open that URL in a browser, and paste a token below into its Token field.');
    lines.push(`Demo login: ${DEMO_LOGIN} / ${DEMO_PASSWORD}. Tokens (12 h), paste as "Authorization: Bearer <token>":`);
    for (const [role, token] of tokens) lines.push(`  ${role.padEnd(9)} ${token}`);
  }
  return `${lines.join('\n')}\n\n`;
}

const START_CLI = {
  command: 'npm start',
  usage: `
Usage: npm start            (npm run dev: the same, restarted on every change)

Starts the API at http://localhost:PORT/graphql: PostgreSQL (DATABASE_URL, or an embedded one
in DATA_DIR), migrations, demo data and printed tokens outside production, the job runner.
Configuration is environment variables only: see "Configuration" in README.md.

  -h, --help  this text
`,
  options: {},
} as const satisfies CliSpec;

async function main(): Promise<void> {
  parseCliOrExit(START_CLI);
  const config = withDevSecret(loadConfig());
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  const opened: Opened = {};
  let stopping = false;
  let starting: Promise<void> = Promise.resolve();
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // The step under way (a migration, the seeding) ends first, so nothing it opens is left running.
    await starting.catch(() => undefined);
    let code = 0;
    await close(opened).catch((error: unknown) => {
      code = 1;
      log.error({ errorName: error instanceof Error ? error.name : typeof error }, 'shutdown failed');
    });
    process.exit(code);
  };
  // Registered before anything is opened: Ctrl-C during migrations or seeding still stops the embedded server.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  starting = start(config, log, opened, () => stopping);
  try {
    await starting;
  } catch (error) {
    // After a signal, shutdown owns the exit; otherwise close what was opened, then report.
    if (stopping) return;
    await close(opened).catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Start-up failed: ${describeFailure(error)}`);
  process.exit(1);
});
