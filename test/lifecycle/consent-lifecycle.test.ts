import { createHash } from 'node:crypto';
import { Client, ClientStatus } from '../../src/clients/client.entity';
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { cancelWithdrawal, requestWithdrawal } from '../../src/consent/consent-lifecycle';
import { earliestWithdrawalDay, formatDay } from '../../src/consent/withdrawal-dates';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../../src/privacy/categories';
import { privacyPolicy } from '../../src/notice/notice';
import { codes } from '../support/server';
import { act, CONSENT_FIELDS, consentHistory, scanDatabase } from '../support/lifecycle';
import { placeOrder, registerClient } from '../support/accounts';
import { useWorld } from '../support/world';

const world = useWorld();

const OPT_OUT = `mutation($clientId: ID) { optOutOfMarketing(clientId: $clientId) { ${CONSENT_FIELDS} } }`;
const REQUEST = `mutation($notice: String!, $date: Date, $clientId: ID) {
  requestConsentWithdrawal(notice: $notice, requestedDate: $date, clientId: $clientId) {
    status effectiveDate effectiveAt waitsForObligations openObligations { orderId status } consent { ${CONSENT_FIELDS} }
  }
}`;
const CANCEL = `mutation($clientId: ID) { cancelConsentWithdrawal(clientId: $clientId) { ${CONSENT_FIELDS} } }`;
const PHONES = `query($id: ID!) { client(id: $id) { phones } }`;


describe('opting out of marketing (P2 purpose 7)', () => {
  it('appends a PURPOSES_NARROWED record without MARKETING, keeps everything else, and hides nothing', async () => {
    const client = await registerClient(world, { marketing: true });
    const response = await world.gql(OPT_OUT, {}, client.token);
    expect(response.body.errors).toBeUndefined();
    const record = response.body.data!.optOutOfMarketing;
    expect(record).toMatchObject({ kind: 'PURPOSES_NARROWED', status: 'ACTIVE', actor: 'SUBJECT', actorId: null });
    expect(record.purposes).toEqual(['CONTRACT_CONCLUSION', 'CONTRACT_PERFORMANCE', 'SETTLEMENTS', 'LEGAL_DECISIONS', 'SERVICE_INFORMATION', 'THIRD_PARTY_OBLIGATIONS']);
    expect(record.operations).toHaveLength(11);

    const history = await consentHistory(world.db.orm.em, client.clientId);
    expect(history.map((r) => r.kind)).toEqual(['GIVEN', 'PURPOSES_NARROWED']);
    // Each record carries the proof: the policy consented to, and where the act came from (the network, not the address).
    const policy = privacyPolicy();
    for (const record of history) {
      expect(record).toMatchObject({ policy_version: policy.version, policy_text_hash: policy.textHash });
      expect(record.policy_text_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(record.evidence).toEqual({ userAgent: expect.stringMatching(/\S/), ipPrefix: '127.0.0.0/24' });
    }

    const seen = await world.gql(PHONES, { id: client.clientId }, world.tokens.operator);
    expect(seen.body.data!.client.phones).toEqual(client.input.phones);
    expect(seen.body.extensions!.redactions).toEqual([]);
  });

  it('is idempotent: opting out again writes no record', async () => {
    const client = await registerClient(world, { marketing: true });
    await world.gql(OPT_OUT, {}, client.token);
    const again = await world.gql(OPT_OUT, {}, client.token);
    expect(again.body.data!.optOutOfMarketing.kind).toBe('PURPOSES_NARROWED');
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(2);
  });

  it('an operator may record it for a client (actor OPERATOR, with its account id); a client only for itself', async () => {
    const client = await registerClient(world, { marketing: true });
    const other = await registerClient(world, { marketing: true });
    const byOperator = await world.gql(OPT_OUT, { clientId: client.clientId }, world.tokens.operator);
    expect(byOperator.body.data!.optOutOfMarketing).toMatchObject({ actor: 'OPERATOR', actorId: 'op-1', channel: 'OPERATOR' });
    expect(codes(await world.gql(OPT_OUT, { clientId: other.clientId }, client.token))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql(OPT_OUT, {}, world.tokens.operator))).toEqual(['BAD_USER_INPUT']);
  });

  it.each(['OPERATOR', 'PAPER'])('a client may not claim the staff channel %s for itself: BAD_USER_INPUT on channel, nothing written', async (channel) => {
    const client = await registerClient(world, { marketing: true });
    const OPT_OUT_VIA = `mutation($channel: ConsentChannel) { optOutOfMarketing(channel: $channel) { channel } }`;
    const refused = await world.gql(OPT_OUT_VIA, { channel }, client.token);
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors![0]!.extensions!.field).toBe('channel');
    const withdrawal = await world.gql(`mutation($channel: ConsentChannel) { requestConsentWithdrawal(notice: "Stop.", channel: $channel) { status } }`, { channel }, client.token);
    expect(codes(withdrawal)).toEqual(['BAD_USER_INPUT']);
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(1);

    // Self-service channels stay open to the client, and staff may record theirs.
    expect((await world.gql(OPT_OUT_VIA, { channel: 'MOBILE' }, client.token)).body.data!.optOutOfMarketing).toEqual({ channel: 'MOBILE' });
    const other = await registerClient(world, { marketing: true });
    const byStaff = await world.gql(`mutation($id: ID, $channel: ConsentChannel) { optOutOfMarketing(clientId: $id, channel: $channel) { channel actor } }`, { id: other.clientId, channel }, world.tokens.operator);
    expect(byStaff.body.data!.optOutOfMarketing).toEqual({ channel, actor: 'OPERATOR' });
  });
});

describe('the channel on record is proof, not a claim', () => {
  it.each(['OPERATOR', 'PAPER', 'SYSTEM'])('registration claiming %s is BAD_USER_INPUT on channel, and no account is made', async (channel) => {
    const clients = async () => (await world.em().getConnection().execute(`select count(*)::int as n from client`))[0].n as number;
    const before = await clients();
    await expect(registerClient(world, { channel })).rejects.toThrow(/"field":"channel"/);
    expect(await clients()).toBe(before);
  });

  it("staff may not record the server's own channel SYSTEM", async () => {
    const client = await registerClient(world, { marketing: true });
    const byStaff = await world.gql(`mutation($id: ID, $channel: ConsentChannel) { optOutOfMarketing(clientId: $id, channel: $channel) { channel } }`, { id: client.clientId, channel: 'SYSTEM' }, world.tokens.operator);
    expect(codes(byStaff)).toEqual(['BAD_USER_INPUT']);
    expect(byStaff.body.errors![0]!.extensions!.field).toBe('channel');
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(1);
  });
});

describe('withdrawal with 3 months notice (P3)', () => {
  it('is WITHDRAWAL_PENDING until the effective date, 3 calendar months after the notice at the earliest', async () => {
    const client = await registerClient(world);
    const response = await world.gql(REQUEST, { notice: 'I withdraw my consent.' }, client.token);
    expect(response.body.errors).toBeUndefined();
    const result = response.body.data!.requestConsentWithdrawal;
    expect(result).toMatchObject({ status: 'WITHDRAWAL_PENDING', waitsForObligations: false, openObligations: [] });
    const noticeAt = new Date(result.consent.withdrawalNoticeAt);
    expect(result.effectiveDate).toBe(formatDay(earliestWithdrawalDay(noticeAt)));
    expect(result.consent).toMatchObject({ kind: 'WITHDRAWAL_REQUESTED', status: 'WITHDRAWAL_PENDING', withdrawalEffectiveAt: result.effectiveAt });
    expect(new Date(result.effectiveAt).getTime() - noticeAt.getTime()).toBeGreaterThan(88 * 86_400_000);
  });

  it('keeps a requested date later than the notice period, and moves an earlier one to its end', async () => {
    const later = await registerClient(world);
    const kept = await world.gql(REQUEST, { notice: 'Please stop.', date: '2099-01-15' }, later.token);
    expect(kept.body.data!.requestConsentWithdrawal.effectiveDate).toBe('2099-01-15');
    expect(kept.body.data!.requestConsentWithdrawal.effectiveAt).toBe('2099-01-14T19:00:00.000Z');

    const early = await registerClient(world);
    const moved = await world.gql(REQUEST, { notice: 'Please stop.', date: '2000-01-01' }, early.token);
    const result = moved.body.data!.requestConsentWithdrawal;
    expect(result.effectiveDate).toBe(formatDay(earliestWithdrawalDay(new Date(result.consent.withdrawalNoticeAt))));
  });

  it('keeps only the SHA-256 and length of the written notice, never its text', async () => {
    const client = await registerClient(world);
    const notice = 'Я, Нұрланов Әлібек, отзываю согласие. Телефон NOTICECANARYqwzx.';
    const response = await world.gql(REQUEST, { notice }, client.token);
    expect(response.body.data!.requestConsentWithdrawal.consent).toMatchObject({
      noticeSha256: createHash('sha256').update(notice, 'utf8').digest('hex'),
      noticeLength: [...notice].length,
    });
    expect(await scanDatabase(world.db.orm.em, ['NOTICECANARYqwzx', 'отзываю согласие'])).toEqual([]);
  });

  it('lists open obligations (unfinished orders: ids and status only) and says the date waits for them', async () => {
    const client = await registerClient(world);
    const orderId = await placeOrder(world, client.token, { contactPhone: client.input.phones[0] });
    const response = await world.gql(REQUEST, { notice: 'Stop, please.' }, client.token);
    const result = response.body.data!.requestConsentWithdrawal;
    expect(result.waitsForObligations).toBe(true);
    expect(result.openObligations).toEqual([{ orderId, status: 'NEW' }]);
  });

  it('a second request while one is pending is a CONFLICT and writes nothing', async () => {
    const client = await registerClient(world);
    await world.gql(REQUEST, { notice: 'Stop.' }, client.token);
    const again = await world.gql(REQUEST, { notice: 'Stop again.' }, client.token);
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.body.errors![0]!.extensions!.reason).toBe('WITHDRAWAL_PENDING');
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(2);
  });

  it('a blank notice is refused without writing', async () => {
    const client = await registerClient(world);
    const response = await world.gql(REQUEST, { notice: '   ' }, client.token);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(1);
  });

  it('the client may cancel before the effective date: back to ACTIVE, as a new record', async () => {
    const client = await registerClient(world);
    await world.gql(REQUEST, { notice: 'Stop.' }, client.token);
    const cancelled = await world.gql(CANCEL, {}, client.token);
    expect(cancelled.body.errors).toBeUndefined();
    expect(cancelled.body.data!.cancelConsentWithdrawal).toMatchObject({
      kind: 'WITHDRAWAL_CANCELLED', status: 'ACTIVE', withdrawalNoticeAt: null, withdrawalEffectiveAt: null,
    });
    expect((await consentHistory(world.db.orm.em, client.clientId)).map((r) => r.kind)).toEqual(['GIVEN', 'WITHDRAWAL_REQUESTED', 'WITHDRAWAL_CANCELLED']);
    const again = await world.gql(CANCEL, {}, client.token);
    expect(again.body.errors![0]!.extensions!.reason).toBe('NO_PENDING_WITHDRAWAL');
  });

  it('an operator may register a written notice but not cancel one; the DPO may do both', async () => {
    const client = await registerClient(world);
    const registered = await world.gql(REQUEST, { notice: 'Letter received 1 Dec', clientId: client.clientId }, world.tokens.operator);
    expect(registered.body.data!.requestConsentWithdrawal.consent).toMatchObject({ actor: 'OPERATOR', actorId: 'op-1' });
    expect(codes(await world.gql(CANCEL, { clientId: client.clientId }, world.tokens.operator))).toEqual(['FORBIDDEN']);
    const byDpo = await world.gql(CANCEL, { clientId: client.clientId }, world.tokens.dpo);
    expect(byDpo.body.data!.cancelConsentWithdrawal).toMatchObject({ actor: 'DPO', actorId: 'dpo-1', status: 'ACTIVE' });
  });

  it('can be cancelled until its date (fake clock), not from then on, unless open obligations still hold it back', async () => {
    const em = world.em();
    const noticeAt = new Date('2030-01-10T08:00:00Z');

    const due = await registerClient(world);
    const dueAt = (await requestWithdrawal(em, due.clientId, { notice: 'Stop.', requestedDay: null }, act(noticeAt))).consent.withdrawalEffectiveAt!;
    await expect(cancelWithdrawal(em, due.clientId, act(dueAt))).rejects.toMatchObject({ extensions: { code: 'CONFLICT', reason: 'WITHDRAWAL_DUE' } });
    await expect(cancelWithdrawal(em, due.clientId, act(new Date(dueAt.getTime() - 1)))).resolves.toMatchObject({ status: 'ACTIVE' });

    const held = await registerClient(world);
    await placeOrder(world, held.token);
    const heldAt = (await requestWithdrawal(em, held.clientId, { notice: 'Stop.', requestedDay: null }, act(noticeAt))).consent.withdrawalEffectiveAt!;
    await expect(cancelWithdrawal(em, held.clientId, act(new Date(heldAt.getTime() + 86_400_000)))).resolves.toMatchObject({ status: 'ACTIVE' });
  });
});

describe('the consent history is append-only in the database', () => {
  const attempt = async (sql: string) => {
    try {
      await world.em().getConnection().execute(sql);
      return 'allowed';
    } catch (error) {
      return String((error as Error).message).includes('append-only') ? 'refused' : `failed: ${(error as Error).message}`;
    }
  };

  it('a plain UPDATE, DELETE or TRUNCATE of consent records is refused', async () => {
    const client = await registerClient(world);
    expect(await attempt(`update consent set purposes = '{}' where client_id = '${client.clientId}'`)).toBe('refused');
    expect(await attempt(`delete from consent where client_id = '${client.clientId}'`)).toBe('refused');
    expect(await attempt(`truncate consent`)).toBe('refused');
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(1);
  });

  it("the purge's door is its owner role, held only while the function runs: the caller, in the same transaction, is refused", async () => {
    const client = await registerClient(world);
    const knex = world.em().getConnection().getKnex();
    const outcome = await knex.transaction(async (trx) => {
      await trx.raw(`select purge_consent_records(now())`);
      const { rows } = await trx.raw(`select current_user as name`);
      const deleted = await trx.raw(`delete from consent where client_id = ?`, [client.clientId]).then(() => 'allowed', (e: Error) => (e.message.includes('append-only') ? 'refused' : e.message));
      return { currentUser: rows[0].name, deleted };
    });
    expect(outcome.currentUser).not.toBe('kzpay_consent_purger');
    expect(outcome.deleted).toBe('refused');
    expect(await consentHistory(world.db.orm.em, client.clientId)).toHaveLength(1);
  });

  it('the purge function deletes only histories that ended before the cutoff, of erased clients', async () => {
    const em = world.em();
    const active = await registerClient(world);
    // An erased client whose consent ended six years ago: past the 5 years the law keeps it as proof.
    const ended = em.create(Client, { status: ClientStatus.ERASED });
    const endedAt = new Date(Date.now() - 6 * 365 * 86_400_000);
    for (const [kind, status, at] of [[ConsentEventKind.GIVEN, 'ACTIVE', -1000], [ConsentEventKind.WITHDRAWN, 'WITHDRAWN', 0]] as const) {
      em.create(Consent, { client: ended, kind, status, policyVersion: 'test', policyTextHash: 'test', operations: [...CONSENT_OPERATIONS], purposes: [...CONSENT_PURPOSES], recordedAt: new Date(endedAt.getTime() + at) });
    }
    await em.flush();
    const [early] = await em.getConnection().execute(`select purge_consent_records(now() - interval '7 years') as n`);
    expect(early.n).toBe(0);
    const [purged] = await em.getConnection().execute(`select purge_consent_records(now()) as n`);
    expect(purged.n).toBe(2);
    expect(await consentHistory(world.db.orm.em, ended.id)).toHaveLength(0);
    expect(await consentHistory(world.db.orm.em, active.clientId)).toHaveLength(1);
  });
});
