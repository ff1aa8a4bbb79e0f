/**
 * The request deadline also stops database work: every pooled connection carries PostgreSQL's
 * statement_timeout, so a stuck statement is cancelled and its connection serves the next
 * request. The driver's own warnings reach the structured log, scrubbed, not the console.
 */
import { Client as PgClient } from 'pg';
import { openBackgroundOrm } from '../../src/db/orm';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { captureLog } from '../support/logs';
import { errorCodes } from '../support/server';
import { startWorld, type World } from '../support/world';

const TIMEOUT_MS = 600;
const { log, lines } = captureLog('debug');
let db: TestDatabase;
let world: World;

beforeAll(async () => {
  // One connection: a statement that kept it would starve every later request.
  db = await createTestDatabase({ requestTimeoutMs: TIMEOUT_MS, pool: { min: 0, max: 1 }, log });
  world = await startWorld({ db, log, env: { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' } });
});
afterAll(async () => {
  await world?.close();
  await db?.drop();
});

async function holdingLock<T>(table: string, work: () => Promise<T>): Promise<T> {
  const admin = new PgClient({ connectionString: db.url });
  await admin.connect();
  try {
    await admin.query('begin');
    await admin.query(`lock table ${table} in access exclusive mode`);
    return await work();
  } finally {
    await admin.query('rollback').catch(() => undefined);
    await admin.end();
  }
}

const readyz = async () => (await fetch(new URL('/readyz', world.app.url))).status;

it('a statement longer than the deadline is cancelled by PostgreSQL', async () => {
  const started = Date.now();
  await expect(db.orm.em.fork().getConnection().execute('select pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
  expect(Date.now() - started).toBeLessThan(3000);
});

it("work that is no request (the job runner's ORM) runs without it", async () => {
  const background = await openBackgroundOrm(db.url);
  try {
    const conn = background.em.fork().getConnection();
    expect(await conn.execute('show statement_timeout')).toEqual([{ statement_timeout: '0' }]);
    await expect(conn.execute('select pg_sleep(1.3)')).resolves.toHaveLength(1);
  } finally {
    await background.close(true);
  }
  expect(await db.orm.em.fork().getConnection().execute('show statement_timeout')).toEqual([{ statement_timeout: `${TIMEOUT_MS + 500}ms` }]);
});

it('a request stuck on a lock times out, and the pool serves the next request while the lock is still held', async () => {
  await holdingLock('client', async () => {
    const started = Date.now();
    const stuck = await world.gql('{ clients(first: 5) { totalCount } }', {}, world.tokens.operator);
    expect(stuck.status).toBe(503);
    expect(errorCodes(stuck.body)).toEqual(['REQUEST_TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(3000);
    // The statement is cancelled 500 ms past the deadline; then the only connection is free again: /readyz's select 1 gets it at once (without the
    // statement timeout it would wait behind the lock and answer 503 after 2 s).
    await new Promise((r) => setTimeout(r, 1100));
    const before = Date.now();
    expect(await readyz()).toBe(200);
    expect(Date.now() - before).toBeLessThan(1000);
  });
  const after = await world.gql('{ clients(first: 5) { totalCount } }', {}, world.tokens.operator);
  expect(after.body.errors).toBeUndefined();
});

it("the driver's warnings go to the structured log, not the console", async () => {
  const console_ = jest.spyOn(console, 'log');
  try {
    expect(await readyz()).toBe(200);
    const admin = new PgClient({ connectionString: process.env.TEST_SERVER_URL });
    await admin.connect();
    const database = new URL(db.url).pathname.slice(1);
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`);
    await admin.end();
    // knex notices a dead connection when it next hands it out: past /readyz's one-second cache.
    await new Promise((r) => setTimeout(r, 1100));
    await readyz();
    expect(console_).not.toHaveBeenCalled();
    const driver = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'database driver');
    expect(driver.length).toBeGreaterThan(0);
    expect(String(driver[0]!.knex)).toMatch(/^Connection Error/);
  } finally {
    console_.mockRestore();
  }
});
