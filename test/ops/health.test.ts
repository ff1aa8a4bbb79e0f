/**
 * /healthz (liveness: the process answers) and /readyz (readiness: the database answers), and
 * recovery without a restart when the database drops the pool's connections.
 */
import { Client as PgClient } from 'pg';
import { startWorld, type World } from '../support/world';

let world: World;
let database: string;
beforeAll(async () => {
  world = await startWorld();
  database = new URL(world.db.url).pathname.slice(1);
});
afterAll(async () => {
  await admin(`alter database ${database} with allow_connections true`).catch(() => undefined);
  await world.close();
});

/** A query on the run's PostgreSQL as the admin; returns the rows. */
async function admin(sql: string): Promise<Array<Record<string, unknown>>> {
  const pg = new PgClient({ connectionString: process.env.TEST_SERVER_URL });
  await pg.connect();
  try {
    return (await pg.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await pg.end();
  }
}

const terminateConnections = async (): Promise<number> =>
  (await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`)).length;

const get = async (path: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(new URL(path, world.app.url));
  return { status: response.status, body: await response.json() };
};

/** Polls `path` until it answers `status`; returns how long that took. */
async function until(path: string, status: number, withinMs: number): Promise<number> {
  const started = Date.now();
  let last = 0;
  while (Date.now() - started < withinMs) {
    last = (await get(path)).status;
    if (last === status) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} answered ${last}, not ${status}, for ${withinMs} ms`);
}

describe('health endpoints', () => {
  it('/healthz and /readyz answer 200 with the database up', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz runs at most one database check per second, however often it is called', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const execute = jest.spyOn(world.db.orm.em.getConnection(), 'execute');
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 50 }, () => get('/readyz')));
    // On a busy machine the burst can outlast a second: one more check per second it took is allowed.
    const seconds = Math.floor((performance.now() - started) / 1000);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const checks = execute.mock.calls.filter(([sql]) => sql === 'select 1').length;
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(checks).toBeLessThanOrEqual(1 + seconds);
    execute.mockRestore();
  });

  it('/readyz recovers without a restart after the database terminates every connection', async () => {
    expect((await get('/readyz')).status).toBe(200);
    // The pool keeps the connection /readyz just used: there is something to terminate.
    expect(await terminateConnections()).toBeGreaterThan(0);
    await until('/readyz', 200, 5000);
    // GraphQL reads from the database again too.
    const operator = world.tokens.operator;
    const statistics = await world.gql('{ statistics { clientsByKind { key count } } }', {}, operator);
    expect(statistics.body.errors).toBeUndefined();
    expect(statistics.body.data).toEqual({ statistics: { clientsByKind: [] } });
  });

  it('/readyz answers 503 while the database refuses connections (/healthz stays 200), and 200 again after', async () => {
    await admin(`alter database ${database} with allow_connections false`);
    try {
      await terminateConnections();
      await until('/readyz', 503, 5000);
      expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'database unavailable' } });
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      await admin(`alter database ${database} with allow_connections true`);
    }
    await until('/readyz', 200, 5000);
  });
});
