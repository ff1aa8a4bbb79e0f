/**
 * With MIGRATION_DATABASE_URL, migrations run as the tables' owner and the API as a role that
 * owns nothing: it serves the whole flow, but cannot rewrite the consent history or the
 * disclosure log, switch their append-only triggers off, or touch the migrations' table.
 */
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { openDatabase } from '../../src/db/orm';
import { createLogger } from '../../src/logger';
import { runJobs } from '../../src/jobs/run-jobs';
import { TEST_JWT_SECRET } from '../support/server';
import { adminQuery, type TestDatabase } from '../support/database';
import { registration, REGISTER } from '../support/fixtures';
import { startWorld, type World } from '../support/world';

const tag = randomBytes(5).toString('hex');
const database = `kzpay_t_role_${tag}`;
const role = `kzpay_app_${tag}`;
const password = `pw-${tag}`;
let ownerUrl: string;
let appUrl: string;
let db: TestDatabase;
let world: World;

beforeAll(async () => {
  await adminQuery(`create database ${database}`);
  await adminQuery(`create role ${role} login password '${password}'`);
  const base = new URL(process.env.TEST_SERVER_URL!);
  base.pathname = `/${database}`;
  ownerUrl = base.toString();
  const app = new URL(ownerUrl);
  app.username = role;
  app.password = password;
  appUrl = app.toString();
  const orm = await openDatabase(appUrl, {}, { migrationUrl: ownerUrl, log: createLogger('silent') });
  db = { url: appUrl, orm, drop: async () => orm.close(true) };
  world = await startWorld({ db, env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' } });
});
afterAll(async () => {
  await world?.close();
  await db?.drop();
  await adminQuery(`drop database if exists ${database} with (force)`);
  await adminQuery(`drop role if exists ${role}`);
});

async function asApp(sql: string): Promise<{ code?: string }> {
  const pg = new PgClient({ connectionString: appUrl });
  await pg.connect();
  try {
    await pg.query(sql);
    return {};
  } catch (error) {
    return { code: (error as { code?: string }).code };
  } finally {
    await pg.end();
  }
}

it('the API role serves the flow: registration, an order, a logged disclosure, an erasure, a job run', async () => {
  const registered = await world.gql(REGISTER, { input: registration() });
  expect(registered.body.errors).toBeUndefined();
  const { clientId, token } = registered.body.data!.registerClient;
  const order = await world.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 1, priceTiyn: 100 }] }) { id } }`, {}, token);
  expect(order.body.errors).toBeUndefined();
  const dpo = world.tokens.dpo;
  const recorded = await world.gql(`mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq } }`, {
    input: { subjectId: clientId, recipientKind: 'OTHER', recipient: 'Notary (paper request)', categories: ['FULL_NAME'], purpose: 'CONTRACT_PERFORMANCE', legalBasis: 'a written request of the subject' },
  }, dpo);
  expect(recorded.body.errors).toBeUndefined();
  const erased = await world.gql(`mutation($id: ID!) { eraseClient(clientId: $id, basis: WRITTEN_REQUEST_OFFLINE, reference: "IN-2026/0042") { id } }`, { id: clientId }, dpo);
  expect(erased.body.errors).toBeUndefined();
  expect(await runJobs({ em: db.orm.em, log: createLogger('silent'), throttleSecret: TEST_JWT_SECRET })).toMatchObject({ failures: 0 });
});

it.each([
  ['rewrite the consent history', `update consent set channel = 'WEB'`],
  ['delete from the consent history', 'delete from consent'],
  ['truncate the disclosure log', 'truncate disclosure_log'],
  ['switch the log\'s triggers off', 'alter table disclosure_log disable trigger user'],
  ['switch the consent history\'s triggers off', 'alter table consent disable trigger user'],
  ['forget a migration', 'delete from mikro_orm_migrations'],
])('the API role cannot %s', async (_what, sql) => {
  expect(await asApp(sql)).toEqual({ code: '42501' });
});

it('the append-only tables belong to the migrating role, not to the API role', async () => {
  const pg = new PgClient({ connectionString: ownerUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query(`select tableowner from pg_tables where tablename in ('consent', 'disclosure_log')`);
    expect(rows.map((r) => r.tableowner)).not.toContain(role);
    expect(rows).toHaveLength(2);
  } finally {
    await pg.end();
  }
});

describe('the consent purge (P2: consent records are kept as proof for the retention the law requires)', () => {
  const historyOf = async (clientId: string) => {
    const pg = new PgClient({ connectionString: ownerUrl });
    await pg.connect();
    try {
      return (await pg.query(`select count(*)::int as n from consent where client_id = $1`, [clientId])).rows[0].n as number;
    } finally {
      await pg.end();
    }
  };

  it('as the API role, no cutoff purges the history of a client erased minutes ago', async () => {
    const registered = await world.gql(REGISTER, { input: registration() });
    const { clientId } = registered.body.data!.registerClient;
    const dpo = world.tokens.dpo;
    const erased = await world.gql(`mutation($id: ID!) { eraseClient(clientId: $id, basis: WRITTEN_REQUEST_OFFLINE, reference: "IN-2026/0043") { id } }`, { id: clientId }, dpo);
    expect(erased.body.errors).toBeUndefined();
    const before = await historyOf(clientId);
    expect(before).toBeGreaterThanOrEqual(2);
    for (const cutoff of [`'infinity'`, `now() + interval '100 years'`, 'now()']) {
      const pg = new PgClient({ connectionString: appUrl });
      await pg.connect();
      try {
        expect((await pg.query(`select purge_consent_records(${cutoff}) as n`)).rows).toEqual([{ n: 0 }]);
      } finally {
        await pg.end();
      }
    }
    expect(await historyOf(clientId)).toBe(before);
  });

  it('a role with no grants cannot run the purge at all', async () => {
    const stranger = `kzpay_nogrants_${tag}`;
    await adminQuery(`create role ${stranger} login password '${password}'`);
    const url = new URL(appUrl);
    url.username = stranger;
    const pg = new PgClient({ connectionString: url.toString() });
    await pg.connect();
    try {
      await expect(pg.query(`select purge_consent_records('infinity')`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await pg.end();
      await adminQuery(`drop role if exists ${stranger}`);
    }
  });
});
