/**
 * /metrics: what it counts, where it is served, and that no label carries a personal value or a
 * caller's own text (canary traffic through the real server and PostgreSQL).
 */
import { buildApiSchema } from '../../src/graphql/schema';
import { DEFAULT_RETENTION } from '../../src/consent/retention';
import { loadConfig, ConfigError } from '../../src/config';
import { startJobScheduler } from '../../src/jobs/scheduler';
import { createLogger } from '../../src/logger';
import { createMetrics, MAX_OPERATION_LABELS } from '../../src/observability/metrics';
import { driveCanaryTraffic, type Traffic } from '../support/canary-traffic';
import { startTestServer, type TestServer } from '../support/server';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The Prometheus text format's samples (label values here never hold quotes or backslashes). */
function parseMetrics(text: string): Sample[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    return { name: match[1]!, labels, value: Number(match[3]) };
  });
}

const total = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

async function scrape(url: string): Promise<{ status: number; text: string; type: string | null }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

describe('/metrics with canary traffic', () => {
  let server: TestServer;
  let traffic: Traffic;
  let text: string;
  let samples: Sample[];

  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_PRINCIPAL: '40' } });
    traffic = await driveCanaryTraffic({ url: server.app.url, em: () => server.db.orm.em.fork(), token: (claims) => server.token(claims) });
    // The disclosure log refuses a write (a trigger raising, which no role bypasses): the partner's answer is withheld.
    const conn = server.db.orm.em.getConnection();
    await conn.execute(`create function refuse_log() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`);
    await conn.execute('create trigger refuse_log before insert on disclosure_log for each statement execute function refuse_log()');
    const dpo = await server.token({ sub: 'dpo-1', role: 'dpo' });
    const refused = await server.gql('query($id: ID!) { clientData(clientId: $id) { client { surname } } }', { id: traffic.canaryClients[0]!.client.id }, dpo);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toContain('DISCLOSURE_LOG_UNAVAILABLE');
    await conn.execute('drop trigger refuse_log on disclosure_log; drop function refuse_log()');
    // A caller over its budget.
    const analyst = await server.token({ sub: 'analyst-metrics', role: 'analyst' });
    for (let i = 0; i < 41; i++) await server.gql('{ __typename }', {}, analyst);
    // A run of the lifecycle jobs, counted by the scheduler.
    const stop = startJobScheduler(server.db.orm, createLogger('silent'), 60_000, DEFAULT_RETENTION, null, server.app.metrics);
    for (let i = 0; i < 100 && !(await server.app.metrics.registry.getSingleMetricAsString('kzpay_job_runs_total')).includes('outcome='); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await stop();
    const scraped = await scrape(server.app.url.replace(/\/graphql$/, '/metrics'));
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    text = scraped.text;
    samples = parseMetrics(text);
  });
  afterAll(() => server.close());

  it('the traffic ran through the failing paths too', () => {
    for (const code of ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'FORBIDDEN', 'UNAUTHENTICATED']) expect(traffic.codes).toContain(code);
  });

  it('no label and no line carries a personal value, a token or the caller-chosen text', () => {
    expect(traffic.canaries.length).toBeGreaterThan(60);
    const lower = text.toLowerCase();
    for (const canary of traffic.canaries) expect({ canary, found: lower.includes(canary.toLowerCase()) }).toEqual({ canary, found: false });
  });

  it('counts requests by operation (type and root fields, never the caller-chosen name) and outcome, with latency histograms', async () => {
    const schema = await buildApiSchema();
    const rootFields = new Set([...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields()), '__typename']);
    const requests = samples.filter((s) => s.name === 'kzpay_graphql_requests_total');
    for (const { labels } of requests) {
      if (labels.operation === 'unresolved' || labels.operation === 'other') continue;
      const [type, fields] = labels.operation!.split(' ');
      expect(['query', 'mutation']).toContain(type);
      for (const field of fields!.replace(/,…$/, '').split(',')) expect(rootFields).toContain(field);
    }
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'query clients', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'query partnerOrders', outcome: 'ok' })).toBe(1);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'query clients', outcome: 'BAD_USER_INPUT' })).toBe(1);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'query clients', outcome: 'FORBIDDEN' })).toBe(1);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'unresolved', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'unresolved', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'query clientData', outcome: 'DISCLOSURE_LOG_UNAVAILABLE' })).toBe(1);
    // Refused before the body was read (the per-principal limit): counted all the same.
    expect(total(samples, 'kzpay_graphql_requests_total', { outcome: 'RATE_LIMITED' })).toBe(1);
    const outcomes = new Set(requests.map((s) => s.labels.outcome));
    expect([...outcomes].every((o) => /^(ok|[A-Z_]+)$/.test(o!))).toBe(true);
    const counted = total(samples, 'kzpay_graphql_requests_total');
    expect(total(samples, 'kzpay_graphql_request_duration_seconds_count')).toBe(counted);
    expect(total(samples, 'kzpay_graphql_request_duration_seconds_bucket', { operation: 'query clients', outcome: 'ok', le: '+Inf' })).toBeGreaterThanOrEqual(2);
  });

  it('counts redactions by category, access and reason, as extensions.redactions reports them', () => {
    expect(total(samples, 'kzpay_redactions_total', { category: 'OFFICIAL_REQUISITES', access: 'MASKED', reason: 'ROLE' })).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'kzpay_redactions_total', { category: 'LOGIN', access: 'HIDDEN', reason: 'ROLE' })).toBeGreaterThanOrEqual(2);
    expect(total(samples, 'kzpay_redactions_total', { reason: 'CONSENT' })).toBeGreaterThan(0);
    expect(total(samples, 'kzpay_redactions_total', { reason: 'ERASED' })).toBeGreaterThan(0);
    expect(total(samples, 'kzpay_redactions_total', { reason: 'SCOPE' })).toBeGreaterThan(0);
  });

  it('counts disclosures logged, log failures and rate-limit refusals', () => {
    expect(total(samples, 'kzpay_disclosures_logged_total', { recipient: 'PARTNER' })).toBe(1);
    expect(total(samples, 'kzpay_disclosures_logged_total', { recipient: 'SUBJECT' })).toBe(1);
    expect(total(samples, 'kzpay_disclosure_log_failures_total', { reason: 'WRITE_FAILED' })).toBe(1);
    expect(total(samples, 'kzpay_rate_limit_refusals_total', { limit: 'principal' })).toBe(1);
  });

  it('counts job runs and their results', () => {
    expect(total(samples, 'kzpay_job_runs_total', { outcome: 'ok' })).toBe(1);
    expect(total(samples, 'kzpay_job_run_duration_seconds_count')).toBe(1);
    const results = samples.filter((s) => s.name === 'kzpay_job_results_total').map((s) => s.labels.result);
    expect(results).toEqual(expect.arrayContaining(['withdrawalsApplied', 'consentsExpired', 'clientsDepersonalised', 'failures']));
    expect(total(samples, 'kzpay_job_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
  });

  it("samples the request pool's connections at each scrape", () => {
    expect(total(samples, 'kzpay_db_pool_connections_max', { pool: 'requests' })).toBe(10);
    expect(samples.some((s) => s.name === 'kzpay_db_pool_connections_used' && s.labels.pool === 'requests')).toBe(true);
    expect(total(samples, 'kzpay_db_pool_connections_free', { pool: 'requests' })).toBeGreaterThan(0);
  });
});

describe('operation labels', () => {
  it(`keep at most ${MAX_OPERATION_LABELS} distinct values; later ones count as "other"`, async () => {
    const metrics = createMetrics();
    for (let i = 0; i < MAX_OPERATION_LABELS + 5; i++) metrics.requestFinished({ operation: `query f${i}`, outcome: 'ok', seconds: 0.01 });
    metrics.requestFinished({ operation: 'query f0', outcome: 'ok', seconds: 0.01 });
    const samples = parseMetrics(await metrics.registry.metrics());
    const labels = new Set(samples.filter((s) => s.name === 'kzpay_graphql_requests_total').map((s) => s.labels.operation));
    expect(labels.size).toBe(MAX_OPERATION_LABELS + 1);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'other' })).toBe(5);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'query f0' })).toBe(2);
  });

  it('outcomes and redaction labels outside their closed sets read OTHER', async () => {
    const metrics = createMetrics();
    metrics.requestFinished({ operation: null, outcome: 'Zsomething', seconds: 0 });
    metrics.redactions([{ category: 'Zcategory', access: 'Zaccess', reason: 'Zreason', count: 3 }, { category: 'PHONE', access: 'MASKED', reason: 'ROLE' }]);
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/Z(something|category|access|reason)/);
    const samples = parseMetrics(text);
    expect(total(samples, 'kzpay_graphql_requests_total', { operation: 'unresolved', outcome: 'OTHER' })).toBe(1);
    expect(total(samples, 'kzpay_redactions_total', { category: 'OTHER', access: 'OTHER', reason: 'OTHER' })).toBe(3);
    expect(total(samples, 'kzpay_redactions_total', { category: 'PHONE', access: 'MASKED', reason: 'ROLE' })).toBe(1);
  });
});

describe('where /metrics is served', () => {
  const metricsOn = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');

  it('in production without METRICS_PORT: nowhere, not on the public port', async () => {
    const server = await startTestServer({ env: { NODE_ENV: 'production' } });
    try {
      expect(server.app.metricsUrl).toBeNull();
      expect((await scrape(metricsOn(server.app.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('with METRICS_PORT: on that listener only, in production too', async () => {
    const server = await startTestServer({ env: { NODE_ENV: 'production', METRICS_PORT: '0' } });
    try {
      expect(server.app.metricsUrl).not.toBeNull();
      expect(new URL(server.app.metricsUrl!).port).not.toBe(new URL(server.app.url).port);
      await server.gql('{ __typename }');
      const scraped = await scrape(server.app.metricsUrl!);
      expect(scraped.status).toBe(200);
      expect(total(parseMetrics(scraped.text), 'kzpay_graphql_requests_total', { operation: 'query __typename' })).toBe(1);
      expect((await scrape(metricsOn(server.app.url))).status).toBe(404);
      expect((await fetch(server.app.metricsUrl!.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('METRICS_PORT must not be the public port', () => {
    expect(() => loadConfig({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '4000', METRICS_PORT: 'x' })).toThrow(/METRICS_PORT must be an integer/);
    expect(loadConfig({ PORT: '4000', METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({}).metricsPort).toBeNull();
  });
});
