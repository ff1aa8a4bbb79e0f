/** Database start-up shared by the server, the CLIs and the benchmark. */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from './config';
import { startEmbeddedPostgres } from './db/embedded-postgres';
import { openDatabase, type DatabaseOptions } from './db/orm';
import { PROJECT_ROOT } from './paths';

export interface Database {
  readonly url: string;
  readonly orm: MikroORM;
  close(): Promise<void>;
}

export function dataDir(config: Config): string {
  return resolve(PROJECT_ROOT, config.dataDir);
}

/**
 * Outside production, a missing JWT_SECRET is generated once and kept in the data folder, so
 * tokens printed at start keep working after a restart.
 */
export function withDevSecret(config: Config): Config {
  if (config.jwt.secret || config.env === 'production') return config;
  const file = join(dataDir(config), 'dev-jwt-secret');
  mkdirSync(dataDir(config), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return { ...config, jwt: { ...config.jwt, secret: readFileSync(file, 'utf8').trim() } };
}

export async function openConfiguredDatabase(config: Config, onLog?: (line: string) => void, database: DatabaseOptions = {}): Promise<Database> {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: join(dataDir(config), 'pg'), persistent: true, onLog });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const orm = await openDatabase(url, {}, { ...database, migrationUrl: config.migrationDatabaseUrl });
    return {
      url,
      orm,
      close: async () => {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
