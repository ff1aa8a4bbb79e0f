/** `npm start`: database (embedded unless DATABASE_URL), migrations, demo data, server. */
import 'reflect-metadata';
import { signToken, type TokenClaims } from './auth/tokens';
import { openConfiguredDatabase, withDevSecret } from './bootstrap';
import { Client } from './clients/client.entity';
import { ConfigError, loadConfig, type Config } from './config';
import { startApp } from './http/app';
import { createLogger } from './logger';
import { Partner } from './partners/partner.entity';
import { DEMO_LOGIN, DEMO_PASSWORD, isEmpty, seedDemoData } from './seed/seed';
import type { MikroORM } from '@mikro-orm/postgresql';

async function demoTokens(config: Config, orm: MikroORM): Promise<Array<[string, string]>> {
  const em = orm.em.fork();
  const client = await em.findOne(Client, { login: DEMO_LOGIN });
  const partner = await em.findOne(Partner, {}, { orderBy: { createdAt: 'asc' } });
  const claims: TokenClaims[] = [
    ...(client ? [{ sub: client.id, role: 'client' as const }] : []),
    { sub: 'operator-1', role: 'operator' },
    { sub: 'dpo-1', role: 'dpo' },
    { sub: 'analyst-1', role: 'analyst' },
    ...(partner ? [{ sub: `partner-${partner.id}`, role: 'partner' as const, partner_id: partner.id, contract_id: partner.contractNumber, scope: 'pii:phone pii:order_contact' }] : []),
    { sub: 'authority-1', role: 'authority' },
  ];
  return Promise.all(claims.map(async (c) => [c.role, await signToken(config.jwt, c, 12 * 3600)] as [string, string]));
}

async function main(): Promise<void> {
  const config = withDevSecret(loadConfig());
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config, (line) => log.debug({ postgres: line.trim() }));
  const { orm } = database;
  if (config.env !== 'production' && (await isEmpty(orm.em.fork()))) {
    const seeded = await seedDemoData(orm.em.fork(), { count: config.demo.clients, seed: config.demo.seed });
    log.info({ clients: seeded.clients }, 'seeded demo data');
  }
  const app = await startApp({ config, orm, log });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(`\nkzpay-privacy-graph ready at ${app.url}`);
  if (config.env !== 'production') {
    console.log(`Demo login: ${DEMO_LOGIN} / ${DEMO_PASSWORD}. Tokens (12 h), paste as "Authorization: Bearer <token>":`);
    for (const [role, token] of await demoTokens(config, orm)) console.log(`  ${role.padEnd(9)} ${token}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Start-up failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
