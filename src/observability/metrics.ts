/**
 * Prometheus metrics (prom-client), one registry per running app. Every label value is drawn from
 * a closed set (schema names, error codes, policy vocabulary, job names): a caller's own text
 * (operation names, aliases, variables) and personal values never become a label.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ERROR_CODES } from '../errors';
import type { JobReport } from '../jobs/run-jobs';
import { PII_CATEGORIES } from '../privacy/categories';

/** Distinct operation labels kept per process; later ones are counted as `other`, so a caller cannot grow the series without bound. */
export const MAX_OPERATION_LABELS = 100;

/** GraphQL's and Apollo's own codes, besides ours: anything else is `OTHER`. */
const OUTCOMES = new Set<string>([
  'ok',
  ...ERROR_CODES,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'ABORTED',
]);
const CATEGORIES = new Set<string>(PII_CATEGORIES);
const ACCESS = new Set(['MASKED', 'HIDDEN']);
const REASONS = new Set(['ROLE', 'SCOPE', 'CONSENT', 'ERASED']);
const RECIPIENTS = new Set(['PARTNER', 'AUTHORITY', 'SUBJECT', 'OTHER']);

const within = (allowed: Set<string>, value: unknown, fallback = 'OTHER'): string =>
  typeof value === 'string' && allowed.has(value) ? value : fallback;

/** The fields of a redaction the metrics read: works with `{path: string}` and `{path: string[], count}` entries alike. */
export interface RedactionEntry {
  readonly category: string;
  readonly access: string;
  readonly reason: string;
  readonly count?: number;
}

export type DisclosureLogFailure = 'WRITE_FAILED' | 'DEADLINE' | 'GRANT_ENDED';
export type RateLimitKind = 'ip' | 'principal' | 'registration';

export interface Metrics {
  readonly registry: Registry;
  /** One /graphql request, answered or not; `operation` comes from operationLabel(), `outcome` is `ok` or an error code. */
  requestFinished(request: { operation: string | null; outcome: string; seconds: number }): void;
  redactions(entries: Iterable<RedactionEntry>): void;
  disclosuresLogged(entries: Iterable<{ readonly recipient: { readonly kind: string } }>): void;
  disclosureLogFailed(why: DisclosureLogFailure): void;
  rateLimited(kind: RateLimitKind): void;
  /** One run of the lifecycle jobs: its report, or null when the run failed as a whole. */
  jobRun(report: JobReport | null, seconds: number): void;
  /** Samples a pool's connections at each scrape. */
  observePool(name: 'requests' | 'jobs', orm: MikroORM): void;
}

/** knex's pool (tarn), as far as the gauges read it. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

function poolOf(orm: MikroORM): TarnPool | undefined {
  const knex = orm.em.getConnection().getKnex() as unknown as { client?: { pool?: TarnPool } };
  return knex.client?.pool;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers });
  const requests = counter('kzpay_graphql_requests_total', 'GraphQL requests by operation (root fields) and outcome (ok or the first error code)', ['operation', 'outcome']);
  const latency = new Histogram({
    name: 'kzpay_graphql_request_duration_seconds',
    help: 'GraphQL request latency, from the request head to the last byte of the answer',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const redactions = counter('kzpay_redactions_total', 'Values withheld from answers (extensions.redactions), by category, access and reason', ['category', 'access', 'reason']);
  const disclosures = counter('kzpay_disclosures_logged_total', 'Entries written to the disclosure log (P5), by recipient kind', ['recipient']);
  const logFailures = counter('kzpay_disclosure_log_failures_total', 'Answers withheld because the disclosure log could not be written', ['reason']);
  const refusals = counter('kzpay_rate_limit_refusals_total', 'Requests refused by a rate limit (RATE_LIMITED), by limit', ['limit']);
  const jobRuns = counter('kzpay_job_runs_total', 'Runs of the lifecycle jobs in this process, by outcome', ['outcome']);
  const jobResults = counter('kzpay_job_results_total', 'What the lifecycle jobs did, by result (the fields of the job report)', ['result']);
  const jobDuration = new Histogram({
    name: 'kzpay_job_run_duration_seconds',
    help: 'Duration of a run of the lifecycle jobs',
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers,
  });
  const lastSuccess = new Gauge({ name: 'kzpay_job_last_success_timestamp_seconds', help: 'When a run of the lifecycle jobs last completed (Unix time)', registers });

  const pools = new Map<string, MikroORM>();
  const poolGauge = (name: string, help: string, read: (pool: TarnPool) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'] as const,
      registers,
      collect() {
        this.reset();
        for (const [label, orm] of pools) {
          const pool = poolOf(orm);
          if (pool) this.set({ pool: label }, read(pool));
        }
      },
    });
  poolGauge('kzpay_db_pool_connections_used', 'Database connections lent out', (p) => p.numUsed());
  poolGauge('kzpay_db_pool_connections_free', 'Idle database connections in the pool', (p) => p.numFree());
  poolGauge('kzpay_db_pool_pending_acquires', 'Callers waiting for a database connection', (p) => p.numPendingAcquires());
  poolGauge('kzpay_db_pool_pending_creates', 'Database connections being opened', (p) => p.numPendingCreates());
  poolGauge('kzpay_db_pool_connections_max', 'The pool size limit', (p) => p.max);

  const operations = new Set<string>();
  const operationLabel = (operation: string | null): string => {
    if (operation === null) return 'unresolved';
    if (operations.has(operation)) return operation;
    if (operations.size >= MAX_OPERATION_LABELS) return 'other';
    operations.add(operation);
    return operation;
  };

  return {
    registry,
    requestFinished({ operation, outcome, seconds }) {
      const labels = { operation: operationLabel(operation), outcome: within(OUTCOMES, outcome) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    redactions(entries) {
      // A page can report a thousand redactions: one increment per label set, not per entry.
      const counts = new Map<string, { labels: { category: string; access: string; reason: string }; count: number }>();
      for (const entry of entries) {
        const labels = { category: within(CATEGORIES, entry.category), access: within(ACCESS, entry.access), reason: within(REASONS, entry.reason) };
        const key = `${labels.category} ${labels.access} ${labels.reason}`;
        const seen = counts.get(key);
        if (seen) seen.count += entry.count ?? 1;
        else counts.set(key, { labels, count: entry.count ?? 1 });
      }
      for (const { labels, count } of counts.values()) redactions.inc(labels, count);
    },
    disclosuresLogged(entries) {
      for (const entry of entries) disclosures.inc({ recipient: within(RECIPIENTS, entry.recipient.kind) });
    },
    disclosureLogFailed(why) {
      logFailures.inc({ reason: why });
    },
    rateLimited(kind) {
      refusals.inc({ limit: kind });
    },
    jobRun(report, seconds) {
      jobRuns.inc({ outcome: report === null ? 'failed' : report.failures > 0 ? 'partial' : 'ok' });
      jobDuration.observe(seconds);
      if (report === null) return;
      lastSuccess.set(Date.now() / 1000);
      for (const [result, count] of Object.entries(report)) jobResults.inc({ result }, count);
    },
    observePool(name, orm) {
      pools.set(name, orm);
    },
  };
}
