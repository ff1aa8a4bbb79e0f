import { throttleKeys } from '../../src/auth/login-throttle';
import { hashPassword } from '../../src/auth/password';
import { ClientKind } from '../../src/clients/client.entity';
import { holdsValueSql } from '../../src/erasure/erased-row';
import { DEPERSONALISED_ITEM_NAME } from '../../src/erasure/erasure.service';
import { CLIENT_PERSONAL_COLUMNS } from '../../src/privacy/personal-columns';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes, TEST_PASSWORD_HASHING } from '../support/server';
import { registerClient } from '../support/accounts';
import { scanDatabase } from '../support/lifecycle';
import { useWorld } from '../support/world';

const world = useWorld();


const REQUEST_ERASURE = `mutation { requestErasure { id clientId status requestedAt receiptId } }`;
const ERASE = `mutation($id: ID!, $basis: ErasureBasis!, $ref: String) {
  eraseClient(clientId: $id, basis: $basis, reference: $ref) {
    id clientId basis reference categories ordersDepersonalised sessionsRevoked actorRole actorId erasedAt openObligations { orderId status }
  }
}`;
const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
const PASSWORD = 'canary password 42';

/** The brute-force counter row kept under a login (keyed by HMAC, so found by recomputing the key). */
const throttleRow = async (login: string) => {
  const [key] = throttleKeys(world.config, login, null);
  return (await world.sql(`select failures from login_throttle where key_hash = ?`, [key!.hash]))[0] ?? null;
};

/**
 * A canary client (every personal value unique) that can log in, with a second order placed
 * through the API (its item name a canary too) and a failed login counted against its login.
 */
async function loggedInCanary(kind: ClientKind = ClientKind.PERSON): Promise<{ canary: Canary; token: string; secrets: string[]; orderId: string; word: string }> {
  const canary = await createCanaryClient(world.em(), 'ACTIVE', kind);
  const passwordHash = await hashPassword(PASSWORD, TEST_PASSWORD_HASHING);
  await world.sql(`update client set password_hash = ? where id = ?`, [passwordHash, canary.client.id]);
  const login = await world.gql(LOGIN, { l: canary.client.login, p: PASSWORD });
  expect(login.body.errors).toBeUndefined();
  const token = login.body.data!.login.token;
  // A legal entity has no residence or first name: its registered office and its head stand in.
  const address = (canary.client.residenceAddress ?? canary.client.registrationAddress)!;
  const word = (canary.client.firstName ?? canary.client.headFullName!).split(' ')[0]!;
  const placed = await world.gql(
    `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
    {
      input: {
        items: [{ name: `Gift for ${word} ITEM${word}`, quantity: 3, priceTiyn: 100 }, { name: 'Tea', quantity: 1, priceTiyn: 250 }],
        contactEmail: canary.client.emails[0],
        deliveryAddress: { ...address, street: `${address.street}x` },
      },
    },
    token,
  );
  expect(placed.body.errors).toBeUndefined();
  await world.gql(LOGIN, { l: canary.client.login, p: 'wrong password here' });
  expect(await throttleRow(canary.client.login!)).toEqual({ failures: 1 });
  return { canary, token, orderId: placed.body.data!.placeOrder.id, word, secrets: [...canary.values, passwordHash, `ITEM${word}`] };
}

describe('erasure on request (P4)', () => {
  it('the subject asks, the DPO executes; the receipt lists categories, never values, and is returned again on repeat', async () => {
    const { canary, token } = await loggedInCanary();
    const request = await world.gql(REQUEST_ERASURE, {}, token);
    expect(request.body.data!.requestErasure).toMatchObject({ clientId: canary.client.id, status: 'PENDING', receiptId: null });
    const repeated = await world.gql(REQUEST_ERASURE, {}, token);
    expect(repeated.body.data!.requestErasure.id).toBe(request.body.data!.requestErasure.id);

    expect(codes(await world.gql(ERASE, { id: canary.client.id, basis: 'SUBJECT_REQUEST' }, world.tokens.operator))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql(ERASE, { id: canary.client.id, basis: 'SUBJECT_REQUEST' }, token))).toEqual(['FORBIDDEN']);

    const erased = await world.gql(ERASE, { id: canary.client.id, basis: 'SUBJECT_REQUEST' }, world.tokens.dpo);
    expect(erased.body.errors).toBeUndefined();
    const receipt = erased.body.data!.eraseClient;
    expect(receipt).toMatchObject({
      clientId: canary.client.id,
      basis: 'SUBJECT_REQUEST',
      reference: request.body.data!.requestErasure.id,
      ordersDepersonalised: 2,
      actorRole: 'DPO',
      actorId: 'dpo-1',
    });
    expect(receipt.categories).toEqual(expect.arrayContaining([
      'FULL_NAME', 'OFFICIAL_REQUISITES', 'REGISTRATION_ADDRESS', 'RESIDENCE_ADDRESS', 'PHONE', 'EMAIL', 'BANK_ACCOUNT', 'LOGIN', 'PASSWORD', 'ORDER_CONTACT',
    ]));
    for (const value of canary.values) expect(JSON.stringify(receipt)).not.toContain(value);
    // The canary order is PAID and the API one NEW: kept, depersonalised, still owed.
    expect(receipt.openObligations).toHaveLength(2);
    expect(receipt.openObligations).toEqual(expect.arrayContaining([{ orderId: canary.order.id, status: 'PAID' }, { orderId: expect.any(String), status: 'NEW' }]));
    // The login's brute-force counter went with the login.
    expect(await throttleRow(canary.client.login!)).toBeNull();

    const again = await world.gql(ERASE, { id: canary.client.id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/77' }, world.tokens.dpo);
    expect(again.body.data!.eraseClient).toMatchObject({ id: receipt.id, openObligations: null });
    const [count] = await world.sql(`select count(*)::int as n from erasure_receipt where client_id = ?`, [canary.client.id]);
    expect(count.n).toBe(1);
    const [done] = await world.sql(`select status, receipt_id from erasure_request where client_id = ?`, [canary.client.id]);
    expect(done).toEqual({ status: 'DONE', receipt_id: receipt.id });
  });

  it.each([ClientKind.PERSON, ClientKind.ENTITY])('leaves no canary value of a %s in any text, varchar, json, jsonb or text[] column of any table', async (kind) => {
    const { canary, token, secrets, orderId, word } = await loggedInCanary(kind);
    const [partner] = await world.sql(`insert into partner (id, name, bin, created_at) values (gen_random_uuid(), 'Agent LLP', '123456789012', now())
      on conflict (bin) do update set name = excluded.name returning id`);
    await world.sql(`update client_order set partner_id = ? where id = ?`, [partner.id, orderId]);
    const notice = `Withdrawal from ${canary.client.surname ?? canary.client.legalName} NOTICE${word}`;
    await world.gql(`mutation($n: String!) { requestConsentWithdrawal(notice: $n) { status } }`, { n: notice }, token);
    await world.gql(REQUEST_ERASURE, {}, token);
    // The scan finds every canary before erasure, so an empty result after means something.
    const before = await scanDatabase(world.db.orm.em, secrets);
    expect(secrets.filter((s) => !before.some((hit) => hit.endsWith(`: ${s}`)))).toEqual([]);
    const [sessions] = await world.sql(`select count(*)::int as n from session where client_id = ?`, [canary.client.id]);
    expect(sessions.n).toBeGreaterThan(0);
    const kept = await world.sql(`select id, created_at from client_order where client_id = ?`, [canary.client.id]);

    const erased = await world.gql(ERASE, { id: canary.client.id, basis: 'SUBJECT_REQUEST' }, world.tokens.dpo);
    expect(erased.body.errors).toBeUndefined();
    expect(await scanDatabase(world.db.orm.em, [...secrets, `NOTICE${word}`])).toEqual([]);
    // Not text, or not unique to this client (a form, a date, a two-digit code): checked by column.
    const [requisites] = await world.sql(`select legal_form, state_registration_date, kbe from client where id = ?`, [canary.client.id]);
    expect(requisites).toEqual({ legal_form: null, state_registration_date: null, kbe: null });
    if (kind === ClientKind.ENTITY) expect(erased.body.data!.eraseClient.categories).toEqual(expect.arrayContaining(['FULL_NAME', 'OFFICIAL_REQUISITES']));

    // Orders are kept for accounting, depersonalised: amount, status, date, the lines' quantities
    // and prices under a neutral name, and one tombstone id; no partner, no contact; and new ids,
    // so the ones handed out with personal data lead nowhere.
    expect(kept.map((o) => o.id).sort()).toEqual([canary.order.id, orderId].sort());
    expect(await world.sql(`select id from client_order where id in (?, ?)`, kept.map((o) => o.id))).toEqual([]);
    const keptAt = (id: string) => kept.find((o) => o.id === id)!.created_at;
    const orders = await world.sql(`select client_id, tombstone_id, amount_tiyn, status from client_order where created_at = ? and amount_tiyn = 123456`, [keptAt(canary.order.id)]);
    expect(orders).toEqual([{ client_id: null, tombstone_id: expect.any(String), amount_tiyn: '123456', status: 'PAID' }]);
    const [placed] = await world.sql(`select tombstone_id, partner_id, items, amount_tiyn, contact_email, delivery_address from client_order where created_at = ? and tombstone_id = ?`, [keptAt(orderId), orders[0].tombstone_id]);
    expect(placed).toEqual({
      tombstone_id: orders[0].tombstone_id,
      partner_id: null,
      items: [{ name: DEPERSONALISED_ITEM_NAME, quantity: 3, priceTiyn: 100 }, { name: DEPERSONALISED_ITEM_NAME, quantity: 1, priceTiyn: 250 }],
      amount_tiyn: '550',
      contact_email: null,
      delivery_address: null,
    });
    // Consent history stays as proof, ended by the erasure.
    const [last] = await world.sql(`select kind, status, actor, channel from consent where client_id = ? order by recorded_at desc, id desc limit 1`, [canary.client.id]);
    expect(last).toEqual({ kind: 'WITHDRAWN', status: 'WITHDRAWN', actor: 'DPO', channel: 'OPERATOR' });
  });

  it('the erased subject can no longer log in, nor place orders with an old token', async () => {
    const { canary, token } = await loggedInCanary();
    await world.gql(ERASE, { id: canary.client.id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/0815' }, world.tokens.dpo);
    // The consent record that erasure appends says how the request came: on paper.
    const [ended] = await world.sql(`select channel, actor from consent where client_id = ? order by recorded_at desc, id desc limit 1`, [canary.client.id]);
    expect(ended).toEqual({ channel: 'PAPER', actor: 'DPO' });
    expect(codes(await world.gql(LOGIN, { l: canary.client.login, p: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    // The token version was bumped: the old token authenticates no one, whatever it asks for.
    const order = await world.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 1, priceTiyn: 100 }] }) { id } }`, {}, token);
    expect(codes(order)).toEqual(['UNAUTHENTICATED']);
    expect(codes(await world.gql(`{ me { id } }`, {}, token))).toEqual(['UNAUTHENTICATED']);
    const [sessions] = await world.sql(`select count(*)::int as n from session where client_id = ?`, [canary.client.id]);
    expect(sessions.n).toBe(0);
  });

  it('is one transaction: a failure at its last write leaves the client, orders, sessions, consent and counters as they were', async () => {
    const { canary, secrets } = await loggedInCanary();
    const id = canary.client.id;
    const snapshot = async () => ({
      client: await world.sql(`select * from client where id = ?`, [id]),
      orders: await world.sql(`select * from client_order where client_id = ? order by id`, [id]),
      sessions: await world.sql(`select * from session where client_id = ? order by id`, [id]),
      consent: await world.sql(`select * from consent where client_id = ? order by recorded_at, id`, [id]),
      receipts: await world.sql(`select * from erasure_receipt where client_id = ?`, [id]),
      throttle: await throttleRow(canary.client.login!),
    });
    const before = await snapshot();
    expect(before.orders).toHaveLength(2);
    expect(before.sessions.length).toBeGreaterThan(0);
    // The receipt is written by the final flush, after the orders, sessions and counters went.
    await world.sql(`create function test_fail_receipt() returns trigger language plpgsql as $$
      begin if new.client_id = '${id}' then raise exception 'forced failure'; end if; return new; end $$`);
    await world.sql(`create trigger test_fail_receipt before insert on erasure_receipt for each row execute function test_fail_receipt()`);
    let response;
    try {
      response = await world.gql(ERASE, { id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/0999' }, world.tokens.dpo);
    } finally {
      await world.sql(`drop trigger test_fail_receipt on erasure_receipt`);
      await world.sql(`drop function test_fail_receipt()`);
    }
    expect(codes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(response.body.data?.eraseClient ?? null).toBeNull();
    const answer = JSON.stringify(response.body);
    for (const secret of secrets) expect(answer).not.toContain(secret);
    expect(answer).not.toMatch(/forced failure|erasure_receipt|insert/i);
    expect(await snapshot()).toEqual(before);

    const retried = await world.gql(ERASE, { id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/0999' }, world.tokens.dpo);
    expect(retried.body.errors).toBeUndefined();
  });

  it('the database refuses to put personal data back into an erased client, or to restore it', async () => {
    const { canary } = await loggedInCanary();
    await world.gql(ERASE, { id: canary.client.id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/0816' }, world.tokens.dpo);
    await expect(world.sql(`update client set phones = '{"+77010000001"}' where id = ?`, [canary.client.id])).rejects.toThrow(/holds no personal data/);
    await expect(world.sql(`update client set status = 'ACTIVE' where id = ?`, [canary.client.id])).rejects.toThrow(/cannot be restored/);
  });

  it('the database refuses to put any declared personal column back into an erased client, each value taken from a live client', async () => {
    const { canary } = await loggedInCanary(ClientKind.ENTITY);
    const live = [(await loggedInCanary(ClientKind.PERSON)).canary.client.id, (await loggedInCanary(ClientKind.ENTITY)).canary.client.id];
    await world.gql(ERASE, { id: canary.client.id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/0817' }, world.tokens.dpo);
    for (const c of CLIENT_PERSONAL_COLUMNS) {
      const [source] = await world.sql(`select id from client where id in (?, ?) and ${holdsValueSql(c, 'client')}`, live);
      expect({ column: c.column, source: typeof source?.id }).toEqual({ column: c.column, source: 'string' });
      const restore = world.sql(`update client set ${c.column} = (select ${c.column} from client where id = ?) where id = ?`, [source.id, canary.client.id]);
      await expect(restore).rejects.toThrow(/holds no personal data/);
    }
    const held = CLIENT_PERSONAL_COLUMNS.map((c) => `${holdsValueSql(c, 'client')} as "${c.column}"`).join(', ');
    const [row] = await world.sql(`select status, ${held} from client where id = ?`, [canary.client.id]);
    expect(row).toEqual({ status: 'ERASED', ...Object.fromEntries(CLIENT_PERSONAL_COLUMNS.map((c) => [c.column, false])) });
  });

  it.each([
    ['a written request without a registry number', { basis: 'WRITTEN_REQUEST_OFFLINE' }, 'BAD_USER_INPUT'],
    ['a reference that reads like a name', { basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'Иванов И.И.' }, 'BAD_USER_INPUT'],
    ['RETENTION_ENDED, which only the job runner applies', { basis: 'RETENTION_ENDED' }, 'BAD_USER_INPUT'],
    ['SUBJECT_REQUEST when the subject asked for nothing', { basis: 'SUBJECT_REQUEST' }, 'CONFLICT'],
  ])('refuses %s, and erases nothing', async (_name, args, code) => {
    const client = await registerClient(world);
    const response = await world.gql(ERASE, { id: client.clientId, ...args }, world.tokens.dpo);
    expect(codes(response)).toEqual([code]);
    const [row] = await world.sql(`select status, login from client where id = ?`, [client.clientId]);
    expect(row).toEqual({ status: 'ACTIVE', login: client.input.login });
  });
});

describe('erasure during concurrent reads', () => {
  const CLIENT = `query($id: ID!) { client(id: $id) { status surname phones emails iin login residenceAddress { street } orders { id } consents { status } } }`;
  const EXPORT = `query($id: ID!) { clientData(clientId: $id) { client { status surname phones emails iin login residenceAddress { street } } orders { id contactPhone contactEmail } consents { status } erasureReceipts { id } } }`;

  it('a reader sees the client wholly before or wholly after the erasure, never half of it', async () => {
    const { canary } = await loggedInCanary();
    const before = {
      status: 'ACTIVE', surname: canary.client.surname, phones: canary.client.phones, emails: canary.client.emails, iin: canary.client.iin, login: canary.client.login,
      residenceAddress: { street: canary.client.residenceAddress!.street },
    };
    const after = { status: 'ERASED', surname: null, phones: null, emails: null, iin: null, login: null, residenceAddress: null };

    type Read = { kind: 'client' | 'export'; body: any; startedAfterErasure: boolean };
    const reads: Read[] = [];
    let erasureDone = false;
    let firstRead!: () => void;
    const firstReadReturned = new Promise<void>((resolve) => (firstRead = resolve));
    const readOnce = async (kind: Read['kind']) => {
      const startedAfterErasure = erasureDone;
      const response = await world.gql(kind === 'client' ? CLIENT : EXPORT, { id: canary.client.id }, world.tokens.dpo);
      reads.push({ kind, body: response.body, startedAfterErasure });
      firstRead();
    };
    // Readers keep reading until each has read once more after the erasure committed.
    const reader = async (kind: Read['kind']) => {
      for (;;) {
        const last = erasureDone;
        await readOnce(kind);
        if (last) return;
      }
    };
    const readers = [reader('client'), reader('export'), reader('client'), reader('export')];
    // Erasure starts only once a read has come back, so some reads certainly precede it.
    await firstReadReturned;
    const erased = await world.gql(ERASE, { id: canary.client.id, basis: 'WRITTEN_REQUEST_OFFLINE', ref: 'IN-2026/0900' }, world.tokens.dpo);
    erasureDone = true;
    await Promise.all(readers);
    expect(erased.body.errors).toBeUndefined();

    const seen = { before: 0, after: 0 };
    for (const { kind, body, startedAfterErasure } of reads) {
      // The row and its lists are read by one statement: never overtaken in between, never a CONFLICT.
      expect(body.errors).toBeUndefined();
      const { orders, consents, ...view } = kind === 'client' ? body.data.client : body.data.clientData.client;
      const state = view.status === 'ACTIVE' ? before : after;
      expect({ kind, view }).toEqual({ kind, view: state });
      if (kind === 'client') {
        // The lists belong to the same state as the row.
        expect({ orders: orders.length, consent: consents.at(-1).status }).toEqual(state === before ? { orders: 2, consent: 'ACTIVE' } : { orders: 0, consent: 'WITHDRAWN' });
      }
      if (kind === 'export') {
        // The rest of the export agrees with the profile it came with.
        const exported = body.data.clientData;
        if (state === before) {
          expect(exported.orders.length).toBe(2);
          expect(exported.erasureReceipts).toEqual([]);
          expect(exported.consents.at(-1).status).toBe('ACTIVE');
        } else {
          expect(exported.orders).toEqual([]);
          expect(exported.erasureReceipts).toHaveLength(1);
          expect(exported.consents.at(-1).status).toBe('WITHDRAWN');
        }
      }
      if (startedAfterErasure) expect({ kind, status: view.status }).toEqual({ kind, status: 'ERASED' });
      seen[state === before ? 'before' : 'after'] += 1;
    }
    expect(seen.before).toBeGreaterThan(0);
    expect(seen.after).toBeGreaterThanOrEqual(4);
  });
});
