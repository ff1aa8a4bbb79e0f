import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { requestWithdrawal, type ConsentAct } from '../../src/consent/consent-lifecycle';
import { ConsentChannel } from '../../src/consent/consent.entity';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../src/consent/retention';
import { ormOptions } from '../../src/db/orm';
import { placeholders } from '../../src/db/sql';
import { runJobs } from '../../src/jobs/run-jobs';
import { startJobScheduler } from '../../src/jobs/scheduler';
import { codes, startTestServer, type TestServer } from '../support/harness';
import { consentHistory, placeOrder, registerClient, type Registered } from './lifecycle-support';

let server: TestServer;
let operator: string;
beforeAll(async () => {
  server = await startTestServer();
  operator = await server.token({ sub: 'op-1', role: 'operator' });
});
afterAll(() => server.close());

const DAY = 86_400_000;
const NOTICE_AT = new Date('2031-03-10T06:00:00Z');
const act = (now: Date): ConsentAct => ({ actor: 'SUBJECT', actorId: null, channel: ConsentChannel.WEB, evidence: { userAgent: 'test', ipPrefix: null }, now });
const em = () => server.db.orm.em.fork();
const sql = <T = any>(query: string, params: unknown[] = []) => em().getConnection().execute<T[]>(query, params);

/** A client with a withdrawal requested at NOTICE_AT; returns its effective instant. */
async function pendingWithdrawal(client: Registered): Promise<Date> {
  const result = await requestWithdrawal(em(), client.clientId, { notice: 'Stop.', requestedDay: null }, act(NOTICE_AT));
  return result.consent.withdrawalEffectiveAt!;
}

const run = (now: Date, retention: RetentionPolicy = DEFAULT_RETENTION) => runJobs({ em: server.db.orm.em, now: () => now, retention });
const clientRow = async (id: string) => (await sql(`select status, surname, login, phones from client where id = ?`, [id]))[0];
const ME = `{ me { id status surname phones } }`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;

describe('pending withdrawals take effect on their date (P3)', () => {
  it('nothing happens before the date; on it, a WITHDRAWN record, and by default the contact data is depersonalised at once', async () => {
    const client = await registerClient(server);
    const orderId = await placeOrder(server, client.token, { contactPhone: client.input.phones[0] });
    await sql(`update client_order set status = 'COMPLETED', completed_at = ? where id = ?`, [NOTICE_AT, orderId]);
    const effectiveAt = await pendingWithdrawal(client);

    const early = await run(new Date(effectiveAt.getTime() - 1));
    expect(early.withdrawalsApplied).toBe(0);
    expect((await consentHistory(server.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWAL_PENDING');

    const report = await run(effectiveAt);
    expect(report).toMatchObject({ withdrawalsApplied: 1, clientsDepersonalised: 1, failures: 0 });
    const history = await consentHistory(server.db.orm.em, client.clientId);
    expect(history.map((r) => r.kind)).toEqual(['GIVEN', 'WITHDRAWAL_REQUESTED', 'WITHDRAWN']);
    expect(history.at(-1)).toMatchObject({ status: 'WITHDRAWN', actor: 'SYSTEM' });
    expect(await clientRow(client.clientId)).toEqual({ status: 'ERASED', surname: null, login: null, phones: [] });
    const [order] = await sql(`select client_id, tombstone_id, contact_phone, status from client_order where id = ?`, [orderId]);
    expect(order).toMatchObject({ client_id: null, contact_phone: null, status: 'COMPLETED', tombstone_id: expect.any(String) });
    const [receipt] = await sql(`select basis, actor_role, actor_id from erasure_receipt where client_id = ?`, [client.clientId]);
    expect(receipt).toEqual({ basis: 'RETENTION_ENDED', actor_role: 'SYSTEM', actor_id: 'jobs' });

    // No more service (P3): the account is gone, so is the login.
    expect(codes(await server.gql(LOGIN, { l: client.input.login, p: client.input.password }))).toEqual(['UNAUTHENTICATED']);
  });

  it('open obligations hold the withdrawal back past its date until they are fulfilled', async () => {
    const client = await registerClient(server);
    const orderId = await placeOrder(server, client.token);
    const effectiveAt = await pendingWithdrawal(client);

    const held = await run(new Date(effectiveAt.getTime() + 30 * DAY));
    expect(held).toMatchObject({ withdrawalsApplied: 0, withdrawalsWaiting: 1 });
    expect((await consentHistory(server.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWAL_PENDING');
    expect(codes(await server.gql(`{ me { id } }`, {}, client.token))).toEqual([]);

    await sql(`update client_order set status = 'COMPLETED', completed_at = ? where id = ?`, [new Date(effectiveAt.getTime() + 31 * DAY), orderId]);
    const applied = await run(new Date(effectiveAt.getTime() + 32 * DAY));
    expect(applied.withdrawalsApplied).toBe(1);
  });

  it('with a grace period, the withdrawn client keeps its data, hidden from operators, refused service, until the period ends', async () => {
    const retention = { ...DEFAULT_RETENTION, contactDaysAfterConsentEnds: 30 };
    const client = await registerClient(server);
    const effectiveAt = await pendingWithdrawal(client);
    await run(effectiveAt, retention);
    expect((await consentHistory(server.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWN');
    expect((await clientRow(client.clientId)).status).toBe('ACTIVE');

    const self = await server.gql(ME, {}, client.token);
    expect(self.body.data!.me.phones).toEqual(client.input.phones);
    const byOperator = await server.gql(`query($id: ID!) { client(id: $id) { phones } }`, { id: client.clientId }, operator);
    expect(byOperator.body.data!.client.phones).toBeNull();
    expect(byOperator.body.extensions!.redactions).toEqual([expect.objectContaining({ reason: 'CONSENT' })]);
    const order = await server.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 1, priceTiyn: 100 }] }) { id } }`, {}, client.token);
    expect(codes(order)).toEqual(['FORBIDDEN']);

    expect((await run(new Date(effectiveAt.getTime() + 29 * DAY), retention)).clientsDepersonalised).toBe(0);
    expect((await run(new Date(effectiveAt.getTime() + 31 * DAY), retention)).clientsDepersonalised).toBe(1);
    expect((await clientRow(client.clientId)).status).toBe('ERASED');
  });
});

describe('expiry and retention purges', () => {
  it('consent past its expiresAt becomes EXPIRED (and its contact data goes)', async () => {
    const client = await registerClient(server);
    const expiresAt = new Date('2032-01-01T00:00:00Z');
    await sql(
      `insert into consent (id, client_id, kind, status, policy_version, policy_text_hash, operations, purposes, channel, evidence, actor, given_at, recorded_at, expires_at)
       select gen_random_uuid(), client_id, 'GIVEN', 'ACTIVE', policy_version, policy_text_hash, operations, purposes, channel, evidence, 'SUBJECT', given_at, now(), ?
         from consent where client_id = ?`,
      [expiresAt, client.clientId],
    );
    expect((await run(new Date(expiresAt.getTime() - 1))).consentsExpired).toBe(0);
    expect((await run(expiresAt)).consentsExpired).toBe(1);
    expect((await consentHistory(server.db.orm.em, client.clientId)).at(-1)).toMatchObject({ kind: 'EXPIRED', status: 'EXPIRED' });
    expect((await clientRow(client.clientId)).status).toBe('ERASED');
  });

  it('finished orders are deleted 5 years after completion; unfinished and younger ones stay', async () => {
    const client = await registerClient(server);
    const [old, young, open] = [await placeOrder(server, client.token), await placeOrder(server, client.token), await placeOrder(server, client.token)];
    await sql(`update client_order set status = 'COMPLETED', completed_at = '2030-06-01T00:00:00Z' where id = ?`, [old]);
    await sql(`update client_order set status = 'COMPLETED', completed_at = '2031-06-01T00:00:00Z' where id = ?`, [young]);
    await sql(`update client_order set created_at = '2020-01-01T00:00:00Z' where id = ?`, [open]);
    const report = await run(new Date('2035-12-31T00:00:00Z'));
    expect(report.ordersPurged).toBeGreaterThanOrEqual(1);
    const left = (await sql<{ id: string }>(`select id from client_order where id in (?, ?, ?)`, [old, young, open])).map((r) => r.id).sort();
    expect(left).toEqual([young, open].sort());
  });

  it('consent records are purged 5 years after the consent ended, and only then', async () => {
    const client = await registerClient(server);
    const effectiveAt = await pendingWithdrawal(client);
    await run(effectiveAt);
    const ended = (await consentHistory(server.db.orm.em, client.clientId)).at(-1)!.recorded_at as Date;
    const fiveYears = new Date(ended);
    fiveYears.setUTCFullYear(fiveYears.getUTCFullYear() + 5);
    await run(fiveYears);
    expect(await consentHistory(server.db.orm.em, client.clientId)).toHaveLength(3);
    expect((await run(new Date(fiveYears.getTime() + 1))).consentRecordsPurged).toBeGreaterThanOrEqual(3);
    expect(await consentHistory(server.db.orm.em, client.clientId)).toEqual([]);
  });
});

describe('several runners at once', () => {
  it('two runners started together do each transition exactly once', async () => {
    const clients: Registered[] = [];
    for (let i = 0; i < 12; i++) clients.push(await registerClient(server));
    const dates: Date[] = [];
    for (const client of clients) dates.push(await pendingWithdrawal(client));
    const now = new Date(Math.max(...dates.map((d) => d.getTime())));
    // A second ORM: its own connection pool, as a second server instance would have.
    const other = await MikroORM.init(ormOptions(server.db.url));
    try {
      const reports = await Promise.all([
        runJobs({ em: server.db.orm.em, now: () => now }),
        runJobs({ em: other.em, now: () => now }),
        runJobs({ em: server.db.orm.em, now: () => now }),
      ]);
      expect(reports.reduce((sum, r) => sum + r.withdrawalsApplied, 0)).toBe(clients.length);
      expect(reports.every((r) => r.failures === 0)).toBe(true);
    } finally {
      await other.close(true);
    }
    const ids = clients.map((c) => c.clientId);
    const withdrawn = await sql<{ client_id: string; n: number }>(
      `select client_id, count(*)::int as n from consent where kind = 'WITHDRAWN' and client_id in (${placeholders(ids)}) group by client_id`,
      ids,
    );
    expect(withdrawn).toHaveLength(clients.length);
    expect(withdrawn.every((r) => r.n === 1)).toBe(true);
    const receipts = await sql<{ n: number }>(`select count(*)::int as n from erasure_receipt where client_id in (${placeholders(ids)})`, ids);
    expect(receipts[0]!.n).toBe(clients.length);

    // Idempotent: running again changes nothing.
    const again = await runJobs({ em: server.db.orm.em, now: () => now });
    expect(again).toMatchObject({ withdrawalsApplied: 0, consentsExpired: 0, clientsDepersonalised: 0, failures: 0 });
  });
});

describe('the in-process scheduler', () => {
  it('runs the jobs at start and stops cleanly, waiting for a run in progress', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const stop = startJobScheduler(server.db.orm, log, 60_000);
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(lines.some((l) => l.includes('lifecycle jobs ran'))).toBe(true);
  });
});
