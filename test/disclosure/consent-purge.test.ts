/**
 * P2: the consent history can be cut only by the retention purge. The purge's door is its owner
 * role, which a session cannot assume; a transaction-local setting opens nothing.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Client, ClientStatus } from '../../src/clients/client.entity';
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { openDatabase, ormOptions } from '../../src/db/orm';
import { addYears, MIN_CONSENT_RECORD_RETENTION_YEARS } from '../../src/consent/retention';
import { runJobs } from '../../src/jobs/run-jobs';
import { createLogger } from '../../src/logger';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../../src/privacy/categories';
import { createCanaryClient } from '../support/canaries';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/database';
import { DAY } from '../support/world';

const ROLE = `kzpay_app_${randomBytes(4).toString('hex')}`;
const PASSWORD = randomBytes(12).toString('hex');

let db: TestDatabase;
let appUrl: string;
let appOrm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase();
  const dbName = new URL(db.url).pathname.slice(1);
  await adminQuery(`create role ${ROLE} login password '${PASSWORD}'`);
  // The app role as a deployment would have it, DELETE on consent included: the trigger must hold anyway.
  await db.orm.em.getConnection().execute([
    `grant connect on database ${dbName} to ${ROLE}`,
    `grant usage on schema public to ${ROLE}`,
    `grant select, insert, update, delete on all tables in schema public to ${ROLE}`,
    // As grantRequestRole gives the API role, which runs the job runner.
    `grant execute on function purge_consent_records(timestamptz) to ${ROLE}`,
  ].join('; '));
  const url = new URL(db.url);
  url.username = ROLE;
  url.password = PASSWORD;
  appUrl = url.toString();
  appOrm = await MikroORM.init(ormOptions(appUrl));
});
afterAll(async () => {
  await appOrm?.close(true);
  await db?.drop();
  await adminQuery(`drop role if exists ${ROLE}`);
});

/** Runs the statements in one transaction on a new connection; 'done' or the error's message. */
async function inTransaction(url: string, statements: string[]): Promise<string> {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    await pg.query('begin');
    for (const sql of statements) await pg.query(sql);
    await pg.query('commit');
    return 'done';
  } catch (error) {
    await pg.query('rollback');
    return (error as Error).message;
  } finally {
    await pg.end();
  }
}

const historyOf = async (clientId: string) =>
  Number((await db.orm.em.getConnection().execute(`select count(*) as n from consent where client_id = ?`, [clientId]))[0].n);


/** An erased client whose consent was withdrawn `endedDaysAgo` days ago (eleven years by default: due for the purge). */
async function erasedLongAgo(endedDaysAgo = 11 * 365): Promise<string> {
  const em = db.orm.em.fork();
  const client = em.create(Client, { status: ClientStatus.ERASED });
  const recordedAt = new Date(Date.now() - endedDaysAgo * DAY - 1000);
  for (const [kind, status] of [[ConsentEventKind.GIVEN, 'ACTIVE'], [ConsentEventKind.WITHDRAWN, 'WITHDRAWN']] as const) {
    em.create(Consent, {
      client, kind, status, policyVersion: 'test', policyTextHash: 'test',
      operations: [...CONSENT_OPERATIONS], purposes: [...CONSENT_PURPOSES],
      recordedAt: new Date(recordedAt.getTime() + (status === 'WITHDRAWN' ? 1000 : 0)),
    });
  }
  await em.flush();
  return client.id;
}

it('a session that sets kzpay.consent_purge itself is still refused, as the app role and as the superuser', async () => {
  const due = await erasedLongAgo();
  const active = await createCanaryClient(db.orm.em.fork(), 'ACTIVE');
  for (const url of [appUrl, db.url]) {
    for (const id of [due, active.client.id]) {
      const outcome = await inTransaction(url, [`set local kzpay.consent_purge = 'on'`, `delete from consent where client_id = '${id}'`]);
      expect(outcome).toMatch(/append-only: DELETE refused/);
    }
    expect(await inTransaction(url, [`set kzpay.consent_purge = 'on'`, `delete from consent where client_id = '${due}'`])).toMatch(/append-only/);
  }
  expect(await historyOf(due)).toBe(2);
  expect(await historyOf(active.client.id)).toBe(1);
});

it('the app role cannot take on the purge function owner to delete directly', async () => {
  const due = await erasedLongAgo();
  const outcome = await inTransaction(appUrl, [`set local role kzpay_consent_purger`, `delete from consent where client_id = '${due}'`]);
  expect(outcome).toMatch(/permission denied to set role/);
  expect(await historyOf(due)).toBe(2);
});

it('the job runner, connected as the app role, still purges due histories through the function, and only those', async () => {
  const due = await erasedLongAgo();
  const active = await createCanaryClient(db.orm.em.fork(), 'ACTIVE');
  const before = Number((await db.orm.em.getConnection().execute(`select count(*) as n from consent`))[0].n);
  const dueTotal = Number((await db.orm.em.getConnection().execute(
    `select count(*) as n from consent k join client c on c.id = k.client_id where c.status = 'ERASED' and k.recorded_at < now() - interval '10 years'`,
  ))[0].n);
  const report = await runJobs({ em: appOrm.em.fork(), log: createLogger('silent'), throttleSecret: null });
  expect(report.consentRecordsPurged).toBe(dueTotal);
  expect(dueTotal).toBeGreaterThanOrEqual(2);
  expect(await historyOf(due)).toBe(0);
  expect(await historyOf(active.client.id)).toBe(1);
  expect(Number((await db.orm.em.getConnection().execute(`select count(*) as n from consent`))[0].n)).toBe(before - dueTotal);
});

it('the purge function is owned by the NOLOGIN role, and that role cannot log in', async () => {
  const [row] = await db.orm.em.getConnection().execute(
    `select r.rolname, r.rolcanlogin, r.rolsuper, p.prosecdef from pg_proc p join pg_roles r on r.oid = p.proowner where p.proname = 'purge_consent_records'`,
  );
  expect(row).toEqual({ rolname: 'kzpay_consent_purger', rolcanlogin: false, rolsuper: false, prosecdef: true });
});

it('a migrating role that is no superuser, a member of the owner role by a DBA\'s grant, hands the function over too', async () => {
  const migrator = `kzpay_mig_${randomBytes(4).toString('hex')}`;
  const name = `kzpay_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create role ${migrator} login password '${PASSWORD}'`);
  await adminQuery(`create database ${name} owner ${migrator}`);
  await adminQuery(`grant kzpay_consent_purger to ${migrator}`);
  const url = new URL(db.url);
  url.pathname = `/${name}`;
  url.username = migrator;
  url.password = PASSWORD;
  let orm: MikroORM | undefined;
  try {
    orm = await openDatabase(url.toString());
    const [row] = await orm.em.getConnection().execute(
      `select r.rolname, has_schema_privilege('kzpay_consent_purger', 'public', 'CREATE') as can_create
         from pg_proc p join pg_roles r on r.oid = p.proowner where p.proname = 'purge_consent_records'`,
    );
    expect(row).toEqual({ rolname: 'kzpay_consent_purger', can_create: false });
    const [purged] = await orm.em.getConnection().execute(`select purge_consent_records(now()) as n`);
    expect(purged.n).toBe(0);
  } finally {
    await orm?.close(true);
    await adminQuery(`drop database if exists ${name} with (force)`);
    await adminQuery(`drop role if exists ${migrator}`);
  }
});

it('whatever cutoff the caller passes, a history is kept for the retention the law requires, by the database\'s clock', async () => {
  const now = Date.now();
  const legalDays = Math.round((now - addYears(new Date(now), -MIN_CONSENT_RECORD_RETENTION_YEARS).getTime()) / DAY);
  const young = await erasedLongAgo(legalDays - 2);
  const due = await erasedLongAgo(legalDays + 2);
  for (const cutoff of [`'infinity'`, `now() + interval '10 years'`, 'now()']) {
    expect(await inTransaction(appUrl, [`select purge_consent_records(${cutoff})`])).toBe('done');
    expect(await historyOf(young)).toBe(2);
  }
  expect(await historyOf(due)).toBe(0);
  // A cutoff before the end still keeps a due history: the clamp only ever shortens what is purged.
  const older = await erasedLongAgo(legalDays + 30);
  expect(await inTransaction(appUrl, [`select purge_consent_records(now() - interval '${MIN_CONSENT_RECORD_RETENTION_YEARS} years' - interval '40 days')`])).toBe('done');
  expect(await historyOf(older)).toBe(2);
  expect(await historyOf(young)).toBe(2);
});
