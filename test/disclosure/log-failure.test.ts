/**
 * Fail closed (P5): when the disclosure log cannot be written, the response carries no personal
 * value. The app connects as a non-superuser role, as in production; revoking its INSERT on the
 * log is the realistic failure (superusers bypass privileges, so the test database's own role cannot).
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { ormOptions } from '../../src/db/orm';
import { createCanaryClient, type Canary } from '../support/canaries';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/database';
import { codes, type GraphQLResponse, startTestServer, type TestServer } from '../support/server';
import { assignOrder, dpoToken, gqlOk, issuePartnerToken, logRows, registerPartnerWithContract, requestIdOf } from '../support/disclosure';
import { disclosurePlugin } from '../../src/disclosure/disclosure.plugin';
import { createMetrics } from '../../src/observability/metrics';
import { DisclosureBatch } from '../../src/disclosure/batch';
import { subjectAccessRecipient } from '../../src/disclosure/recipient';

const ROLE = `kzpay_app_${randomBytes(4).toString('hex')}`;
const PASSWORD = randomBytes(12).toString('hex');
const QUERY = `{ partnerOrders(first: 10) { edges { node { id contactPhone client { fullName phones } } } } }`;

let db: TestDatabase;
let appOrm: MikroORM;
let server: TestServer;
let canary: Canary;
let token: string;
let authorityToken: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const dbName = new URL(db.url).pathname.slice(1);
  await adminQuery(`create role ${ROLE} login password '${PASSWORD}'`);
  const grants = [
    `grant connect on database ${dbName} to ${ROLE}`,
    `grant usage on schema public to ${ROLE}`,
    `grant select, insert, update, delete on all tables in schema public to ${ROLE}`,
    // The log's order comes from a sequence (as src/db/request-role.ts grants it).
    `grant usage, select on all sequences in schema public to ${ROLE}`,
  ].join('; ');
  await db.orm.em.getConnection().execute(grants);
  const url = new URL(db.url);
  url.username = ROLE;
  url.password = PASSWORD;
  appOrm = await MikroORM.init(ormOptions(url.toString()));
  // The app serves from the app role's connection; the file keeps the superuser's (`db`) for its checks.
  server = await startTestServer({ db: { url: url.toString(), orm: appOrm, drop: async () => undefined } });
  const dpo = await dpoToken(server);
  const partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  canary = await createCanaryClient(db.orm.em.fork(), 'ACTIVE');
  await assignOrder(db.orm.em.fork(), canary, partner.partnerId);
  ({ token } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']));
  const { registerLawfulRequest } = await gqlOk(server, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: { issuingBody: 'Financial monitoring agency', documentNumber: 'AFM-1', documentDate: '2026-11-01', legalBasis: 'AML law, art. 13', subjectIds: [canary.client.id], categories: ['FULL_NAME', 'PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString() },
  }, dpo);
  ({ issueAuthorityToken: { token: authorityToken } } = await gqlOk(server, `mutation($r: ID!) { issueAuthorityToken(requestId: $r) { token } }`, { r: registerLawfulRequest.id }, dpo));
});

/** Runs `work` with INSERT on the log revoked from the app role, and gives it back afterwards. */
async function withLogUnwritable(work: () => Promise<void>): Promise<void> {
  await db.orm.em.getConnection().execute(`revoke insert on disclosure_log from ${ROLE}`);
  try {
    await work();
  } finally {
    await db.orm.em.getConnection().execute(`grant insert on disclosure_log to ${ROLE}`);
  }
}

const withheld = async (response: GraphQLResponse) => {
  expect(response.status).toBe(503);
  expect(response.body.data).toBeNull();
  expect(codes(response)).toEqual(['DISCLOSURE_LOG_UNAVAILABLE']);
  expect(canary.values.filter((v) => JSON.stringify(response.body).includes(v))).toEqual([]);
  expect(await logRows(db.orm.em.fork(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
};
afterAll(async () => {
  await server?.close();
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
    const response = await server.gql(QUERY, {}, token);
    expect(response.status).toBe(503);
    expect(response.body.data).toBeNull();
    expect(codes(response)).toEqual(['DISCLOSURE_LOG_UNAVAILABLE']);
    expect(canary.values.filter((v) => JSON.stringify(response.body).includes(v))).toEqual([]);
    expect(await logRows(db.orm.em.fork(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);

    // Requests that disclose nothing under P5 do not depend on the log.
    const operator = await server.token({ sub: 'op-1', role: 'operator' });
    const ordinary = await server.gql(`query($id: ID!) { client(id: $id) { phones } }`, { id: canary.client.id }, operator);
    expect(ordinary.body).toMatchObject({ data: { client: { phones: canary.client.phones } } });
  } finally {
    await db.orm.em.getConnection().execute(`grant insert on disclosure_log to ${ROLE}`);
  }
});

it('with the log unwritable, an authority gets none of its request\'s subjects (the list is withheld, not emptied)', async () => {
  expect(JSON.stringify((await server.gql(`{ authorityRequestSubjects { edges { node { phones } } } }`, {}, authorityToken)).body)).toContain(canary.client.phones[0]!);
  await withLogUnwritable(async () => {
    await withheld(await server.gql(`{ authorityRequestSubjects { edges { node { id fullName phones } } } }`, {}, authorityToken));
  });
});

it('with the log unwritable, the access export is withheld: with personal values, and without any (the export itself is logged)', async () => {
  const subject = await server.token({ sub: canary.client.id, role: 'client' });
  await withLogUnwritable(async () => {
    await withheld(await server.gql(`{ myData { client { fullName phones } orders { contactPhone } } }`, {}, subject));
    const amounts = await server.gql(`{ myData { consents { status } orders { amount } } }`, {}, subject);
    await withheld(amounts);
    expect(amounts.body.data).toBeNull();
  });
  expect((await server.gql(`{ myData { consents { status } } }`, {}, subject)).body.errors).toBeUndefined();
});

it('an incremental (streamed) response cannot slip through: a failed write replaces it by one without data', async () => {
  const em = appOrm.em.fork();
  const disclosures = new DisclosureBatch();
  disclosures.add(subjectAccessRecipient({ sub: canary.client.id, tokenId: null } as never), canary.client.id, { path: 'myData.client.phones', category: 'PHONE', access: 'FULL' });
  const warnings: string[] = [];
  const metrics = createMetrics();
  const contextValue = { em, metrics, requestId: 'incremental-test', privacy: { disclosures, query: { operationName: null, queryHash: null } }, log: { error: (_: unknown, m: string) => warnings.push(m), warn: (_: unknown, m: string) => warnings.push(m) } };
  const response: any = {
    http: { status: undefined, headers: new Map() },
    body: { kind: 'incremental', initialResult: { data: { myData: { client: { phones: canary.client.phones } } }, hasNext: true }, subsequentResults: (async function* () {})() },
  };
  const listener = await disclosurePlugin.requestDidStart!({ contextValue } as never);
  await withLogUnwritable(async () => {
    await listener!.willSendResponse!({ response, contextValue } as never);
  });
  expect(response.body).toEqual({ kind: 'single', singleResult: { data: null, errors: [{ message: 'The disclosure log cannot be written: personal data withheld', extensions: { code: 'DISCLOSURE_LOG_UNAVAILABLE' } }] } });
  expect(response.http.status).toBe(503);
  expect(warnings).toEqual(['disclosure log write failed']);
  expect(await metrics.registry.getSingleMetricAsString('kzpay_disclosure_log_failures_total')).toContain('kzpay_disclosure_log_failures_total{reason="WRITE_FAILED"} 1');
  expect(await logRows(db.orm.em.fork(), 'request_id = ?', ['incremental-test'])).toEqual([]);
});

it('the append-only triggers refuse UPDATE and DELETE even to the table owner', async () => {
  const admin = db.orm.em.getConnection();
  await expect(admin.execute(`update disclosure_log set purpose = 'x'`)).rejects.toThrow(/append-only/);
  await expect(admin.execute(`delete from disclosure_log`)).rejects.toThrow(/append-only/);
  await expect(admin.execute(`truncate disclosure_log`)).rejects.toThrow(/append-only/);
});
