/** Databases on the run's PostgreSQL (started by globalSetup): a fresh one per test file, dropped after it. */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { openDatabase, type DatabaseOptions } from '../../src/db/orm';
import { createLogger } from '../../src/logger';

export function serverUrl(): string {
  const url = process.env.TEST_SERVER_URL;
  if (!url) throw new Error('TEST_SERVER_URL is not set: run the tests through jest (globalSetup starts PostgreSQL)');
  return url;
}

export async function adminQuery(sql: string): Promise<void> {
  const pg = new PgClient({ connectionString: serverUrl() });
  await pg.connect();
  try {
    await pg.query(sql);
  } finally {
    await pg.end();
  }
}

/**
 * An empty database on the run's PostgreSQL, for a spawned server or CLI to migrate itself;
 * every one made in a test file is dropped after it.
 */
export function useEmptyDatabases(prefix: string): () => Promise<string> {
  const names: string[] = [];
  afterAll(async () => {
    for (const name of names.splice(0)) await adminQuery(`drop database if exists ${name} with (force)`);
  });
  return async () => {
    const name = `${prefix}_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    names.push(name);
    const url = new URL(serverUrl());
    url.pathname = `/${name}`;
    return url.toString();
  };
}

export interface TestDatabase {
  readonly url: string;
  readonly orm: MikroORM;
  drop(): Promise<void>;
}

/** A new, migrated database; dropped by `drop()`. The driver's warnings go to a silent log unless given one. */
export async function createTestDatabase(options: DatabaseOptions & { pool?: { min: number; max: number } } = {}): Promise<TestDatabase> {
  const name = `kzpay_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const { pool, ...database } = options;
  const orm = await openDatabase(url.toString(), pool ? { pool } : {}, { log: createLogger('silent'), ...database });
  return {
    url: url.toString(),
    orm,
    drop: async () => {
      await orm.close(true);
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
