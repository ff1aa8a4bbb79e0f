/**
 * P3 month ends against PostgreSQL and the job runner, on the injectable clock: notice day + 3
 * calendar months, clamped to the month's last day, in Kazakhstan days (UTC+5).
 */
import pino from 'pino';
import { Client } from '../../src/clients/client.entity';
import { requestWithdrawal } from '../../src/consent/consent-lifecycle';
import { ConsentChannel } from '../../src/consent/consent.entity';
import { recordInitialConsent } from '../../src/consent/consent.service';
import { runJobs } from '../../src/jobs/run-jobs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_JWT_SECRET } from '../support/server';
import { act, consentHistory } from '../support/lifecycle';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const sql = <T = any>(query: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(query, params);
const run = (now: Date) => runJobs({ em: db.orm.em, now: () => now, log: pino({ level: 'silent' }), throttleSecret: TEST_JWT_SECRET });

let serial = 0;

/** A client whose consent was given well before `noticeAt`, so the notice is the latest act on record. */
async function clientWithConsentBefore(noticeAt: Date): Promise<string> {
  serial += 1;
  const em = db.orm.em.fork();
  const client = em.create(Client, { phones: [`+770100000${String(serial).padStart(2, '0')}`], emails: [], bankAccounts: [], login: `month.end.${serial}` });
  recordInitialConsent(em, client, {
    marketing: false, channel: ConsentChannel.WEB, evidence: { userAgent: 'test', ipPrefix: null }, at: new Date(noticeAt.getTime() - 90 * 86_400_000),
  });
  await em.flush();
  return client.id;
}

const clientState = async (id: string) => ({
  row: (await sql(`select status, phones, login from client where id = ?`, [id]))[0],
  history: await consentHistory(db.orm.em, id),
});

describe('withdrawal at a month end takes effect on the clamped day, at the notice\'s time of day in Almaty (P3)', () => {
  it.each([
    // 23:30 in Almaty on 30 November; 28 February 2027 begins at 19:00 UTC on the 27th, which is
    // still short of 3 months: the notice's 23:30 on the 28th is the first moment.
    ['30 Nov 2026 → 28 Feb 2027', '2026-11-30T18:30:00Z', '2027-02-28', '2027-02-28T18:30:00.000Z', '2027-02-27T19:00:00.000Z'],
    // A leap year: 29 February exists, so 28 February is too early, and so is 00:00 on the 29th.
    ['30 Nov 2027 → 29 Feb 2028 (leap year)', '2027-11-30T18:30:00Z', '2028-02-29', '2028-02-29T18:30:00.000Z', '2028-02-28T19:00:00.000Z'],
  ])('%s: the job runner changes nothing a millisecond before, and applies it at that instant', async (_name, notice, day, effective, tooEarly) => {
    const noticeAt = new Date(notice);
    const clientId = await clientWithConsentBefore(noticeAt);
    const requested = await requestWithdrawal(db.orm.em.fork(), clientId, { notice: 'I withdraw my consent.', requestedDay: null }, act(noticeAt));
    expect({ day: requested.effectiveDay, at: requested.consent.withdrawalEffectiveAt!.toISOString() }).toEqual({ day, at: effective });

    const pending = await clientState(clientId);
    expect(pending.history.at(-1)).toMatchObject({ kind: 'WITHDRAWAL_REQUESTED', status: 'WITHDRAWAL_PENDING' });
    const effectiveAt = new Date(effective);
    for (const early of [tooEarly, new Date(effectiveAt.getTime() - 1).toISOString()].filter((t): t is string => t !== null)) {
      expect(await run(new Date(early))).toMatchObject({ withdrawalsApplied: 0, withdrawalsWaiting: 0, clientsDepersonalised: 0, failures: 0 });
      expect({ early, state: await clientState(clientId) }).toEqual({ early, state: pending });
    }

    expect(await run(effectiveAt)).toMatchObject({ withdrawalsApplied: 1, clientsDepersonalised: 1, failures: 0 });
    const done = await clientState(clientId);
    expect(done.history.map((r) => r.kind)).toEqual(['GIVEN', 'WITHDRAWAL_REQUESTED', 'WITHDRAWN']);
    const withdrawn = done.history.at(-1)!;
    expect({ status: withdrawn.status, actor: withdrawn.actor, at: new Date(withdrawn.recorded_at).toISOString() }).toEqual({ status: 'WITHDRAWN', actor: 'SYSTEM', at: effective });
    expect(done.row).toEqual({ status: 'ERASED', phones: [], login: null });
  });
});
