/** A real HTTP server on a fresh database, its configuration as the tests run it, and raw access to it. */
import 'reflect-metadata';
import type { Logger } from 'pino';
import type { PasswordHashing } from '../../src/auth/password';
import { signToken, type TokenClaims } from '../../src/auth/tokens';
import { loadConfig, type Config } from '../../src/config';
import { startApp, type RunningApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import type { SchemaOptions } from '../../src/graphql/schema';
import { createTestDatabase, serverUrl, type TestDatabase } from './database';
import type { ReportedRedaction } from './redactions';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** argon2id at its cheapest: tests hash many passwords, and the cost is not what they test. Accepted only with NODE_ENV=test. */
export const TEST_PASSWORD_HASHING: PasswordHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const TEST_HASHING_ENV = {
  ARGON2_MEMORY_KIB: String(TEST_PASSWORD_HASHING.memoryCost),
  ARGON2_TIME_COST: String(TEST_PASSWORD_HASHING.timeCost),
  ARGON2_PARALLELISM: String(TEST_PASSWORD_HASHING.parallelism),
};

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // A production configuration refuses the test cost, as it must.
    ...(env.NODE_ENV === undefined || env.NODE_ENV === 'test' ? TEST_HASHING_ENV : {}),
    // A test file registers many clients from one address in a minute; the budget's own tests set it.
    RATE_LIMIT_REGISTRATIONS_PER_IP: '0',
    ...env,
  });
}

/** REQUEST_TIMEOUT_MS as the server sees it, for the pool's statement_timeout (src/bootstrap.ts does the same). */
export const requestTimeoutFor = (env: Record<string, string> = {}): number => testConfig(serverUrl(), env).limits.requestTimeoutMs;

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
    extensions?: { redactions?: ReportedRedaction[] } & Record<string, unknown>;
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed, or null where it is not JSON. */
  json: GraphQLResponse['body'] | null;
}

export interface ServerOptions {
  readonly env?: Record<string, string>;
  readonly schema?: SchemaOptions;
  /** The server's (and the database driver's) log; by default at the configured level. */
  readonly log?: Logger;
  /** A database to serve from, left in place on close; by default a new one, dropped on close. */
  readonly db?: TestDatabase;
}

export interface TestServer {
  readonly db: TestDatabase;
  readonly app: RunningApp;
  readonly config: Config;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** POSTs `body` as given (a string or bytes are sent verbatim). */
  raw(body: unknown, headers?: Record<string, string>, init?: RequestInit): Promise<RawResponse>;
  token(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase({ requestTimeoutMs: requestTimeoutFor(options.env), ...(options.log ? { log: options.log } : {}) }));
  const config = testConfig(db.url, options.env);
  const app = await startApp({ config, orm: db.orm, log: options.log ?? createLogger(config.logLevel), port: 0, schema: options.schema });
  const post = async (body: unknown, headers: Record<string, string>, init: RequestInit = {}): Promise<RawResponse> => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      ...init,
    });
    const text = await response.text();
    let json: RawResponse['json'] = null;
    try {
      json = JSON.parse(text) as RawResponse['json'];
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    db,
    app,
    config,
    async gql<T>(query: string, variables?: Record<string, unknown>, token?: string | null, headers: Record<string, string> = {}) {
      const response = await post({ query, variables }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });
      return { status: response.status, headers: response.headers, body: response.json as GraphQLResponse<T>['body'] };
    },
    raw: (body, headers = {}, init = {}) => post(body, headers, { signal: AbortSignal.timeout(15_000), ...init }),
    token: (claims, ttlSeconds) => signToken(config.jwt, claims, ttlSeconds),
    async close() {
      await app.stop();
      if (!options.db) await db.drop();
    },
  };
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): string[] {
  return (response.body.errors ?? []).map((e) => String(e.extensions?.code));
}

/** A cursor refused as `after`: BAD_USER_INPUT on that field; given the cursor, also never echoed and no data. */
export function expectCursorRefused(response: GraphQLResponse, cursor?: string): void {
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  expect(response.body.errors![0]!.extensions!.field).toBe('after');
  if (cursor === undefined) return;
  expect(response.body.errors![0]!.message).not.toContain(cursor);
  expect(response.body.data).toBeNull();
}

/** A Relay connection's page, as the tests read it. */
export interface RelayPage<Node> {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: Node }>;
}

/** Every page of the connection at `field` from the start, `first` at a time, each checked against Relay's PageInfo rules. */
export async function walkPages<Node>(
  gql: TestServer['gql'],
  request: { query: string; field: string; token: string; variables?: Record<string, unknown> },
  first: number,
): Promise<Array<RelayPage<Node>>> {
  const pages: Array<RelayPage<Node>> = [];
  let after: string | null = null;
  for (let n = 0; n < 50; n++) {
    const response: GraphQLResponse = await gql(request.query, { ...request.variables, first, after }, request.token);
    expect(response.body.errors).toBeUndefined();
    const page = response.body.data![request.field] as RelayPage<Node>;
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

/** The error codes of a response body (null where the body was not JSON), in order. */
export const errorCodes = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> } | null): string[] =>
  (body?.errors ?? []).map((e) => String(e.extensions?.code));
