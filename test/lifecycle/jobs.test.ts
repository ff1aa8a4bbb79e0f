import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { throttleKeys } from '../../src/auth/login-throttle';
import { main as jobsCli } from '../../src/cli/jobs';
import { Client, ClientStatus } from '../../src/clients/client.entity';
import { optOutOfMarketing, requestWithdrawal } from '../../src/consent/consent-lifecycle';
import { recordInitialConsent } from '../../src/consent/consent.service';
import { Consent, ConsentChannel, ConsentEventKind } from '../../src/consent/consent.entity';
import { addYears, DEFAULT_RETENTION, type RetentionPolicy } from '../../src/consent/retention';
import { ormOptions } from '../../src/db/orm';
import { placeholders } from '../../src/db/sql';
import { runJobs } from '../../src/jobs/run-jobs';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../../src/privacy/categories';
import { startJobScheduler } from '../../src/jobs/scheduler';
import { codes, TEST_JWT_SECRET } from '../support/server';
import { act, consentHistory } from '../support/lifecycle';
import { PLACE_ORDER, placeOrder, registerClient, type Registered } from '../support/accounts';
import { DAY, useWorld } from '../support/world';

const world = useWorld();

const NOTICE_AT = new Date('2031-03-10T06:00:00Z');

/** A client with a withdrawal requested at NOTICE_AT; returns its effective instant. */
async function pendingWithdrawal(client: Registered): Promise<Date> {
  const result = await requestWithdrawal(world.em(), client.clientId, { notice: 'Stop.', requestedDay: null }, act(NOTICE_AT));
  return result.consent.withdrawalEffectiveAt!;
}

const silent = pino({ level: 'silent' });
const jobs = (orm: { em: typeof world.db.orm.em }, now: Date, retention: RetentionPolicy = DEFAULT_RETENTION) =>
  runJobs({ em: orm.em, now: () => now, retention, log: silent, throttleSecret: TEST_JWT_SECRET });
const run = (now: Date, retention: RetentionPolicy = DEFAULT_RETENTION) => jobs(world.db.orm, now, retention);
const clientRow = async (id: string) => (await world.sql(`select status, surname, login, phones from client where id = ?`, [id]))[0];
const ME = `{ me { id status surname phones } }`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
const throttleRow = async (login: string) => {
  const [key] = throttleKeys(world.config, login, null);
  return (await world.sql(`select failures from login_throttle where key_hash = ?`, [key!.hash]))[0] ?? null;
};

describe('pending withdrawals take effect on their date (P3)', () => {
  it('nothing happens before the date; on it, a WITHDRAWN record, and by default the contact data is depersonalised at once', async () => {
    const client = await registerClient(world);
    const orderId = await placeOrder(world, client.token, { contactPhone: client.input.phones[0] });
    await world.sql(`update client_order set status = 'COMPLETED', completed_at = ? where id = ?`, [NOTICE_AT, orderId]);
    const effectiveAt = await pendingWithdrawal(client);
    await world.gql(LOGIN, { l: client.input.login, p: 'a wrong password' });
    expect(await throttleRow(client.input.login)).toEqual({ failures: 1 });

    const early = await run(new Date(effectiveAt.getTime() - 1));
    expect(early.withdrawalsApplied).toBe(0);
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWAL_PENDING');

    const report = await run(effectiveAt);
    expect(report).toMatchObject({ withdrawalsApplied: 1, clientsDepersonalised: 1, failures: 0 });
    const history = await consentHistory(world.db.orm.em, client.clientId);
    expect(history.map((r) => r.kind)).toEqual(['GIVEN', 'WITHDRAWAL_REQUESTED', 'WITHDRAWN']);
    expect(history.at(-1)).toMatchObject({ status: 'WITHDRAWN', actor: 'SYSTEM', channel: 'SYSTEM' });
    expect(await clientRow(client.clientId)).toEqual({ status: 'ERASED', surname: null, login: null, phones: [] });
    // Kept under a new id: the one the client was given leads nowhere.
    expect(await world.sql(`select id from client_order where id = ?`, [orderId])).toEqual([]);
    const [order] = await world.sql(`select client_id, tombstone_id, contact_phone, status from client_order where completed_at = ? and client_id is null`, [NOTICE_AT]);
    expect(order).toMatchObject({ client_id: null, contact_phone: null, status: 'COMPLETED', tombstone_id: expect.any(String) });
    const [receipt] = await world.sql(`select basis, actor_role, actor_id from erasure_receipt where client_id = ?`, [client.clientId]);
    expect(receipt).toEqual({ basis: 'RETENTION_ENDED', actor_role: 'SYSTEM', actor_id: 'jobs' });

    // No more service (P3): the account is gone, so is the login, its brute-force counter and every token issued before.
    expect(await throttleRow(client.input.login)).toBeNull();
    expect(codes(await world.gql(ME, {}, client.token))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await world.gql(PLACE_ORDER, { input: { items: [{ name: 'Tea', quantity: 1, priceTiyn: 100 }] } }, client.token))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await world.gql(LOGIN, { l: client.input.login, p: client.input.password }))).toEqual(['UNAUTHENTICATED']);
  });

  it('open obligations hold the withdrawal back past its date until they are fulfilled', async () => {
    const client = await registerClient(world);
    const orderId = await placeOrder(world, client.token);
    const effectiveAt = await pendingWithdrawal(client);

    const held = await run(new Date(effectiveAt.getTime() + 30 * DAY));
    expect(held).toMatchObject({ withdrawalsApplied: 0, withdrawalsWaiting: 1 });
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWAL_PENDING');
    expect(codes(await world.gql(`{ me { id } }`, {}, client.token))).toEqual([]);

    await world.sql(`update client_order set status = 'COMPLETED', completed_at = ? where id = ?`, [new Date(effectiveAt.getTime() + 31 * DAY), orderId]);
    const applied = await run(new Date(effectiveAt.getTime() + 32 * DAY));
    expect(applied.withdrawalsApplied).toBe(1);
  });

  it('with a grace period, the withdrawn client keeps its data, hidden from operators, refused service, until the period ends', async () => {
    const retention = { ...DEFAULT_RETENTION, contactDaysAfterConsentEnds: 30 };
    const client = await registerClient(world);
    const effectiveAt = await pendingWithdrawal(client);
    await run(effectiveAt, retention);
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWN');
    expect((await clientRow(client.clientId)).status).toBe('ACTIVE');

    const self = await world.gql(ME, {}, client.token);
    expect(self.body.data!.me.phones).toEqual(client.input.phones);
    const byOperator = await world.gql(`query($id: ID!) { client(id: $id) { phones } }`, { id: client.clientId }, world.tokens.operator);
    expect(byOperator.body.data!.client.phones).toBeNull();
    expect(byOperator.body.extensions!.redactions).toEqual([expect.objectContaining({ reason: 'CONSENT' })]);
    const order = await world.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 1, priceTiyn: 100 }] }) { id } }`, {}, client.token);
    expect(codes(order)).toEqual(['FORBIDDEN']);

    expect((await run(new Date(effectiveAt.getTime() + 29 * DAY), retention)).clientsDepersonalised).toBe(0);
    expect((await run(new Date(effectiveAt.getTime() + 31 * DAY), retention)).clientsDepersonalised).toBe(1);
    expect((await clientRow(client.clientId)).status).toBe('ERASED');
  });
});

describe('expiry and retention purges', () => {
  it('consent given for a term (CONSENT_TERM_YEARS) carries its expiresAt forward and becomes EXPIRED then (and its contact data goes)', async () => {
    const client = await registerClient(world, { marketing: true });
    const givenAt = new Date('2030-02-28T12:00:00Z');
    const fork = world.em();
    recordInitialConsent(fork, fork.getReference(Client, client.clientId), {
      marketing: true, channel: ConsentChannel.WEB, evidence: { userAgent: 'test', ipPrefix: null }, at: givenAt, termYears: 2,
    });
    await fork.flush();
    const expiresAt = new Date('2032-02-28T12:00:00Z');
    await optOutOfMarketing(world.em(), client.clientId, act(new Date('2031-01-01T00:00:00Z')));
    const history = await consentHistory(world.db.orm.em, client.clientId);
    expect(history.slice(-2).map((r) => [r.kind, new Date(r.expires_at).toISOString()])).toEqual([
      ['GIVEN', expiresAt.toISOString()],
      ['PURPOSES_NARROWED', expiresAt.toISOString()],
    ]);

    expect((await run(new Date(expiresAt.getTime() - 1))).consentsExpired).toBe(0);
    expect((await run(expiresAt)).consentsExpired).toBe(1);
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)).toMatchObject({ kind: 'EXPIRED', status: 'EXPIRED', actor: 'SYSTEM' });
    expect((await clientRow(client.clientId)).status).toBe('ERASED');
  });

  it('open obligations hold an expiry back past expiresAt, and the report counts it as waiting until they are fulfilled', async () => {
    const client = await registerClient(world);
    const orderId = await placeOrder(world, client.token);
    const fork = world.em();
    recordInitialConsent(fork, fork.getReference(Client, client.clientId), {
      marketing: false, channel: ConsentChannel.WEB, evidence: { userAgent: 'test', ipPrefix: null }, at: new Date('2030-02-28T12:00:00Z'), termYears: 2,
    });
    await fork.flush();
    const expiresAt = new Date('2032-02-28T12:00:00Z');

    expect(await run(new Date(expiresAt.getTime() + DAY))).toMatchObject({ consentsExpired: 0, expiriesWaiting: 1, failures: 0 });
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.kind).toBe('GIVEN');

    await world.sql(`update client_order set status = 'COMPLETED', completed_at = ? where id = ?`, [new Date(expiresAt.getTime() + 2 * DAY), orderId]);
    expect(await run(new Date(expiresAt.getTime() + 3 * DAY))).toMatchObject({ consentsExpired: 1, expiriesWaiting: 0 });
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)).toMatchObject({ kind: 'EXPIRED', status: 'EXPIRED' });
  });

  it('expired sessions and reset tokens are purged at once, security events after RetentionPolicy.securityEventDays', async () => {
    const client = await registerClient(world);
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const session = (expiresAt: Date) =>
      world.sql<{ id: string }>(`insert into session (id, token_hash, client_id, token_version, created_at, expires_at) values (gen_random_uuid(), md5(random()::text), ?, 0, ?, ?) returning id`, [client.clientId, ago(DAY), expiresAt]);
    const reset = (expiresAt: Date) =>
      world.sql<{ id: string }>(`insert into password_reset (id, token_hash, client_id, created_at, expires_at) values (gen_random_uuid(), md5(random()::text), ?, ?, ?) returning id`, [client.clientId, ago(DAY), expiresAt]);
    const event = (at: Date) =>
      world.sql<{ id: string }>(`insert into security_event (id, kind, client_id, actor_role, actor_sub, at) values (gen_random_uuid(), 'PASSWORD_CHANGED', ?, 'client', ?, ?) returning id`, [client.clientId, client.clientId, at]);
    const [[deadSession], [liveSession], [deadReset], [liveReset], [oldEvent], [recentEvent]] = await Promise.all([
      session(ago(1000)), session(new Date(now.getTime() + 3_600_000)),
      reset(ago(1000)), reset(new Date(now.getTime() + 600_000)),
      event(ago(31 * DAY)), event(ago(29 * DAY)),
    ]);

    const report = await run(now, { ...DEFAULT_RETENTION, securityEventDays: 30 });
    expect(report.sessionsPurged).toBeGreaterThanOrEqual(1);
    expect(report.passwordResetsPurged).toBeGreaterThanOrEqual(1);
    expect(report.securityEventsPurged).toBeGreaterThanOrEqual(1);
    const left = async (table: string, ids: string[]) => (await world.sql<{ id: string }>(`select id from ${table} where id in (?, ?)`, ids)).map((r) => r.id);
    expect(await left('session', [deadSession!.id, liveSession!.id])).toEqual([liveSession!.id]);
    expect(await left('password_reset', [deadReset!.id, liveReset!.id])).toEqual([liveReset!.id]);
    expect(await left('security_event', [oldEvent!.id, recentEvent!.id])).toEqual([recentEvent!.id]);
  });

  it("an erasure request's evidence goes when consent records would, counted from the erasure; the request and receipt stay", async () => {
    const erasedOne = async (erasedAt: Date) => {
      const client = await registerClient(world);
      await world.gql(`mutation { requestErasure { id } }`, {}, client.token);
      const dpo = world.tokens.dpo;
      const erased = await world.gql(`mutation($id: ID!) { eraseClient(clientId: $id, basis: SUBJECT_REQUEST) { id } }`, { id: client.clientId }, dpo);
      expect(erased.body.errors).toBeUndefined();
      await world.sql(`update erasure_receipt set erased_at = ? where client_id = ?`, [erasedAt, client.clientId]);
      return client.clientId;
    };
    const now = new Date();
    const old = await erasedOne(new Date(now.getTime() - (5 * 365 + 2) * DAY));
    const young = await erasedOne(new Date(now.getTime() - 4 * 365 * DAY));
    const evidence = async (id: string) => (await world.sql<{ evidence: unknown; status: string }>(`select evidence, status from erasure_request where client_id = ?`, [id]))[0];
    expect((await evidence(old))!.evidence).toMatchObject({ userAgent: expect.any(String) });
    const report = await run(now);
    expect(report.erasureEvidencePurged).toBe(1);
    expect(await evidence(old)).toEqual({ evidence: { userAgent: null, ipPrefix: null }, status: 'DONE' });
    expect((await evidence(young))!.evidence).toMatchObject({ userAgent: expect.any(String) });
    expect((await run(now)).erasureEvidencePurged).toBe(0);
  });

  it('finished orders are deleted 5 years after completion; unfinished and younger ones stay', async () => {
    const client = await registerClient(world);
    const [old, young, open] = [await placeOrder(world, client.token), await placeOrder(world, client.token), await placeOrder(world, client.token)];
    await world.sql(`update client_order set status = 'COMPLETED', completed_at = '2030-06-01T00:00:00Z' where id = ?`, [old]);
    await world.sql(`update client_order set status = 'COMPLETED', completed_at = '2031-06-01T00:00:00Z' where id = ?`, [young]);
    await world.sql(`update client_order set created_at = '2020-01-01T00:00:00Z' where id = ?`, [open]);
    const report = await run(new Date('2035-12-31T00:00:00Z'));
    expect(report.ordersPurged).toBeGreaterThanOrEqual(1);
    const left = (await world.sql<{ id: string }>(`select id from client_order where id in (?, ?, ?)`, [old, young, open])).map((r) => r.id).sort();
    expect(left).toEqual([young, open].sort());
  });

  it('consent records are purged 5 years after the consent ended, and only then, by the database\'s clock', async () => {
    /** An erased client whose consent ended at `endedAt`, its history written as the years went by. */
    const endedOne = async (endedAt: Date) => {
      const fork = world.em();
      const client = fork.create(Client, { status: ClientStatus.ERASED });
      for (const [kind, status, at] of [[ConsentEventKind.GIVEN, 'ACTIVE', -DAY], [ConsentEventKind.WITHDRAWN, 'WITHDRAWN', 0]] as const) {
        fork.create(Consent, { client, kind, status, policyVersion: 'test', policyTextHash: 'test', operations: [...CONSENT_OPERATIONS], purposes: [...CONSENT_PURPOSES], recordedAt: new Date(endedAt.getTime() + at) });
      }
      await fork.flush();
      return client.id;
    };
    const now = new Date();
    const fiveYearsAgo = addYears(now, -5);
    const due = await endedOne(new Date(fiveYearsAgo.getTime() - 2 * DAY));
    const young = await endedOne(new Date(fiveYearsAgo.getTime() + 2 * DAY));
    // A longer configured retention keeps both.
    await run(now, { ...DEFAULT_RETENTION, consentRecordYearsAfterEnd: 6 });
    expect(await consentHistory(world.db.orm.em, due)).toHaveLength(2);
    // A runner whose clock runs ahead (or a caller passing any cutoff) cannot purge what the law still keeps.
    await run(addYears(now, 10));
    expect(await consentHistory(world.db.orm.em, young)).toHaveLength(2);
    expect(await consentHistory(world.db.orm.em, due)).toEqual([]);
    expect((await run(now)).consentRecordsPurged).toBe(0);
  });
});

describe('several runners at once', () => {
  it('two runners started together do each transition exactly once', async () => {
    const clients: Registered[] = [];
    for (let i = 0; i < 12; i++) clients.push(await registerClient(world));
    const dates: Date[] = [];
    for (const client of clients) dates.push(await pendingWithdrawal(client));
    const now = new Date(Math.max(...dates.map((d) => d.getTime())));
    // A second ORM: its own connection pool, as a second server instance would have.
    const other = await MikroORM.init(ormOptions(world.db.url));
    try {
      const reports = await Promise.all([
        jobs(world.db.orm, now),
        jobs(other, now),
        jobs(world.db.orm, now),
      ]);
      expect(reports.reduce((sum, r) => sum + r.withdrawalsApplied, 0)).toBe(clients.length);
      expect(reports.every((r) => r.failures === 0)).toBe(true);
    } finally {
      await other.close(true);
    }
    const ids = clients.map((c) => c.clientId);
    const withdrawn = await world.sql<{ client_id: string; n: number }>(
      `select client_id, count(*)::int as n from consent where kind = 'WITHDRAWN' and client_id in (${placeholders(ids)}) group by client_id`,
      ids,
    );
    expect(withdrawn).toHaveLength(clients.length);
    expect(withdrawn.every((r) => r.n === 1)).toBe(true);
    const receipts = await world.sql<{ n: number }>(`select count(*)::int as n from erasure_receipt where client_id in (${placeholders(ids)})`, ids);
    expect(receipts[0]!.n).toBe(clients.length);

    // Idempotent: running again changes nothing.
    const again = await run(now);
    expect(again).toMatchObject({ withdrawalsApplied: 0, consentsExpired: 0, clientsDepersonalised: 0, failures: 0 });
  });
});

describe('failures', () => {
  it("one client's failure is rolled back, counted and logged by client id, error name and SQL code, never a value; the next run retries", async () => {
    const client = await registerClient(world);
    const effectiveAt = await pendingWithdrawal(client);
    // The message quotes a personal value, as a database error can: the log must not carry it.
    await world.sql(`create function test_fail_jobs() returns trigger language plpgsql as $$
      begin if new.client_id = '${client.clientId}' then raise exception 'refused for %', '${client.input.login}' using errcode = 'P0042'; end if; return new; end $$`);
    await world.sql(`create trigger test_fail_jobs before insert on erasure_receipt for each row execute function test_fail_jobs()`);
    const lines: string[] = [];
    try {
      const report = await runJobs({
        em: world.db.orm.em, now: () => effectiveAt, log: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }), throttleSecret: TEST_JWT_SECRET,
      });
      expect(report.failures).toBe(1);
    } finally {
      await world.sql(`drop trigger test_fail_jobs on erasure_receipt`);
      await world.sql(`drop function test_fail_jobs()`);
    }
    // Withdrawal and depersonalisation are one transaction: neither happened.
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWAL_PENDING');
    expect((await clientRow(client.clientId)).status).toBe('ACTIVE');
    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.clientId === client.clientId);
    expect(failed).toEqual([expect.objectContaining({ level: 50, job: 'withdrawal', clientId: client.clientId, errorName: expect.any(String), sqlState: 'P0042' })]);
    expect(lines.join('\n')).not.toContain(client.input.login);
    expect(lines.join('\n')).not.toContain('refused for');

    expect(await run(effectiveAt)).toMatchObject({ withdrawalsApplied: 1, failures: 0 });
  });
});

describe('npm run jobs -- --once (src/cli/jobs.ts)', () => {
  it('runs the jobs once against DATABASE_URL, prints the report as one JSON line, and applies a due withdrawal', async () => {
    const client = await registerClient(world);
    // The CLI runs on the real clock: a notice four months ago is due now.
    const noticeAt = new Date(Date.now() - 125 * DAY);
    await requestWithdrawal(world.em(), client.clientId, { notice: 'Stop.', requestedDay: null }, act(noticeAt));
    const lines: string[] = [];
    const report = await jobsCli(['--once'], { NODE_ENV: 'test', DATABASE_URL: world.db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }, (line) => lines.push(line));

    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual(report);
    expect(report).toMatchObject({ withdrawalsApplied: 1, clientsDepersonalised: 1, failures: 0 });
    expect(Object.keys(report!).sort()).toEqual([
      'clientsDepersonalised', 'consentRecordsPurged', 'consentsExpired', 'erasureEvidencePurged', 'expiriesWaiting', 'failures', 'ordersPurged', 'passwordResetsPurged',
      'securityEventsPurged', 'sessionsPurged', 'withdrawalsApplied', 'withdrawalsWaiting',
    ]);
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)).toMatchObject({ kind: 'WITHDRAWN', status: 'WITHDRAWN', actor: 'SYSTEM' });
    expect((await clientRow(client.clientId)).status).toBe('ERASED');
  });

  it('refuses a bad configuration, naming the variable and the rule, and runs nothing', async () => {
    const lines: string[] = [];
    // Accounting law's floor: orders may not be purged after 2 years.
    const env = { NODE_ENV: 'test', DATABASE_URL: world.db.url, JWT_SECRET: TEST_JWT_SECRET, RETENTION_ORDER_YEARS: '2' };
    await expect(jobsCli(['--once'], env, (line) => lines.push(line))).rejects.toThrow(/RETENTION_ORDER_YEARS must be an integer between 5 and 50/);
    // Consent records are proof for 5 years at least, which the purge function enforces anyway.
    await expect(jobsCli(['--once'], { ...env, RETENTION_ORDER_YEARS: '5', RETENTION_CONSENT_RECORD_YEARS: '4' }, (line) => lines.push(line)))
      .rejects.toThrow(/RETENTION_CONSENT_RECORD_YEARS must be an integer between 5 and 50/);
    expect(lines).toEqual([]);
  });
});

describe('the in-process scheduler', () => {
  it('runs the jobs at start and stops cleanly, waiting for a run in progress', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const stop = startJobScheduler(world.db.orm, log, 60_000);
    for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(lines.some((l) => l.includes('lifecycle jobs ran'))).toBe(true);
  });
});
