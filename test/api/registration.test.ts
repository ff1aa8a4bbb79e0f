import { codes, startTestServer, type TestServer } from '../support/harness';
import { REGISTER, registration } from '../support/fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ME = `{ me { id kind status surname firstName iin phones emails residenceAddress { city street } consents { kind status purposes policyVersion } } }`;

describe('registration, login and me', () => {
  it('a registered client logs in and reads its own data in full, with its first consent record (P2)', async () => {
    const input = registration({ marketing: true });
    const registered = await server.gql(REGISTER, { input });
    expect(registered.body.errors).toBeUndefined();
    const clientId = registered.body.data!.registerClient.clientId;

    const login = await server.gql(`mutation($l: String!, $p: String!) { login(login: $l, password: $p) { clientId token } }`, {
      l: input.login,
      p: input.password,
    });
    expect(login.body.data!.login.clientId).toBe(clientId);

    const me = await server.gql(ME, {}, login.body.data!.login.token);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data!.me).toMatchObject({
      id: clientId,
      kind: 'PERSON',
      status: 'ACTIVE',
      surname: 'Нұрланов',
      iin: input.iin,
      phones: input.phones,
      emails: input.emails,
      residenceAddress: { city: 'Алматы', street: 'пр. Абая' },
    });
    const [consent] = me.body.data!.me.consents;
    expect(consent).toMatchObject({ kind: 'GIVEN', status: 'ACTIVE', policyVersion: expect.any(String) });
    expect(consent.purposes).toContain('MARKETING');
    expect(me.body.extensions?.redactions).toEqual([]);
  });

  it('marketing (P2 purpose 7) is opt-in: without it the first consent omits that purpose only', async () => {
    const registered = await server.gql(REGISTER, { input: registration() });
    const me = await server.gql(ME, {}, registered.body.data!.registerClient.token);
    expect(me.body.data!.me.consents[0].purposes).toEqual([
      'CONTRACT_CONCLUSION', 'CONTRACT_PERFORMANCE', 'SETTLEMENTS', 'LEGAL_DECISIONS', 'SERVICE_INFORMATION', 'THIRD_PARTY_OBLIGATIONS',
    ]);
  });

  it('a wrong password and an unknown login get the same UNAUTHENTICATED answer', async () => {
    const input = registration();
    await server.gql(REGISTER, { input });
    const q = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
    const wrong = await server.gql(q, { l: input.login, p: 'not the password' });
    const unknown = await server.gql(q, { l: 'nobody.here', p: 'not the password' });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.body.errors![0]!.message).toBe(unknown.body.errors![0]!.message);
  });

  it('a taken login is a CONFLICT and writes nothing', async () => {
    const input = registration();
    await server.gql(REGISTER, { input });
    const again = await server.gql(REGISTER, { input: registration({ login: input.login }) });
    expect(codes(again)).toEqual(['CONFLICT']);
    const count = await server.db.orm.em.fork().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login]);
    expect(count[0].n).toBe(1);
  });
});

describe('updating contact data', () => {
  it('a client updates its own phones and reads them back; a blocked account takes no new data', async () => {
    const registered = await server.gql(REGISTER, { input: registration() });
    const { token, clientId } = registered.body.data!.registerClient;
    const update = `mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { phones } }`;
    const updated = await server.gql(update, { i: { phones: ['+7 (705) 111-22-33'] } }, token);
    expect(updated.body.data!.updateMyContacts.phones).toEqual(['+77051112233']);

    await server.db.orm.em.fork().getConnection().execute(`update client set status = 'BLOCKED' where id = ?`, [clientId]);
    const refused = await server.gql(update, { i: { phones: ['+77051112244'] } }, token);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const order = await server.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 1, priceTiyn: 100 }] }) { id } }`, {}, token);
    expect(codes(order)).toEqual(['FORBIDDEN']);
    const rows = await server.db.orm.em.fork().getConnection().execute(`select phones from client where id = ?`, [clientId]);
    expect(rows[0].phones).toEqual(['+77051112233']);
  });
});

describe('input validation: BAD_USER_INPUT names the field and never echoes the value', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an IIN with a wrong check digit', { iin: '900515300011' }, 'iin'],
    ['an IIN that is too short', { iin: '90051530001' }, 'iin'],
    ['a phone without +7', { phones: ['+4915112345678'] }, 'phones[0]'],
    ['an e-mail without a domain', { emails: ['someone-at-nowhere'] }, 'emails[0]'],
    ['an IBAN with wrong check digits', { bankAccounts: [{ iban: 'KZ00722000000000012345', bankName: 'Kaspi Bank' }] }, 'bankAccounts[0].iban'],
    ['a surname with digits', { surname: 'Иванов7' }, 'surname'],
    ['a too short password', { password: 'short' }, 'password'],
    ['a BIN on a person', { bin: '180340021468' }, 'bin'],
  ];
  it.each(cases)('%s', async (_name, override, field) => {
    const input = registration(override);
    const response = await server.gql(REGISTER, { input });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe(field);
    const sent = JSON.stringify(Object.values(override)).replace(/[[\]{}"]/g, '');
    for (const value of sent.split(/[,:]/).filter((v) => v.length >= 5)) {
      expect(JSON.stringify(response.body)).not.toContain(value);
    }
    const rows = await server.db.orm.em.fork().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login]);
    expect(rows[0].n).toBe(0);
  });

  it('a variable of the wrong type is refused without echoing the value', async () => {
    const response = await server.gql(REGISTER, { input: { ...registration(), phones: 'UNIQUE-CANARY-42' } });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(response.body)).not.toContain('UNIQUE-CANARY-42');
  });
});
