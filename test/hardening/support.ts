/** Servers for the hardening tests: the harness's, plus a captured log and raw HTTP access. */
import type { Logger } from 'pino';
import { Writable } from 'node:stream';
import { signToken, type TokenClaims } from '../../src/auth/tokens';
import type { Config } from '../../src/config';
import { startApp, type RunningApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import type { SchemaOptions } from '../../src/graphql/schema';
import { createTestDatabase, requestTimeoutFor, testConfig, type GraphQLResponse, type TestDatabase } from '../support/harness';

/** Every log line the server writes, as text, at the given level. */
export function captureLog(level = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: GraphQLResponse['body'] | null;
}

export interface HardenedServer {
  readonly app: RunningApp;
  readonly config: Config;
  readonly db: TestDatabase;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  /** POSTs `body` as given (a string is sent verbatim). */
  raw(body: unknown, headers?: Record<string, string>, init?: RequestInit): Promise<RawResponse>;
  token(claims: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

export async function startHardenedServer(
  options: { env?: Record<string, string>; log?: Logger; db?: TestDatabase; schema?: SchemaOptions } = {},
): Promise<HardenedServer> {
  const db = options.db ?? (await createTestDatabase({ requestTimeoutMs: requestTimeoutFor(options.env), ...(options.log ? { log: options.log } : {}) }));
  const config = testConfig(db.url, options.env);
  const app = await startApp({ config, orm: db.orm, log: options.log ?? createLogger('silent'), port: 0, schema: options.schema });
  const raw = async (body: unknown, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<RawResponse> => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
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
    app,
    config,
    db,
    async gql<T>(query: string, variables?: Record<string, unknown>, token?: string | null) {
      const response = await raw({ query, variables }, token ? { authorization: `Bearer ${token}` } : {});
      return { status: response.status, headers: response.headers, body: response.json as GraphQLResponse<T>['body'] };
    },
    raw,
    token: (claims) => signToken(config.jwt, claims),
    async close() {
      await app.stop();
      if (!options.db) await db.drop();
    },
  };
}

export const errorCodes = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> } | null): string[] =>
  (body?.errors ?? []).map((e) => String(e.extensions?.code));
