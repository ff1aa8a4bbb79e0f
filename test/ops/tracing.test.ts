/**
 * Tracing (OpenTelemetry): off unless the standard OTEL_* variables turn it on, and no span
 * carries a personal value or the caller's own text. The built server runs in a child process
 * with its spans kept by an in-memory exporter (behind the same scrubbing exporter as in
 * production), on the run's real PostgreSQL, and gets the canary traffic.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { signToken } from '../../src/auth/tokens';
import { scrubSpan, scrubSql } from '../../src/observability/trace-scrub';
import { tracingEnabled } from '../../src/observability/tracing-switch';
import { driveCanaryTraffic, type Traffic } from '../support/canary-traffic';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_JWT_SECRET, testConfig } from '../support/server';

jest.setTimeout(120_000);

interface SpanJson {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  scope: string;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes?: Record<string, unknown> }>;
  status: { code: number; message?: string };
}

describe('OTEL_* variables', () => {
  it('leave tracing off when none is set, and turn it on with an exporter or an OTLP endpoint', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
  });
});

describe('`node dist/src/main.js` (as `npm start` runs it)', () => {
  /** Starts the production server on a fresh database, asks one query, stops it with SIGTERM; its stdout. */
  async function runOnce(otel: Record<string, string>): Promise<string> {
    const db = await createTestDatabase();
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', JOBS_INTERVAL_SECONDS: '0', LOG_LEVEL: 'warn', ...otel };
    const server = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const ready = /ready at (http:\S+)/.exec(stdout);
          if (ready) resolve(ready[1]!);
        });
        server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stdout}`)));
      });
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(answer.status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
      await db.drop();
    }
    return stdout;
  }

  it('an exporter it does not offer: exits 1 with one line naming the variable', async () => {
    const server = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'src', 'main.js')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OTEL_TRACES_EXPORTER: 'zipkin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => server.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toBe('Invalid configuration:\n  - OTEL_TRACES_EXPORTER must be otlp, console or none\n');
  });

  it('traces nothing without OTEL_* variables, and exports spans with OTEL_TRACES_EXPORTER=console', async () => {
    expect(await runOnce({})).not.toMatch(/traceId/);
    const traced = await runOnce({ OTEL_TRACES_EXPORTER: 'console' });
    expect(traced).toMatch(/traceId/);
    expect(traced).toContain("'kzpay.graphql.operation': 'query __typename'");
    expect(traced).toContain("name: 'graphql.execute query'");
  });
});

describe('the scrubbing exporter', () => {
  it('takes every literal out of SQL, keeping placeholders and identifiers', () => {
    expect(scrubSql(`select "c"."id" from "client" as "c" where "c"."surname" = 'Нұрланов' and "c"."iin" = '870412300123' and x = $1 limit 20`))
      .toBe(`select "c"."id" from "client" as "c" where "c"."surname" = ? and "c"."iin" = ? and x = $1 limit ?`);
    expect(scrubSql(`insert into t (a) values (E'it''s', $$body$$, $tag$x$tag$, 12.5, -3, 1e3)`)).toBe('insert into t (a) values (?, ?, ?, ?, ?, ?)');
    expect(scrubSql(`set local lock_timeout = 5000`)).toBe('set local lock_timeout = ?');
    expect(scrubSql(`select x from t1 where "col2" = 'unterminated`)).toBe('select x from t1 where "col2" = ?');
  });

  it('drops unknown attributes, exception messages, status messages and free-text names', () => {
    const span = {
      name: 'query Ivanov',
      kind: 0,
      spanContext: () => ({ traceId: 't', spanId: 's', traceFlags: 1 }),
      startTime: [0, 0],
      endTime: [0, 1],
      status: { code: 2, message: 'invalid input syntax for type uuid: "Ivanov"' },
      attributes: { 'graphql.operation.type': 'query', 'graphql.operation.name': 'Ivanov', 'graphql.source': '{ x(s: "Ivanov") }', 'user_agent.original': 'Ivanov', 'http.route': '/Ivanov' },
      links: [{ context: { traceId: 't', spanId: 'l', traceFlags: 1 }, attributes: { a: 'Ivanov' } }],
      events: [{ name: 'exception', time: [0, 0], attributes: { 'exception.type': 'GraphQLError', 'exception.message': 'Ivanov', 'exception.stacktrace': 'Ivanov' } }, { name: 'Ivanov', time: [0, 0] }],
      duration: [0, 1],
      ended: true,
      resource: {},
      instrumentationScope: { name: '@opentelemetry/instrumentation-graphql' },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
    const scrubbed = scrubSpan(span as never);
    const { spanContext, resource, ...rest } = scrubbed;
    expect(JSON.stringify(rest)).not.toContain('Ivanov');
    expect(scrubbed.name).toBe('graphql.execute query');
    expect(scrubbed.attributes).toEqual({ 'graphql.operation.type': 'query', 'http.route': 'other' });
    expect(scrubbed.events).toEqual([{ name: 'exception', time: [0, 0], attributes: { 'exception.type': 'GraphQLError' } }, { name: 'event', time: [0, 0] }]);
    expect(scrubbed.status).toEqual({ code: 2 });
    expect(spanContext().spanId).toBe('s');
    expect(resource).toBe(span.resource);
  });
});

describe('traces of the real server with canary traffic', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let traffic: Traffic;
  let spans: SpanJson[];

  const message = <T>(pick: (m: any) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown) => {
        const value = pick(m);
        if (value === undefined) return;
        child.off('message', onMessage);
        resolve(value);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`traced server exited with ${code}`)));
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    child = fork(join(__dirname, '..', 'support', 'traced-server.js'), [], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await message((m) => m?.url as string | undefined);
    const jwt = testConfig(db.url).jwt;
    traffic = await driveCanaryTraffic({ url, em: () => db.orm.em.fork(), token: (claims) => signToken(jwt, claims) });
    child.send('spans');
    spans = await message((m) => m?.spans as SpanJson[] | undefined);
  });
  afterAll(async () => {
    if (child?.connected) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    }
    await db?.drop();
  });

  it('records HTTP, GraphQL and PostgreSQL spans, joined in one trace per request', () => {
    const scopes = new Set(spans.map((s) => s.scope));
    for (const scope of ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-graphql', '@opentelemetry/instrumentation-pg']) expect(scopes).toContain(scope);
    const server = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-http' && s.kind === 1);
    const clients = server.find((s) => s.attributes['kzpay.graphql.operation'] === 'query clients' && s.attributes['http.response.status_code'] === 200);
    expect(clients).toBeDefined();
    expect(clients!.attributes['http.route']).toBe('/graphql');
    const inTrace = spans.filter((s) => s.traceId === clients!.traceId);
    expect(inTrace.map((s) => s.name)).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graphql.execute query']));
    // The statement text, its literals replaced (MikroORM's execute() inlines parameters into the SQL it sends).
    const statements = inTrace.filter((s) => s.scope === '@opentelemetry/instrumentation-pg').map((s) => s.attributes['db.query.text'] ?? s.attributes['db.statement']);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.join('\n')).toMatch(/from client c/);
    expect(statements.join('\n')).toMatch(/limit \?/);
    // The path below /graphql is caller-chosen text: named `other`.
    expect(server.some((s) => s.attributes['http.route'] === 'other')).toBe(true);
    // Errors stay visible by their type.
    expect(spans.some((s) => s.events.some((e) => e.name === 'exception' && typeof e.attributes?.['exception.type'] === 'string'))).toBe(true);
  });

  it('no span name, attribute, event or status carries a personal value, a token or the caller-chosen text', () => {
    expect(spans.length).toBeGreaterThan(50);
    const text = JSON.stringify(spans).toLowerCase();
    expect(traffic.canaries.length).toBeGreaterThan(60);
    for (const canary of traffic.canaries) expect({ canary, found: text.includes(canary.toLowerCase()) }).toEqual({ canary, found: false });
    expect(text).not.toContain('bearer');
  });
});
