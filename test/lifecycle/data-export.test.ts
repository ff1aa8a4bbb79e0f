import { Client as PgClient } from 'pg';
import { privacyPolicy } from '../../src/notice/notice';
import { REGISTER, registration } from '../support/fixtures';
import { codes } from '../support/server';
import { placeOrder, registerClient } from '../support/accounts';
import { useWorld } from '../support/world';

const world = useWorld();

const SELECTION = `
  generatedAt
  client { id status surname firstName iin phones emails login residenceAddress { city street } bankAccounts { iban } }
  orders { id status amount contactPhone contactEmail }
  consents { kind status purposes actor noticeSha256 }
  erasureRequests { id status }
  erasureReceipts { id basis categories }`;
const MY_DATA = `{ myData { ${SELECTION} } }`;
const CLIENT_DATA = `query($id: ID!) { clientData(clientId: $id) { ${SELECTION} } }`;

describe('access export: the right to know', () => {
  it('myData returns the whole profile in full, the orders, the consent history and erasure requests', async () => {
    const client = await registerClient(world, { marketing: true });
    const orderId = await placeOrder(world, client.token, { contactPhone: client.input.phones[0], contactEmail: client.input.emails[0] });
    await world.gql(`mutation { optOutOfMarketing { id } }`, {}, client.token);
    await world.gql(`mutation { requestErasure { id } }`, {}, client.token);

    const response = await world.gql(MY_DATA, {}, client.token);
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data!.myData;
    expect(data.client).toMatchObject({
      id: client.clientId, status: 'ACTIVE', surname: client.input.surname, iin: client.input.iin,
      phones: client.input.phones, emails: client.input.emails, login: client.input.login,
      bankAccounts: [{ iban: client.input.bankAccounts[0].iban }],
    });
    expect(data.orders).toEqual([{ id: orderId, status: 'NEW', amount: '30.00', contactPhone: client.input.phones[0], contactEmail: client.input.emails[0] }]);
    expect(data.consents.map((c: { kind: string }) => c.kind)).toEqual(['GIVEN', 'PURPOSES_NARROWED']);
    expect(data.erasureRequests).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
    expect(data.erasureReceipts).toEqual([]);
    expect(response.body.extensions!.redactions).toEqual([]);
  });

  it('myData also returns the evidence of every consent and erasure request, the sessions, reset tokens and security events, and the disclosures', async () => {
    const agent = { 'user-agent': 'ExportAgent/1.0 (canary)' };
    const input = registration();
    const registered = await world.gql(REGISTER, { input }, null, agent);
    expect(registered.body.errors).toBeUndefined();
    const clientId = registered.body.data!.registerClient.clientId;
    const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
    const first = await world.gql(LOGIN, { l: input.login, p: input.password });
    expect(first.body.errors).toBeUndefined();
    // P7: compromise revokes the session; the next login hands out a reset token; the change is an event too.
    expect((await world.gql(`mutation { reportSuspectedCompromise }`, {}, first.body.data!.login.token)).body.errors).toBeUndefined();
    const required = await world.gql(LOGIN, { l: input.login, p: input.password });
    expect(codes(required)).toEqual(['PASSWORD_CHANGE_REQUIRED']);
    const changed = await world.gql(`mutation($t: String!, $p: String!) { changePassword(resetToken: $t, newPassword: $p) }`, {
      t: required.body.errors![0]!.extensions!.resetToken, p: 'a brand new password 9',
    });
    expect(changed.body.errors).toBeUndefined();
    const token = (await world.gql(LOGIN, { l: input.login, p: 'a brand new password 9' })).body.data!.login.token;
    expect((await world.gql(`mutation { requestErasure { id } }`, {}, token, agent)).body.errors).toBeUndefined();

    const EXPORT = `{ myData {
      consents { kind policyVersion policyTextHash evidence { userAgent ipPrefix } }
      erasureRequests { status evidence { userAgent ipPrefix } }
      sessions { createdAt expiresAt revokedAt }
      passwordResets { createdAt expiresAt consumedAt }
      securityEvents { kind actorRole at }
      disclosures { recipientKind subjectId fields { path } }
    } }`;
    const earlier = await world.gql(`{ myData { client { phones } disclosures { id } } }`, {}, token);
    expect(earlier.body.data!.myData).toEqual({ client: { phones: input.phones }, disclosures: [] });
    const response = await world.gql(EXPORT, {}, token);
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data!.myData;
    const policy = privacyPolicy();
    const evidence = { userAgent: 'ExportAgent/1.0 (canary)', ipPrefix: '127.0.0.0/24' };
    expect(data.consents).toEqual([{ kind: 'GIVEN', policyVersion: policy.version, policyTextHash: policy.textHash, evidence }]);
    expect(data.erasureRequests).toEqual([{ status: 'PENDING', evidence }]);
    // Two logins made sessions: the first revoked by the compromise report; times only, no id or hash.
    expect(data.sessions).toHaveLength(2);
    expect(data.sessions[0].revokedAt).toEqual(expect.any(String));
    expect(data.sessions[1]).toEqual({ createdAt: expect.any(String), expiresAt: expect.any(String), revokedAt: null });
    expect(data.passwordResets).toEqual([{ createdAt: expect.any(String), expiresAt: expect.any(String), consumedAt: expect.any(String) }]);
    expect(data.securityEvents.map((e: { kind: string; actorRole: string }) => [e.kind, e.actorRole])).toEqual([
      ['COMPROMISE_REPORTED', 'client'],
      ['PASSWORD_CHANGED', 'client'],
    ]);
    // The earlier export was itself a disclosure to the subject, and it is listed (paths, never values).
    expect(data.disclosures).toEqual([
      { recipientKind: 'SUBJECT', subjectId: clientId, fields: [{ path: 'myData.client.phones' }] },
    ]);
  });

  it("the export's client serves its own lists too (read after the snapshot, checked against it), and one export per request: aliases are refused, and with nothing served nothing is logged", async () => {
    const client = await registerClient(world);
    await placeOrder(world, client.token);
    const nested = await world.gql(`{ myData { client { id orders { id } consents { kind } } } }`, {}, client.token);
    expect(nested.body.errors).toBeUndefined();
    expect(nested.body.data!.myData.client).toMatchObject({ id: client.clientId, orders: [{ id: expect.any(String) }], consents: [{ kind: 'GIVEN' }] });

    const count = async () => (await world.em().getConnection().execute(`select count(*)::int as n from disclosure_log where subject_id = ?`, [client.clientId]))[0].n as number;
    const before = await count();
    const twice = await world.gql(`{ a: myData { generatedAt } b: myData { generatedAt } }`, {}, client.token);
    expect(codes(twice)).toContain('QUERY_TOO_COMPLEX');
    // The whole answer is null: no export left, so none is logged.
    expect(twice.body.data).toBeNull();
    expect(await count()).toBe(before);
  });

  it('clientData is for the DPO only', async () => {
    const client = await registerClient(world);
    expect(codes(await world.gql(CLIENT_DATA, { id: client.clientId }, world.tokens.operator))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql(CLIENT_DATA, { id: client.clientId }, client.token))).toEqual(['FORBIDDEN']);
    const byDpo = await world.gql(CLIENT_DATA, { id: client.clientId }, world.tokens.dpo);
    expect(byDpo.body.data!.clientData.client.phones).toEqual(client.input.phones);
    expect(codes(await world.gql(CLIENT_DATA, { id: '00000000-0000-4000-8000-000000000000' }, world.tokens.dpo))).toEqual(['NOT_FOUND']);
  });

  it('after erasure the DPO export shows the tombstone, no personal value, no orders, and the receipt', async () => {
    const client = await registerClient(world);
    await placeOrder(world, client.token);
    await world.gql(
      `mutation($id: ID!) { eraseClient(clientId: $id, basis: WRITTEN_REQUEST_OFFLINE, reference: "IN-2026/12") { id } }`,
      { id: client.clientId },
      world.tokens.dpo,
    );
    const response = await world.gql(CLIENT_DATA, { id: client.clientId }, world.tokens.dpo);
    const data = response.body.data!.clientData;
    expect(data.client).toMatchObject({ id: client.clientId, status: 'ERASED', surname: null, phones: null, login: null, residenceAddress: null });
    expect(data.orders).toEqual([]);
    expect(data.consents.at(-1)).toMatchObject({ kind: 'WITHDRAWN', actor: 'DPO' });
    expect(data.erasureReceipts).toEqual([{ id: expect.any(String), basis: 'WRITTEN_REQUEST_OFFLINE', categories: expect.arrayContaining(['FULL_NAME', 'LOGIN']) }]);
    expect(JSON.stringify(data)).not.toContain(client.input.login);
    expect(response.body.extensions!.redactions!.every((r) => r.reason === 'ERASED')).toBe(true);
  });

  it("reads the disclosures in the export's own snapshot: one recorded while the export runs is not in it, and is in the next", async () => {
    const client = await registerClient(world);
    const RECORD = `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { id } }`;
    const record = async () => {
      const input = { subjectId: client.clientId, recipientKind: 'OTHER', recipient: 'Court archive (paper request)', categories: ['PHONE'], purpose: 'TEST', legalBasis: 'a letter' };
      const response = await world.gql(RECORD, { input }, world.tokens.dpo);
      expect(response.body.errors).toBeUndefined();
      return response.body.data!.recordDisclosure.id as string;
    };
    const DISCLOSURES = `query($id: ID!) { clientData(clientId: $id) { disclosures { id } } }`;
    const idsOf = (response: { body: { data?: any } }) => response.body.data.clientData.disclosures.map((d: { id: string }) => d.id);
    const earlier = await record();

    const pg = new PgClient({ connectionString: world.db.url });
    await pg.connect();
    let during: string[];
    let recordedDuring: string;
    try {
      await pg.query('begin');
      // The export reads the security events just before the disclosures: held here, it waits
      // there with its snapshot already taken.
      await pg.query('lock table security_event in access exclusive mode');
      const exporting = world.gql(DISCLOSURES, { id: client.clientId }, world.tokens.dpo);
      const waiting = async () => (await pg.query(`select count(*)::int as n from pg_locks where not granted and relation = 'security_event'::regclass
        and database = (select oid from pg_database where datname = current_database())`)).rows[0].n > 0;
      for (let i = 0; i < 250 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(true);
      recordedDuring = await record();
      await pg.query('commit');
      const response = await exporting;
      expect(response.body.errors).toBeUndefined();
      during = idsOf(response);
    } finally {
      await pg.end();
    }
    expect(during).toContain(earlier);
    expect(during).not.toContain(recordedDuring);
    expect(idsOf(await world.gql(DISCLOSURES, { id: client.clientId }, world.tokens.dpo))).toContain(recordedDuring);
  });
});
