/**
 * `npm run bench [-- --duration 10 --connections 10]`: embedded PostgreSQL seeded with 10,000
 * clients, each server in its own process, autocannon against six scenarios side by side, then an
 * RSS soak (60 s; `--soak <seconds>` for longer). Prints a table and the ratios, and writes bench/results.json. See docs/bench.md.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
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
import { ME, OPERATOR_LIST, PARTNER_ORDERS } from './queries';

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
  -h, --help         this text
`,
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    soak: { type: 'string', default: '60' },
  },
} as const satisfies CliSpec;

const { values: args } = parseCliOrExit(BENCH_CLI);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const SOAK_SECONDS = Number(args.soak);

interface Target {
  readonly name: string;
  readonly process: ChildProcess;
  readonly ready: ChildReady;
}

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly target: Target;
  /** A GraphQL request, or null for the floor's plain GET. */
  readonly graphql: { query: string; variables: Record<string, unknown>; token: string } | null;
  readonly floorFirst?: number;
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

function spawnChild(name: string, script: string, env: Record<string, string>): Promise<Target> {
  const child = fork(join(__dirname, script), [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, '--expose-gc'],
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
  if (!scenario.graphql) return { url: `${scenario.target.ready.url}?first=${scenario.floorFirst ?? 100}`, method: 'GET', headers: {} };
  const { query, variables, token } = scenario.graphql;
  return {
    url: scenario.target.ready.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  };
}

/** One request first: a scenario that answers errors would measure nothing worth printing. */
async function check(scenario: Scenario): Promise<{ responseBytes: number; redactions: number }> {
  const { url, method, headers, body } = request(scenario);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const json = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }>; extensions?: { redactions?: unknown[] } };
  if (response.status !== 200 || json.errors) {
    throw new Error(`scenario ${scenario.id} answers ${response.status} ${JSON.stringify(json.errors?.map((e) => e.extensions?.code))}`);
  }
  return { responseBytes: Buffer.byteLength(text), redactions: json.extensions?.redactions?.length ?? 0 };
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

async function measure(scenario: Scenario, seconds = DURATION): Promise<Measured> {
  const { responseBytes, redactions } = await check(scenario);
  const statements = await statementsPerRequest(scenario);
  await settle(scenario.target);
  await autocannon({ ...request(scenario), connections: CONNECTIONS, duration: WARMUP_SECONDS });
  await stats(scenario.target, true);
  const result = await autocannon({ ...request(scenario), connections: CONNECTIONS, duration: seconds });
  const after = await stats(scenario.target);
  const requests = result.requests.total;
  const measured: Measured = {
    id: scenario.id,
    title: scenario.title,
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    peakRssMb: Math.round((after.peakRssBytes / 2 ** 20) * 10) / 10,
    statementsPerRequest: statements.mean,
    statementsPerRun: statements.perRun,
    responseBytes,
    redactions,
    requests,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
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
  const pg = await startEmbeddedPostgres({ dataDir: await temporaryDataDir('kzpay-bench-'), persistent: false });
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
    const [enforced, baseline, floor] = await Promise.all([
      spawnChild('api', 'server.js', env),
      spawnChild('api-no-enforcement', 'server.js', { ...env, BENCH_ENFORCEMENT: 'off' }),
      spawnChild('floor', 'floor.js', { DATABASE_URL: url.toString() }),
    ]);
    children.push(enforced.process, baseline.process, floor.process);

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

    const scenario = (id: string, title: string, target: Target, graphql: Scenario['graphql'], floorFirst?: number): Scenario => ({ id, title, target, graphql, floorFirst });
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
      scenario('5-floor', 'floor: the same SQL as (1) with pg, JSON out', floor, null, 100),
    ];
    console.log(`\nScenarios: ${DURATION} s each after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections`);
    const results: Measured[] = [];
    for (const s of scenarios) results.push(await measure(s));

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

    console.log(`\nSoak: scenario 1 for ${SOAK_SECONDS} s...`);
    const soaked = await soak(scenarios[0]!);
    console.log(`  RSS ${soaked.samplesMb.join(' ')} MB; slope after warm-up ${soaked.slopeMbPerMinute} MB/min: ${soaked.flat ? 'flat' : 'NOT flat'} (flat: < ${FLAT_SLOPE_MB_PER_MINUTE} MB/min)`);
    console.log(`  heap after GC ${soaked.heapAfterGcMb.join(' ')} MB; slope after warm-up ${soaked.heapSlopeMbPerMinute} MB/min`);

    const rps = (id: string) => results.find((r) => r.id.startsWith(id))?.requestsPerSecond ?? null;
    const ratio = (a: string, b: string) => {
      const x = rps(a);
      const y = rps(b);
      return x !== null && y ? Math.round((x / y) * 1000) / 1000 : null;
    };
    const ratios = { '1/2': ratio('1-', '2-'), '3/2': ratio('3-', '2-'), '3/3b': ratio('3-', '3b-'), '1/5': ratio('1-', '5-') };
    console.log(
      `\nRatios (requests/s): (1)/(2) ${ratios['1/2']} [target >= 0.90]  (3)/(2) ${ratios['3/2'] ?? 'n/a'} [target >= 0.70]  ` +
        `(3)/(3b) ${ratios['3/3b'] ?? 'n/a'} [what disclosure logging costs]  (1)/(5) ${ratios['1/5']}`,
    );
    console.log(`SQL statements per request constant in the page size: scenario 1 ${constant['1'] ? 'yes' : 'NO'}, scenario 3 ${constant['3'] === null ? 'n/a' : constant['3'] ? 'yes' : 'NO'}`);

    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}` };
    const output = {
      at: new Date().toISOString(),
      machine,
      settings: { clients: CLIENTS, durationSeconds: DURATION, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, soakSeconds: SOAK_SECONDS, flatSlopeMbPerMinute: FLAT_SLOPE_MB_PER_MINUTE },
      scenarios: results,
      ratios,
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
  }
}

main().catch((error: unknown) => {
  console.error('Benchmark failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
