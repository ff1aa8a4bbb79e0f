/**
 * `npm run bench [-- --duration 10 --connections 10 --rounds 3 --shape-duration 5 --profile 10 --soak 60 --only partner]`:
 * embedded PostgreSQL seeded with 10,000 clients, each server in its own process, autocannon
 * against six scenarios side by side; then the three shapes of issue 9 (operator with masking on,
 * enforcement off, and the floor, in interleaved rounds); a CPU profile of the first shape's server
 * summarised by package; then an RSS soak. Prints tables and the ratios with their targets, and
 * writes bench/results.json. See docs/bench.md.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client as PgClient } from 'pg';
import { signToken } from '../src/auth/tokens';
import { parseCliOrExit, type CliSpec } from '../src/cli/cli';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres, temporaryDataDir } from '../src/db/embedded-postgres';
import { openDatabase } from '../src/db/orm';
import { createLogger } from '../src/logger';
import { PROJECT_ROOT } from '../src/paths';
import { DEMO_LOGIN, DEMO_PASSWORD, seedDemoData } from '../src/seed/seed';
import type { ChildReady, ChildStats } from './child';
import { formatSummary, summariseProfile, type CpuProfile, type ProfileSummary } from './profile-summary';
import { ME, OPERATOR_LIST, PARTNER_ORDERS, SHAPE_BY_ID, SHAPE_LIST } from './queries';

const CLIENTS = 10_000;
const WARMUP_SECONDS = 2;

const BENCH_CLI = {
  command: 'npm run bench',
  usage: `
Usage: npm run bench [-- --duration <s>] [--connections <n>] [--soak <s>]

Seeds an embedded PostgreSQL with 10,000 clients, runs each server in its own process and loads it
with autocannon: six scenarios side by side, then an RSS soak. Writes bench/results.json.

  --duration <s>     seconds per scenario after a 2 s warm-up (default 10)
  --connections <n>  concurrent connections (default 10)
  --soak <s>         seconds of the RSS soak (default 60)
  --rounds <n>       interleaved rounds of the shapes and of the partner query (default 3, at least 3)
  --shape-duration <s>  seconds per round (default 5)
  --profile <s>      seconds of load on the profiled server (default 10; 0 skips the profile)
  --only partner     only the partner query, logged and enforcement off, in interleaved rounds,
                     and the profile of the logged one (bench/results-partner.json)
  -h, --help         this text
`,
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    soak: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    'shape-duration': { type: 'string', default: '5' },
    profile: { type: 'string', default: '10' },
    only: { type: 'string' },
  },
} as const satisfies CliSpec;

const { values: args } = parseCliOrExit(BENCH_CLI);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const SOAK_SECONDS = Number(args.soak);
/** Interleaved rounds of the shapes (a, b, c, a, b, c, …); each figure is the median of its rounds. */
const ROUNDS = Number(args.rounds);
const SHAPE_SECONDS = Number(args['shape-duration']);
/** Seconds of load on the profiled server; 0 skips the profile. */
const PROFILE_SECONDS = Number(args.profile);
if (args.only !== undefined && args.only !== 'partner') throw new Error('--only takes one value: partner');
/** `--only partner`: the partner query's interleaved rounds and its profile, nothing else. */
const PARTNER_ONLY = args.only === 'partner';
for (const [name, value, min] of [['duration', DURATION, 1], ['connections', CONNECTIONS, 1], ['soak', SOAK_SECONDS, 0], ['rounds', ROUNDS, 3], ['shape-duration', SHAPE_SECONDS, 1], ['profile', PROFILE_SECONDS, 0]] as const) {
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number, at least ${min}`);
}

interface Target {
  readonly name: string;
  readonly process: ChildProcess;
  readonly ready: ChildReady;
}

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly target: Target;
  /** A GraphQL request, or null for the floor's plain GET of `floorPath`. */
  readonly graphql: { query: string; variables: Record<string, unknown>; token: string } | null;
  readonly floorPath?: string;
}

interface Measured {
  readonly id: string;
  readonly title: string;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly peakRssMb: number;
  readonly statementsPerRequest: number;
  /** The statements of each of the sequential requests that give `statementsPerRequest`. */
  readonly statementsPerRun: number[];
  readonly responseBytes: number;
  /** Entries in `extensions.redactions`: one per masked or hidden value. */
  readonly redactions: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

function spawnChild(name: string, script: string, env: Record<string, string>, execArgv: string[] = []): Promise<Target> {
  const child = fork(join(__dirname, script), [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, '--expose-gc', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (ready: ChildReady) => resolve({ name, process: child, ready }));
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
  });
}

async function stats(target: Target, reset = false, collect = false): Promise<ChildStats> {
  const response = await fetch(`${target.ready.statsUrl}${collect ? '?gc=1' : ''}`, { method: reset ? 'POST' : 'GET' });
  return (await response.json()) as ChildStats;
}

function request(scenario: Scenario): { url: string; method: string; headers: Record<string, string>; body?: string } {
  if (!scenario.graphql) return { url: `${scenario.target.ready.url}${scenario.floorPath ?? ''}`, method: 'GET', headers: {} };
  const { query, variables, token } = scenario.graphql;
  return {
    url: scenario.target.ready.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  };
}

interface Answer {
  data?: unknown;
  errors?: Array<{ extensions?: { code?: string } }>;
  extensions?: { redactions?: unknown[] };
}

/** One request first: a scenario that answers errors would measure nothing worth printing. */
async function check(scenario: Scenario): Promise<{ responseBytes: number; redactions: number; json: Answer }> {
  const { url, method, headers, body } = request(scenario);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const json = JSON.parse(text) as Answer;
  if (response.status !== 200 || json.errors) {
    throw new Error(`scenario ${scenario.id} answers ${response.status} ${JSON.stringify(json.errors?.map((e) => e.extensions?.code))}`);
  }
  return { responseBytes: Buffer.byteLength(text), redactions: json.extensions?.redactions?.length ?? 0, json };
}

/** Waits until the server has sent no statement for 300 ms: the previous load's stragglers are done. */
async function settle(target: Target): Promise<void> {
  let last = (await stats(target)).statements;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = (await stats(target)).statements;
    if (now === last) return;
    last = now;
  }
}

/**
 * Statements per request, exactly: sequential requests on a quiet server, each counted on its
 * own, so that a figure that is not a whole number shows which request differed.
 */
async function statementsPerRequest(scenario: Scenario, runs = 5): Promise<{ mean: number; perRun: number[] }> {
  const { url, method, headers, body } = request(scenario);
  await settle(scenario.target);
  const perRun: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = (await stats(scenario.target)).statements;
    await (await fetch(url, { method, headers, body })).arrayBuffer();
    perRun.push((await stats(scenario.target)).statements - before);
  }
  return { mean: Math.round((perRun.reduce((a, b) => a + b, 0) / runs) * 100) / 100, perRun };
}

interface Load {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly peakRssMb: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** One run of load on a quiet server. */
async function load(scenario: Scenario, seconds: number): Promise<Load> {
  await settle(scenario.target);
  await stats(scenario.target, true);
  const result = await autocannon({ ...request(scenario), connections: CONNECTIONS, duration: seconds });
  const after = await stats(scenario.target);
  return {
    // Requests completed over the run's duration: a per-second average rounds a slow scenario's short run to 0.
    requestsPerSecond: Math.round((result.requests.total / result.duration) * 10) / 10,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    peakRssMb: Math.round((after.peakRssBytes / 2 ** 20) * 10) / 10,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const warmUp = (scenario: Scenario) => autocannon({ ...request(scenario), connections: CONNECTIONS, duration: WARMUP_SECONDS });

async function measure(scenario: Scenario, seconds = DURATION): Promise<Measured> {
  const { responseBytes, redactions } = await check(scenario);
  const statements = await statementsPerRequest(scenario);
  await settle(scenario.target);
  await warmUp(scenario);
  const measured: Measured = {
    id: scenario.id,
    title: scenario.title,
    ...(await load(scenario, seconds)),
    statementsPerRequest: statements.mean,
    statementsPerRun: statements.perRun,
    responseBytes,
    redactions,
  };
  console.log(
    `  ${scenario.id.padEnd(14)} ${String(measured.requestsPerSecond).padStart(8)} req/s  p50 ${String(measured.latencyP50Ms).padStart(4)} ms  ` +
      `p99 ${String(measured.latencyP99Ms).padStart(4)} ms  peak RSS ${String(measured.peakRssMb).padStart(6)} MB  SQL/req ${measured.statementsPerRequest}` +
      `${new Set(statements.perRun).size > 1 ? ` (${statements.perRun.join(', ')})` : ''}  ` +
      `${Math.round(responseBytes / 1024)} KiB, ${redactions} redactions` +
      (measured.non2xx + measured.errors > 0 ? `  (non-2xx ${measured.non2xx}, errors ${measured.errors})` : ''),
  );
  return measured;
}

type Variant = 'on' | 'off' | 'stack' | 'floor';

interface ShapeSpec {
  readonly id: 'list100' | 'list10' | 'byId' | 'partner';
  readonly title: string;
  /** One Scenario per variant, in the order each round runs them. */
  readonly variants: ReadonlyArray<{ readonly variant: Variant; readonly scenario: Scenario }>;
}

interface ShapeVariantResult {
  readonly shape: ShapeSpec['id'];
  readonly variant: Variant;
  readonly title: string;
  /** Median over the rounds. */
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly rounds: Load[];
  readonly statementsPerRequest: number;
  readonly statementsPerRun: number[];
  readonly responseBytes: number;
  readonly redactions: number;
  readonly clients: number;
  readonly orders: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 10) / 10;
};

/** The clients a shape's answer carries, whether GraphQL's (`clients.edges[].node` or `client`) or the floor's rows. */
function clientsOf(json: Answer): Array<Record<string, unknown> & { orders?: unknown[] }> {
  const data = json.data as any;
  if (Array.isArray(data)) return data;
  if (data && 'clients' in data) return data.clients.edges.map((edge: { node: unknown }) => edge.node);
  if (data && 'client' in data) return data.client ? [data.client] : [];
  return data ? [data] : [];
}

/**
 * Each variant answers once, without errors; the variants must carry the same clients and orders,
 * and with enforcement off the API must answer exactly the floor's rows (values included), so that
 * every figure measures the same rows.
 */
async function checkShape(shape: ShapeSpec): Promise<Map<Variant, { responseBytes: number; redactions: number; clients: number; orders: number }>> {
  const checked = new Map<Variant, { responseBytes: number; redactions: number; clients: number; orders: number }>();
  const rows = new Map<Variant, ReturnType<typeof clientsOf>>();
  for (const { variant, scenario } of shape.variants) {
    const { responseBytes, redactions, json } = await check(scenario);
    const clients = clientsOf(json);
    rows.set(variant, clients);
    checked.set(variant, { responseBytes, redactions, clients: clients.length, orders: clients.reduce((n, c) => n + (c.orders?.length ?? 0), 0) });
  }
  const counts = new Set([...checked.values()].map((c) => `${c.clients}/${c.orders}`));
  if (counts.size !== 1 || checked.get('on')!.clients === 0) throw new Error(`shape ${shape.id}: the variants do not return the same rows (clients/orders: ${[...counts].join(', ')})`);
  if (!isDeepStrictEqual(rows.get('off'), rows.get('floor'))) throw new Error(`shape ${shape.id}: the floor's rows differ from the API's with enforcement off`);
  if (!isDeepStrictEqual(rows.get('stack'), rows.get('floor'))) throw new Error(`shape ${shape.id}: the bare stack's rows differ from the floor's`);
  return checked;
}

/** The partner query, logged and enforcement off: each answers once, without errors, with the same orders. */
async function checkPartner(shape: ShapeSpec): Promise<Awaited<ReturnType<typeof checkShape>>> {
  const checked: Awaited<ReturnType<typeof checkShape>> = new Map();
  for (const { variant, scenario } of shape.variants) {
    const { responseBytes, redactions, json } = await check(scenario);
    const orders: Array<{ client: { id: string } | null }> = (json.data as any).partnerOrders.edges.map((edge: { node: unknown }) => edge.node);
    checked.set(variant, { responseBytes, redactions, clients: new Set(orders.map((o) => o.client?.id)).size, orders: orders.length });
  }
  const counts = new Set([...checked.values()].map((c) => c.orders));
  if (counts.size !== 1 || checked.get('on')!.orders === 0) throw new Error(`partner: the variants do not return the same orders (${[...counts].join(', ')})`);
  return checked;
}

/** Interleaved rounds: every variant once per round, in turn, so that a slow spell of the machine falls on all of them. */
async function measureShape(shape: ShapeSpec, checked: Awaited<ReturnType<typeof checkShape>>): Promise<ShapeVariantResult[]> {
  const statements = new Map<Variant, { mean: number; perRun: number[] }>();
  for (const { variant, scenario } of shape.variants) statements.set(variant, await statementsPerRequest(scenario));
  for (const { scenario } of shape.variants) {
    await settle(scenario.target);
    await warmUp(scenario);
  }
  const rounds = new Map<Variant, Load[]>(shape.variants.map(({ variant }) => [variant, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { variant, scenario } of shape.variants) rounds.get(variant)!.push(await load(scenario, SHAPE_SECONDS));
    console.log(`  ${shape.id.padEnd(8)} round ${round}: ${shape.variants.map(({ variant }) => `${variant} ${rounds.get(variant)!.at(-1)!.requestsPerSecond}`).join(', ')} req/s`);
  }
  return shape.variants.map(({ variant, scenario }) => {
    const runs = rounds.get(variant)!;
    const check = checked.get(variant)!;
    return {
      shape: shape.id,
      variant,
      title: scenario.title,
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      latencyP50Ms: median(runs.map((r) => r.latencyP50Ms)),
      latencyP99Ms: median(runs.map((r) => r.latencyP99Ms)),
      rounds: runs,
      statementsPerRequest: statements.get(variant)!.mean,
      statementsPerRun: statements.get(variant)!.perRun,
      ...check,
    };
  });
}

function printShapeResult(r: ShapeVariantResult): void {
  console.log(
    `  ${`${r.shape} ${r.variant}`.padEnd(14)} ${String(r.requestsPerSecond).padStart(8)} req/s  p50 ${String(r.latencyP50Ms).padStart(4)} ms  p99 ${String(r.latencyP99Ms).padStart(4)} ms  ` +
      `SQL/req ${r.statementsPerRequest}${new Set(r.statementsPerRun).size > 1 ? ` (${r.statementsPerRun.join(', ')})` : ''}  ` +
      `${Math.round(r.responseBytes / 1024)} KiB, ${r.clients} clients, ${r.orders} orders, ${r.redactions} redactions  (rounds ${r.rounds.map((x) => x.requestsPerSecond).join(', ')})`,
  );
}

interface Profiled {
  readonly file: string;
  readonly seconds: number;
  readonly summary: ProfileSummary;
}

/**
 * A scenario's server (enforcement on) in a process of its own under `node --cpu-prof`, loaded
 * alone; the summary keeps only the samples of the measured window (start-up and warm-up out).
 */
async function profileShape(id: string, scenarioOf: (target: Target) => Scenario, env: Record<string, string>): Promise<Profiled> {
  const dir = join(PROJECT_ROOT, 'bench', 'profile');
  const name = `${id}.cpuprofile`;
  rmSync(join(dir, name), { force: true });
  mkdirSync(dir, { recursive: true });
  const target = await spawnChild('api-profiled', 'server.js', env, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`]);
  const exited = new Promise((resolve) => target.process.once('exit', resolve));
  try {
    const scenario = scenarioOf(target);
    await check(scenario);
    await warmUp(scenario);
    await settle(target);
    const fromUs = (await stats(target)).monotonicUs;
    await autocannon({ ...request(scenario), connections: CONNECTIONS, duration: PROFILE_SECONDS });
    const toUs = (await stats(target)).monotonicUs;
    target.process.kill('SIGTERM');
    await exited;
    const file = join(dir, name);
    const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { window: { fromUs, toUs } });
    return { file: relative(PROJECT_ROOT, file), seconds: PROFILE_SECONDS, summary };
  } finally {
    target.process.kill('SIGTERM');
  }
}

/** Issue 9's targets, printed next to each ratio. */
const TARGETS = {
  list100_vs_floor: { atLeast: 0.6 },
  list10_vs_floor: { atLeast: 0.7 },
  byId_vs_floor: { atLeast: 0.55 },
  list100_on_vs_off: { atLeast: 0.9 },
  list10_on_vs_off: { atLeast: 0.9 },
  byId_on_vs_off: { atLeast: 0.9 },
  partner_on_vs_off: { atLeast: 0.8 },
  gc_share_list100: { atMost: 0.1 },
} as const;
type RatioKey = keyof typeof TARGETS;

interface Soak {
  readonly seconds: number;
  readonly samplesMb: number[];
  /** Least-squares slope of RSS against time over the samples after warm-up, in MB per minute. */
  readonly slopeMbPerMinute: number;
  readonly flat: boolean;
  /** V8 heap after a full collection, every HEAP_SAMPLE_SECONDS: what the process retains. */
  readonly heapAfterGcMb: number[];
  readonly heapSlopeMbPerMinute: number;
}

const SOAK_SAMPLE_SECONDS = 2;
/** Rarer than the RSS samples: a forced collection pauses the server, and would flatten RSS itself. */
const HEAP_SAMPLE_SECONDS = 10;
const SOAK_WARMUP_SAMPLES = 5;
/** Flat: RSS grows by less than this over a minute of sustained load (a leak of 300 MB an hour). */
const FLAT_SLOPE_MB_PER_MINUTE = 5;

/** Least-squares slope of `ys` sampled every `stepSeconds`, per minute. */
function slopePerMinute(ys: number[], stepSeconds: number): number {
  const n = ys.length;
  if (n < 2) return 0;
  const xs = ys.map((_, i) => (i * stepSeconds) / 60);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxy / sxx;
}

/** RSS of the enforcing server every 2 s, and its heap after a collection every 10 s, through a scenario-1 run. */
async function soak(scenario: Scenario): Promise<Soak> {
  await check(scenario);
  const samples: number[] = [];
  const heap: number[] = [];
  const pending: Array<Promise<void>> = [];
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  let tick = 0;
  const sampler = setInterval(() => {
    tick += 1;
    const collect = (tick * SOAK_SAMPLE_SECONDS) % HEAP_SAMPLE_SECONDS === 0;
    pending.push(
      stats(scenario.target, false, collect).then((s) => {
        samples.push(mb(s.rssBytes));
        if (collect) heap.push(mb(s.heapUsedBytes));
      }),
    );
  }, SOAK_SAMPLE_SECONDS * 1000);
  await autocannon({ ...request(scenario), connections: CONNECTIONS, duration: SOAK_SECONDS });
  clearInterval(sampler);
  await Promise.all(pending);
  // The first 10 s are warm-up (JIT, pools, caches filling); judge the rest by its trend, not its end points.
  const round = (n: number) => Math.round(n * 100) / 100;
  const slope = round(slopePerMinute(samples.slice(SOAK_WARMUP_SAMPLES), SOAK_SAMPLE_SECONDS));
  const heapWarmup = Math.ceil((SOAK_WARMUP_SAMPLES * SOAK_SAMPLE_SECONDS) / HEAP_SAMPLE_SECONDS);
  const heapSlope = round(slopePerMinute(heap.slice(heapWarmup), HEAP_SAMPLE_SECONDS));
  return { seconds: SOAK_SECONDS, samplesMb: samples, slopeMbPerMinute: slope, flat: slope < FLAT_SLOPE_MB_PER_MINUTE, heapAfterGcMb: heap, heapSlopeMbPerMinute: heapSlope };
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Starting embedded PostgreSQL and seeding ${CLIENTS} clients...`);
  const dataDir = await temporaryDataDir('kzpay-bench-');
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  const children: ChildProcess[] = [];
  try {
    const admin = new PgClient({ connectionString: pg.url });
    await admin.connect();
    await admin.query('create database bench');
    await admin.end();
    const url = new URL(pg.url);
    url.pathname = '/bench';
    const orm = await openDatabase(url.toString(), {}, { log: createLogger('warn') });
    const seeded = await seedDemoData(orm.em.fork(), { count: CLIENTS, seed: 42 });
    // The by-id shape reads the first client in the list's order that has 3 orders or more.
    const [{ id: byId }]: Array<{ id: string }> = await orm.em.getConnection().execute(
      `select c.id from client c where (select count(*) from client_order o where o.client_id = c.id) >= 3 order by c.created_at, c.id limit 1`,
    );
    console.log(`Seeded in ${Math.round((Date.now() - started) / 1000)} s`);
    // Settled before anything is measured: left to autovacuum and the checkpointer, seeding's
    // dead work would land on whichever scenario runs first.
    await orm.em.getConnection().execute('vacuum (analyze)');
    await orm.em.getConnection().execute('checkpoint');
    await orm.close(true);

    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: url.toString(),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      PORT: '0',
      LOG_LEVEL: 'info',
      // The limiter stays in the path; its budget is out of the benchmark's reach.
      RATE_LIMIT_PER_IP: '10000000',
      RATE_LIMIT_PER_PRINCIPAL: '10000000',
    };
    const config = loadConfig(env);
    const [enforced, baseline, stack, floor] = await Promise.all([
      spawnChild('api', 'server.js', env),
      spawnChild('api-no-enforcement', 'server.js', { ...env, BENCH_ENFORCEMENT: 'off' }),
      spawnChild('stack', 'stack.js', { DATABASE_URL: url.toString() }),
      spawnChild('floor', 'floor.js', { DATABASE_URL: url.toString() }),
    ]);
    children.push(enforced.process, baseline.process, stack.process, floor.process);

    const operator = await signToken(config.jwt, { sub: 'operator-bench', role: 'operator' });
    const dpo = await signToken(config.jwt, { sub: 'dpo-bench', role: 'dpo' });
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(enforced.ready.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: any; errors?: unknown[] };
    };
    const login = await gql('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: DEMO_LOGIN, p: DEMO_PASSWORD });
    const client: string = login.data.login.token;
    // Scenario 3 needs the disclosure engineer's partner API: a token issued for the courier's contract.
    const issued = await gql(
      'mutation($c: ID!, $s: [PiiCategory!]!) { issuePartnerToken(contractId: $c, scopes: $s, ttl: 86400) { token } }',
      { c: seeded.contractIds[0], s: ['FULL_NAME', 'PHONE', 'RESIDENCE_ADDRESS', 'ORDER_CONTACT'] },
      dpo,
    );
    const partner: string | null = issued.data?.issuePartnerToken?.token ?? null;
    if (!partner) console.warn(`Scenario 3 skipped: no partner token (${JSON.stringify(issued.errors)})`);

    const scenario = (id: string, title: string, target: Target, graphql: Scenario['graphql'], floorPath?: string): Scenario => ({ id, title, target, graphql, floorPath });
    const list = (first: number) => ({ query: OPERATOR_LIST, variables: { first }, token: operator });
    const partnerList = (first: number) => ({ query: PARTNER_ORDERS, variables: { first }, token: partner! });
    const scenarios: Scenario[] = [
      scenario('1-operator', 'operator lists 100 clients, every personal field and orders (masking on)', enforced, list(100)),
      scenario('2-baseline', 'the same, enforcement off (no shield, @pii guard, redactions, disclosure log)', baseline, list(100)),
      ...(partner
        ? [
            scenario('3-partner', 'partner reads 100 served orders, disclosure logged', enforced, partnerList(100)),
            scenario('3b-partner-off', 'the same partner query, enforcement off (nothing logged)', baseline, partnerList(100)),
          ]
        : []),
      scenario('4-me', 'client reads `me` with orders', enforced, { query: ME, variables: {}, token: client }),
      scenario('5-floor', 'floor: the same SQL as (1) with pg, JSON out', floor, null, '?first=100'),
    ];

    const shapeList = (first: number) => ({ query: SHAPE_LIST, variables: { first }, token: operator });
    const shapeOf = (id: ShapeSpec['id'], title: string, graphql: NonNullable<Scenario['graphql']>, floorPath: string): ShapeSpec => ({
      id,
      title,
      variants: [
        { variant: 'on', scenario: scenario(`${id}-on`, `${title}: operator, masking on`, enforced, graphql) },
        { variant: 'off', scenario: scenario(`${id}-off`, `${title}: enforcement off`, baseline, graphql) },
        { variant: 'stack', scenario: scenario(`${id}-stack`, `${title}: the bare stack (Apollo on Express, the floor's SQL)`, stack, graphql) },
        { variant: 'floor', scenario: scenario(`${id}-floor`, `${title}: floor (node:http + pg, the same rows as JSON)`, floor, null, floorPath) },
      ],
    });
    const shapes: ShapeSpec[] = [
      shapeOf('list100', 'first 100 clients: names, IIN, phones, e-mails, IBANs, residence city, 3 orders each', shapeList(100), 'shape?first=100'),
      shapeOf('list10', 'the same, first 10', shapeList(10), 'shape?first=10'),
      shapeOf('byId', 'one client by id, the same fields', { query: SHAPE_BY_ID, variables: { id: byId }, token: operator }, `shape?id=${byId}`),
    ];
    // The partner query in interleaved rounds too: scenarios 3 and 3b, run one after the other, would
    // give the machine's slow spells to one of them.
    const partnerShape: ShapeSpec | null = partner
      ? {
          id: 'partner',
          title: 'partner reads 100 served orders',
          variants: [
            { variant: 'on', scenario: scenario('partner-on', 'partner reads 100 served orders, disclosure logged', enforced, partnerList(100)) },
            { variant: 'off', scenario: scenario('partner-off', 'the same partner query, enforcement off (nothing logged)', baseline, partnerList(100)) },
          ],
        }
      : null;
    const partnerCheck = partnerShape ? await checkPartner(partnerShape) : null;
    if (PARTNER_ONLY) {
      if (!partnerShape) throw new Error('--only partner: the partner token could not be issued');
      console.log(`\nPartner query: ${ROUNDS} interleaved rounds (on, off, on, off, …) of ${SHAPE_SECONDS} s each after a ${WARMUP_SECONDS} s warm-up, medians`);
      const measured = await measureShape(partnerShape, partnerCheck!);
      measured.forEach(printShapeResult);
      const ratio = Math.round((measured[0]!.requestsPerSecond / measured[1]!.requestsPerSecond) * 1000) / 1000;
      console.log(`  partner_on_vs_off ${ratio}  target >= ${TARGETS.partner_on_vs_off.atLeast.toFixed(2)}  ${ratio >= TARGETS.partner_on_vs_off.atLeast ? 'met' : 'MISSED'}`);
      let profiled: Profiled | null = null;
      if (PROFILE_SECONDS > 0) {
        console.log(`\nCPU profile: the partner query, logged, ${PROFILE_SECONDS} s, its own process under node --cpu-prof`);
        profiled = await profileShape('partner', (target) => scenario('partner-profiled', 'partner query, logged, profiled', target, partnerList(100)), env);
        for (const line of formatSummary(profiled.summary)) console.log(`  ${line}`);
        console.log(`  (profile: ${profiled.file})`);
      }
      const output = { at: new Date().toISOString(), settings: { clients: CLIENTS, connections: CONNECTIONS, rounds: ROUNDS, shapeSeconds: SHAPE_SECONDS, profileSeconds: PROFILE_SECONDS }, partner_on_vs_off: ratio, partner: measured, profile: profiled };
      writeFileSync(join(PROJECT_ROOT, 'bench', 'results-partner.json'), `${JSON.stringify(output, null, 2)}\n`);
      console.log('\nWrote bench/results-partner.json');
      return;
    }
    // Checked before anything is measured: a shape whose variants answer different rows fails the run at once.
    const shapeChecks = new Map<ShapeSpec['id'], Awaited<ReturnType<typeof checkShape>>>();
    for (const shape of shapes) shapeChecks.set(shape.id, await checkShape(shape));
    console.log(`\nScenarios: ${DURATION} s each after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections`);
    const results: Measured[] = [];
    for (const s of scenarios) results.push(await measure(s));

    console.log(`\nShapes: ${ROUNDS} interleaved rounds (on, off, stack, floor, on, off, stack, floor, …) of ${SHAPE_SECONDS} s each after a ${WARMUP_SECONDS} s warm-up, medians`);
    const shapeResults: ShapeVariantResult[] = [];
    for (const shape of shapes) shapeResults.push(...(await measureShape(shape, shapeChecks.get(shape.id)!)));
    shapeResults.forEach(printShapeResult);
    const partnerResults = partnerShape ? await measureShape(partnerShape, partnerCheck!) : [];
    partnerResults.forEach(printShapeResult);

    let profiled: Profiled | null = null;
    if (PROFILE_SECONDS > 0) {
      console.log(`\nCPU profile: list100 with masking on, ${PROFILE_SECONDS} s, its own process under node --cpu-prof`);
      profiled = await profileShape('list100', (target) => scenario('list100-profiled', 'list100, masking on, profiled', target, shapeList(100)), env);
      for (const line of formatSummary(profiled.summary)) console.log(`  ${line}`);
      console.log(`  (profile: ${profiled.file}; node dist/bench/profile-summary.js <file> summarises any profile)`);
    }

    console.log('\nSQL statements per request against page size:');
    const pageSizes: Array<{ scenario: string; first: number; statementsPerRequest: number; statementsPerRun: number[] }> = [];
    const sized: Array<[string, (first: number) => Scenario['graphql']]> = [['1', list], ...(partner ? [['3', partnerList] as [string, typeof partnerList]] : [])];
    for (const [id, graphql] of sized) {
      for (const first of [10, 100]) {
        const measured = await statementsPerRequest(scenario(`${id}-page-${first}`, `scenario ${id} with first: ${first}`, enforced, graphql(first)));
        pageSizes.push({ scenario: id, first, statementsPerRequest: measured.mean, statementsPerRun: measured.perRun });
        console.log(`  scenario ${id}, first: ${String(first).padEnd(4)} SQL/req ${measured.mean} (${measured.perRun.join(', ')})`);
      }
    }
    const constantFor = (id: string) => {
      const rows = pageSizes.filter((p) => p.scenario === id);
      return rows.length > 0 && rows.every((p) => p.statementsPerRequest === rows[0]!.statementsPerRequest);
    };
    const constant = { '1': constantFor('1'), '3': partner ? constantFor('3') : null };

    const soaked = SOAK_SECONDS > 0 ? (console.log(`\nSoak: scenario 1 for ${SOAK_SECONDS} s...`), await soak(scenarios[0]!)) : null;
    if (soaked) {
      console.log(`  RSS ${soaked.samplesMb.join(' ')} MB; slope after warm-up ${soaked.slopeMbPerMinute} MB/min: ${soaked.flat ? 'flat' : 'NOT flat'} (flat: < ${FLAT_SLOPE_MB_PER_MINUTE} MB/min)`);
      console.log(`  heap after GC ${soaked.heapAfterGcMb.join(' ')} MB; slope after warm-up ${soaked.heapSlopeMbPerMinute} MB/min`);
    }

    const rps = (id: string) => results.find((r) => r.id.startsWith(id))?.requestsPerSecond ?? null;
    const ratio = (a: string, b: string) => {
      const x = rps(a);
      const y = rps(b);
      return x !== null && y ? Math.round((x / y) * 1000) / 1000 : null;
    };
    const scenarioRatios = { '1/2': ratio('1-', '2-'), '3/2': ratio('3-', '2-'), '3/3b': ratio('3-', '3b-'), '1/5': ratio('1-', '5-') };
    console.log(
      `\nScenario ratios (requests/s): (1)/(2) ${scenarioRatios['1/2']} [target >= 0.90]  (3)/(2) ${scenarioRatios['3/2'] ?? 'n/a'} [target >= 0.70]  ` +
        `(3)/(3b) ${scenarioRatios['3/3b'] ?? 'n/a'} [what disclosure logging costs]  (1)/(5) ${scenarioRatios['1/5']}`,
    );
    const shapeRps = (shape: ShapeSpec['id'], variant: Variant) => shapeResults.find((r) => r.shape === shape && r.variant === variant)!.requestsPerSecond;
    const divide = (x: number | null, y: number | null) => (x !== null && y ? Math.round((x / y) * 1000) / 1000 : null);
    const ratios: Record<RatioKey, number | null> = {
      list100_vs_floor: divide(shapeRps('list100', 'on'), shapeRps('list100', 'floor')),
      list10_vs_floor: divide(shapeRps('list10', 'on'), shapeRps('list10', 'floor')),
      byId_vs_floor: divide(shapeRps('byId', 'on'), shapeRps('byId', 'floor')),
      list100_on_vs_off: divide(shapeRps('list100', 'on'), shapeRps('list100', 'off')),
      list10_on_vs_off: divide(shapeRps('list10', 'on'), shapeRps('list10', 'off')),
      byId_on_vs_off: divide(shapeRps('byId', 'on'), shapeRps('byId', 'off')),
      partner_on_vs_off: partnerResults.length ? divide(partnerResults[0]!.requestsPerSecond, partnerResults[1]!.requestsPerSecond) : null,
      gc_share_list100: profiled ? Math.round(profiled.summary.gcShare * 1000) / 1000 : null,
    };
    // Not one of issue 9's ratios: what the stack alone reaches against the floor, the ceiling of the first three.
    const stackCeiling = {
      list100: divide(shapeRps('list100', 'stack'), shapeRps('list100', 'floor')),
      list10: divide(shapeRps('list10', 'stack'), shapeRps('list10', 'floor')),
      byId: divide(shapeRps('byId', 'stack'), shapeRps('byId', 'floor')),
    };
    console.log('\nRatios against issue 9\'s targets:');
    for (const [key, value] of Object.entries(ratios) as Array<[RatioKey, number | null]>) {
      const target: { atLeast?: number; atMost?: number } = TARGETS[key];
      const wanted = target.atLeast !== undefined ? `>= ${target.atLeast.toFixed(2)}` : `<= ${target.atMost!.toFixed(2)}`;
      const met = value === null ? 'not measured' : (target.atLeast !== undefined ? value >= target.atLeast : value <= target.atMost!) ? 'met' : 'MISSED';
      console.log(`  ${key.padEnd(18)} ${String(value ?? 'n/a').padStart(6)}  target ${wanted}  ${met}`);
    }
    console.log(`The bare stack ÷ floor (the ceiling of *_vs_floor): list100 ${stackCeiling.list100}, list10 ${stackCeiling.list10}, byId ${stackCeiling.byId}`);
    console.log(`SQL statements per request constant in the page size: scenario 1 ${constant['1'] ? 'yes' : 'NO'}, scenario 3 ${constant['3'] === null ? 'n/a' : constant['3'] ? 'yes' : 'NO'}`);

    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}` };
    const output = {
      at: new Date().toISOString(),
      machine,
      settings: {
        clients: CLIENTS, durationSeconds: DURATION, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, soakSeconds: SOAK_SECONDS,
        flatSlopeMbPerMinute: FLAT_SLOPE_MB_PER_MINUTE, rounds: ROUNDS, shapeSeconds: SHAPE_SECONDS, profileSeconds: PROFILE_SECONDS,
      },
      ratios,
      targets: TARGETS,
      stackCeiling,
      scenarios: results,
      scenarioRatios,
      shapes: shapeResults,
      partner: partnerResults,
      profile: profiled,
      statementsByPageSize: { constant, pageSizes },
      soak: soaked,
      skipped: partner ? [] : ['3-partner and 3b-partner-off: partner token could not be issued'],
      wallSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(join(PROJECT_ROOT, 'bench', 'results.json'), `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nWrote bench/results.json (${machine.cpus} cores, Node ${machine.node}, ${output.wallSeconds} s)`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await pg.stop();
    // The data folder goes with the stop; the temporary folder holding it is left to remove.
    await rm(dirname(dataDir), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('Benchmark failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
