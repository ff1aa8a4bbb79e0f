/**
 * Fail closed (P5): when the disclosure log cannot be written, the response carries no personal
 * value. The app connects as a non-superuser role, as in production; revoking its INSERT on the
 * log is the realistic failure (superusers bypass privileges, so the harness's own role cannot).
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { ormOptions } from '../../src/db/orm';
import { startApp, type RunningApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { createCanaryClient, type Canary } from '../support/canaries';
import { adminQuery, codes, createTestDatabase, testConfig, type TestDatabase, type TestServer } from '../support/harness';
import { signToken } from '../../src/auth/tokens';
import { assignOrder, dpoToken, issuePartnerToken, logRows, registerPartnerWithContract, requestIdHeader } from './support';

const ROLE = `kzpay_app_${randomBytes(4).toString('hex')}`;
const PASSWORD = randomBytes(12).toString('hex');
const QUERY = `{ partnerOrders(first: 10) { edges { node { id contactPhone client { fullName phones } } } } }`;

let db: TestDatabase;
let appOrm: MikroORM;
let app: RunningApp;
let server: TestServer;
let canary: Canary;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const dbName = new URL(db.url).pathname.slice(1);
  await adminQuery(`create role ${ROLE} login password '${PASSWORD}'`);
  const grants = [
    `grant connect on database ${dbName} to ${ROLE}`,
    `grant usage on schema public to ${ROLE}`,
    `grant select, insert, update, delete on all tables in schema public to ${ROLE}`,
  ].join('; ');
  await db.orm.em.getConnection().execute(grants);
  const url = new URL(db.url);
  url.username = ROLE;
  url.password = PASSWORD;
  appOrm = await MikroORM.init(ormOptions(url.toString()));
  const config = testConfig(url.toString());
  app = await startApp({ config, orm: appOrm, log: createLogger(config.logLevel), port: 0 });
  server = {
    db,
    app,
    config,
    gql: async (query, variables, bearer, headers = {}) => {
      const response = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as any };
    },
    token: (claims, ttl) => signToken(config.jwt, claims, ttl),
    close: async () => undefined,
  };
  const dpo = await dpoToken(server);
  const partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  canary = await createCanaryClient(db.orm.em.fork(), 'ACTIVE');
  await assignOrder(db.orm.em.fork(), canary, partner.partnerId);
  ({ token } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']));
});
afterAll(async () => {
  await app?.stop();
  await appOrm?.close(true);
  await db?.drop();
  await adminQuery(`drop role if exists ${ROLE}`);
});

it('with the log writable, the partner gets its data and the entry is written (the set-up works)', async () => {
  const response = await server.gql(QUERY, {}, token);
  expect(response.body.errors).toBeUndefined();
  expect(JSON.stringify(response.body.data)).toContain(canary.order.contactPhone!);
});

it('with INSERT on the log revoked, the response drops every personal value and says DISCLOSURE_LOG_UNAVAILABLE', async () => {
  await db.orm.em.getConnection().execute(`revoke insert on disclosure_log from ${ROLE}`);
  try {
    const { id, headers } = requestIdHeader();
    const response = await server.gql(QUERY, {}, token, headers);
    expect(response.status).toBe(503);
    expect(response.body.data).toBeNull();
    expect(codes(response)).toEqual(['DISCLOSURE_LOG_UNAVAILABLE']);
    expect(canary.values.filter((v) => JSON.stringify(response.body).includes(v))).toEqual([]);
    expect(await logRows(db.orm.em.fork(), 'request_id = ?', [id])).toEqual([]);

    // Requests that disclose nothing under P5 do not depend on the log.
    const operator = await server.token({ sub: 'op-1', role: 'operator' });
    const ordinary = await server.gql(`query($id: ID!) { client(id: $id) { phones } }`, { id: canary.client.id }, operator);
    expect(ordinary.body).toMatchObject({ data: { client: { phones: canary.client.phones } } });
  } finally {
    await db.orm.em.getConnection().execute(`grant insert on disclosure_log to ${ROLE}`);
  }
});

it('the append-only triggers refuse UPDATE and DELETE even to the table owner', async () => {
  const admin = db.orm.em.getConnection();
  await expect(admin.execute(`update disclosure_log set purpose = 'x'`)).rejects.toThrow(/append-only/);
  await expect(admin.execute(`delete from disclosure_log`)).rejects.toThrow(/append-only/);
  await expect(admin.execute(`truncate disclosure_log`)).rejects.toThrow(/append-only/);
});
