/** Database start-up shared by the server, the CLIs and the benchmark. */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from './config';
import { describeHolder, runningCluster, startEmbeddedPostgres } from './db/embedded-postgres';
import { StartupError } from './startup-error';
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

/** Who is opening the database: named in the messages of any other command that finds the cluster busy. */
export interface Opener {
  /** As a person types it: `npm start`, `npm run jobs`. */
  readonly command: string;
  /**
   * A CLI uses the embedded cluster that a running server (or another CLI) already runs on
   * DATA_DIR. A server never shares one: it would lose its database when the other stops it.
   */
  readonly share: boolean;
}

/** A database URL and what to do when done with it (stop the embedded cluster started for it, if any). */
export interface LocatedDatabase {
  readonly url: string;
  release(): Promise<void>;
}

/** DATABASE_URL, else the embedded cluster in DATA_DIR: the running one for a CLI, or one started here. */
export async function locateDatabase(config: Config, opener: Opener, onLog?: (line: string) => void): Promise<LocatedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, release: async () => undefined };
  const clusterDir = join(dataDir(config), 'pg');
  const recordFile = join(dataDir(config), 'embedded-postgres.json');
  const running = runningCluster(clusterDir, recordFile);
  if (running && opener.share && running.record) return { url: running.record.url, release: async () => undefined };
  if (running) {
    throw new StartupError(
      opener.share
        ? `${describeHolder(running, clusterDir)}, and it has no connection record to use; stop it, or set DATABASE_URL`
        : `${describeHolder(running, clusterDir)}; stop it first, or give \`${opener.command}\` its own DATA_DIR (and PORT)`,
    );
  }
  const embedded = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: true, onLog, record: { file: recordFile, command: opener.command } });
  return { url: embedded.url, release: () => embedded.stop() };
}

export async function openConfiguredDatabase(config: Config, opener: Opener, onLog?: (line: string) => void, database: DatabaseOptions = {}): Promise<Database> {
  const located = await locateDatabase(config, opener, onLog);
  try {
    const orm = await openDatabase(located.url, {}, { ...database, migrationUrl: config.migrationDatabaseUrl });
    return {
      url: located.url,
      orm,
      close: async () => {
        await orm.close(true);
        await located.release();
      },
    };
  } catch (error) {
    await located.release();
    throw error;
  }
}
