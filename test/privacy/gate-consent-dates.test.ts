/**
 * P3 dates end consent as soon as they pass, not when the job runner gets round to recording it:
 * a due pending withdrawal or a passed expiry hides the subject from operators, from personal
 * filters, and refuses new orders, with no job run in between (fail closed).
 */
import { requestWithdrawal } from '../../src/consent/consent-lifecycle';
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { consentInForceSql } from '../../src/subjects/subject-state';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../src/privacy/categories';
import { consentCovers, CONSENT_STATUSES, NO_CONSENT, type ConsentStatus } from '../../src/privacy/consent-state';
import { codes } from '../support/server';
import { act, consentHistory } from '../support/lifecycle';
import { PLACE_ORDER, registerClient, type Registered } from '../support/accounts';
import { pathOf } from '../support/redactions';
import { DAY, useWorld } from '../support/world';

const world = useWorld();


/** A withdrawal noticed long ago, so its effective date has passed; no job has run. */
async function dueWithdrawal(client: Registered): Promise<Date> {
  const result = await requestWithdrawal(world.em(), client.clientId, { notice: 'Stop.', requestedDay: null }, act(new Date(Date.now() - 200 * DAY)));
  return result.consent.withdrawalEffectiveAt!;
}

/** Appends an ACTIVE record whose consent term ended yesterday (what the expiry job has not yet recorded). */
async function expiredYesterday(client: Registered): Promise<void> {
  const fork = world.em();
  const latest = await fork.findOneOrFail(Consent, { client: client.clientId }, { orderBy: { recordedAt: 'desc', id: 'desc' } });
  fork.create(Consent, {
    client: latest.client,
    kind: ConsentEventKind.PURPOSES_NARROWED,
    status: 'ACTIVE',
    policyVersion: latest.policyVersion,
    policyTextHash: latest.policyTextHash,
    operations: [...latest.operations],
    purposes: [...latest.purposes],
    givenAt: latest.givenAt,
    recordedAt: new Date(latest.recordedAt.getTime() + 1),
    expiresAt: new Date(Date.now() - DAY),
  });
  await fork.flush();
}

const READ = `query($id: ID!) { client(id: $id) { id fullName phones emails orders { id } consents { id } } }`;
const FIND = `query($phone: String!) { clients(first: 10, filter: { phone: $phone }) { totalCount edges { node { id } } } }`;
const order = (token: string) => world.gql(PLACE_ORDER, { input: { items: [{ name: 'Tea', quantity: 1, priceTiyn: 100 }] } }, token);

describe('the SQL condition is the same rule as consentCovers', () => {
  it('for every status, every position of the dates around now, open orders or none, and the purposes acted under', async () => {
    const now = new Date('2031-06-10T12:00:00.000Z');
    const dates = [null, new Date(now.getTime() - 1000), now, new Date(now.getTime() + 1000)];
    const bases: ConsentPurpose[][] = [['CONTRACT_PERFORMANCE', 'SETTLEMENTS'], ['THIRD_PARTY_OBLIGATIONS'], ['MARKETING']];
    const disagreements: string[] = [];
    for (const purposes of bases) {
      const condition = consentInForceSql(now, purposes);
      for (const status of CONSENT_STATUSES.filter((s): s is Exclude<ConsentStatus, 'NONE'> => s !== 'NONE')) {
        for (const withdrawalEffectiveAt of dates) {
          for (const expiresAt of dates) {
            for (const openObligations of [false, true]) {
              // The CTE stands in for the orders table, so one client either has an open order or none.
              const [row] = await world.em().getConnection().execute<Array<{ v: boolean }>>(
                `with client_order(client_id, status) as (values ('held'::text, 'PAID'::text), ('done'::text, 'COMPLETED'::text))
                 select coalesce(${condition.sql}, false) as v
                   from (values (?::text, ?::timestamptz, ?::timestamptz)) k(status, withdrawal_effective_at, expires_at),
                        (values (?::text)) c(id)`,
                [...condition.params, status, withdrawalEffectiveAt, expiresAt, openObligations ? 'held' : 'done'],
              );
              const state = { ...NO_CONSENT, status, withdrawalEffectiveAt, expiresAt, openObligations, purposes: new Set(CONSENT_PURPOSES) };
              const rule = purposes.every((purpose) => consentCovers(state, purpose, [], now));
              if (row!.v !== rule) {
                disagreements.push(`${purposes} ${status} ${withdrawalEffectiveAt?.toISOString()} ${expiresAt?.toISOString()} open=${openObligations}: sql ${row!.v}, rule ${rule}`);
              }
            }
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('consent ended by its date, before any job runs (P3, fail closed)', () => {
  it('a due pending withdrawal hides the client from an operator, from phone search, and refuses placeOrder', async () => {
    const client = await registerClient(world);
    const effectiveAt = await dueWithdrawal(client);
    expect(effectiveAt.getTime()).toBeLessThan(Date.now());

    const read = await world.gql(READ, { id: client.clientId }, world.tokens.operator);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.client).toEqual({ id: client.clientId, fullName: null, phones: null, emails: null, orders: [], consents: [] });
    const reasons = Object.fromEntries(read.body.extensions!.redactions!.map((r) => [pathOf(r), r.reason]));
    expect(reasons).toMatchObject({
      'client.fullName': 'CONSENT',
      'client.phones': 'CONSENT',
      'client.emails': 'CONSENT',
      'client.orders': 'CONSENT',
      'client.consents': 'CONSENT',
    });

    const found = await world.gql(FIND, { phone: client.input.phones[0] }, world.tokens.operator);
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data!.clients).toEqual({ totalCount: 0, edges: [] });

    const refused = await order(client.token);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors![0]!.extensions!.reason).toBe('NO_SERVICE');

    // Nothing was recorded meanwhile: the date alone did it.
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.status).toBe('WITHDRAWAL_PENDING');
    expect(await world.em().count(Consent, { client: client.clientId })).toBe(2);
  });

  it('a pending withdrawal before its date still serves the operator and the client (P3 notice period)', async () => {
    const client = await registerClient(world);
    await requestWithdrawal(world.em(), client.clientId, { notice: 'Stop.', requestedDay: null }, act(new Date()));

    const read = await world.gql(READ, { id: client.clientId }, world.tokens.operator);
    expect(read.body.data!.client.phones).toEqual(client.input.phones);
    expect(read.body.data!.client.consents).toHaveLength(2);
    const found = await world.gql(FIND, { phone: client.input.phones[0] }, world.tokens.operator);
    expect(found.body.data!.clients.totalCount).toBe(1);
    expect(codes(await order(client.token))).toEqual([]);
  });

  it('a consent past its expiry hides the client from an operator and refuses placeOrder, still ACTIVE on record', async () => {
    const client = await registerClient(world);
    await expiredYesterday(client);

    const read = await world.gql(READ, { id: client.clientId }, world.tokens.operator);
    expect(read.body.data!.client).toMatchObject({ phones: null, orders: [], consents: [] });
    expect(read.body.extensions!.redactions!).toContainEqual({ path: ['client', 'phones'], category: 'PHONE', access: 'HIDDEN', reason: 'CONSENT', count: 1 });
    const found = await world.gql(FIND, { phone: client.input.phones[0] }, world.tokens.operator);
    expect(found.body.data!.clients.totalCount).toBe(0);
    const refused = await order(client.token);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_SERVICE' });
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.status).toBe('ACTIVE');
  });

  it('a withdrawal notice for a consent past its expiry is refused, and hands the operator no record', async () => {
    const client = await registerClient(world);
    await expiredYesterday(client);
    const refused = await world.gql(
      `mutation($id: ID!) { requestConsentWithdrawal(clientId: $id, notice: "Stop.") { status consent { id actorId } } }`,
      { id: client.clientId },
      world.tokens.operator,
    );
    expect(refused.body.data).toBeNull();
    // The operator is told what client.consents would tell it; the subject is told why.
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CONSENT' });
    const own = await world.gql(`mutation { requestConsentWithdrawal(notice: "Stop.") { status } }`, {}, client.token);
    expect(own.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONSENT_NOT_IN_FORCE' });
    expect((await consentHistory(world.db.orm.em, client.clientId)).at(-1)!.kind).toBe('PURPOSES_NARROWED');
  });

  it('the subject and the DPO still see everything of a client whose withdrawal is due', async () => {
    const client = await registerClient(world);
    await dueWithdrawal(client);
    const dpo = world.tokens.dpo;
    const asDpo = await world.gql(READ, { id: client.clientId }, dpo);
    expect(asDpo.body.data!.client.phones).toEqual(client.input.phones);
    expect(asDpo.body.data!.client.consents).toHaveLength(2);
    const me = await world.gql(`{ me { phones consents { status } } }`, {}, client.token);
    expect(me.body.data!.me.phones).toEqual(client.input.phones);
  });
});

describe('open orders hold back the end of consent (P3: no withdrawal while an obligation is unfulfilled)', () => {
  it('a due withdrawal held by an open order keeps serving the operator for finishing it, refuses new orders, and ends when the order completes', async () => {
    const client = await registerClient(world);
    const placed = await order(client.token);
    expect(codes(placed)).toEqual([]);
    await dueWithdrawal(client);

    const held = await world.gql(READ, { id: client.clientId }, world.tokens.operator);
    expect(held.body.data!.client).toMatchObject({ phones: client.input.phones, orders: [{ id: placed.body.data!.placeOrder.id }] });
    expect(held.body.extensions!.redactions!.filter((r) => r.reason === 'CONSENT')).toEqual([]);
    expect((await world.gql(FIND, { phone: client.input.phones[0] }, world.tokens.operator)).body.data!.clients.totalCount).toBe(1);
    // Finishing the open order is no room for new ones.
    expect((await order(client.token)).body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_SERVICE' });

    await world.em().getConnection().execute(`update client_order set status = 'COMPLETED' where client_id = ?`, [client.clientId]);
    const ended = await world.gql(READ, { id: client.clientId }, world.tokens.operator);
    expect(ended.body.data!.client).toMatchObject({ phones: null, orders: [] });
    expect(ended.body.extensions!.redactions!).toContainEqual({ path: ['client', 'phones'], category: 'PHONE', access: 'HIDDEN', reason: 'CONSENT', count: 1 });
    expect((await world.gql(FIND, { phone: client.input.phones[0] }, world.tokens.operator)).body.data!.clients.totalCount).toBe(0);
  });
});
