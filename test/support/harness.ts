/** Test harness: a fresh database per test file on the run's PostgreSQL, and a real HTTP server. */
import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { signToken, type TokenClaims } from '../../src/auth/tokens';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase, type DatabaseOptions } from '../../src/db/orm';
import { startApp, type RunningApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import type { ReportedRedaction } from './redactions';
import type { SchemaOptions } from '../../src/graphql/schema';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

function serverUrl(): string {
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

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
    extensions?: { redactions?: ReportedRedaction[] } & Record<string, unknown>;
  };
}

export interface TestServer {
  readonly db: TestDatabase;
  readonly app: RunningApp;
  readonly config: Config;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  token(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

/** REQUEST_TIMEOUT_MS as the server sees it, for the pool's statement_timeout (src/bootstrap.ts does the same). */
export const requestTimeoutFor = (env: Record<string, string> = {}): number => testConfig(serverUrl(), env).limits.requestTimeoutMs;

export async function startTestServer(options: { env?: Record<string, string>; schema?: SchemaOptions } = {}): Promise<TestServer> {
  const db = await createTestDatabase({ requestTimeoutMs: requestTimeoutFor(options.env) });
  const config = testConfig(db.url, options.env);
  const app = await startApp({ config, orm: db.orm, log: createLogger(config.logLevel), port: 0, schema: options.schema });
  return {
    db,
    app,
    config,
    async gql<T>(query: string, variables?: Record<string, unknown>, token?: string | null, headers: Record<string, string> = {}) {
      const response = await fetch(app.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>['body'] };
    },
    token: (claims, ttlSeconds) => signToken(config.jwt, claims, ttlSeconds),
    async close() {
      await app.stop();
      await db.drop();
    },
  };
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): string[] {
  return (response.body.errors ?? []).map((e) => String(e.extensions?.code));
}
