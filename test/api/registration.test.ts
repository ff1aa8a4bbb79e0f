import { codes, startTestServer } from '../support/server';
import { iinCheckDigit } from '../../src/kz/identifiers';
import { REGISTER, registration } from '../support/fixtures';
import { useWorld } from '../support/world';

const world = useWorld();

const ME = `{ me { id kind status surname firstName iin phones emails residenceAddress { city street } consents { kind status purposes policyVersion } } }`;

describe('registration, login and me', () => {
  it('a registered client logs in and reads its own data in full, with its first consent record (P2)', async () => {
    const input = registration({ marketing: true });
    const registered = await world.gql(REGISTER, { input });
    expect(registered.body.errors).toBeUndefined();
    const clientId = registered.body.data!.registerClient.clientId;

    const login = await world.gql(`mutation($l: String!, $p: String!) { login(login: $l, password: $p) { clientId token } }`, {
      l: input.login,
      p: input.password,
    });
    expect(login.body.data!.login.clientId).toBe(clientId);

    const me = await world.gql(ME, {}, login.body.data!.login.token);
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
    const registered = await world.gql(REGISTER, { input: registration() });
    const me = await world.gql(ME, {}, registered.body.data!.registerClient.token);
    expect(me.body.data!.me.consents[0].purposes).toEqual([
      'CONTRACT_CONCLUSION', 'CONTRACT_PERFORMANCE', 'SETTLEMENTS', 'LEGAL_DECISIONS', 'SERVICE_INFORMATION', 'THIRD_PARTY_OBLIGATIONS',
    ]);
  });

  it('a wrong password and an unknown login get the same UNAUTHENTICATED answer', async () => {
    const input = registration();
    await world.gql(REGISTER, { input });
    const q = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
    const wrong = await world.gql(q, { l: input.login, p: 'not the password' });
    const unknown = await world.gql(q, { l: 'nobody.here', p: 'not the password' });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.body.errors![0]!.message).toBe(unknown.body.errors![0]!.message);
  });

  it('a taken login is a CONFLICT naming `login` and writes nothing', async () => {
    const input = registration();
    await world.gql(REGISTER, { input });
    const again = await world.gql(REGISTER, { input: registration({ login: input.login }) });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.body.errors![0]!.extensions!.field).toBe('login');
    const count = await world.em().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login]);
    expect(count[0].n).toBe(1);
  });

  it('a registered IIN under a fresh login is a CONFLICT that names no requisite and writes nothing', async () => {
    const input = registration();
    await world.gql(REGISTER, { input });
    const again = registration({ iin: input.iin });
    const response = await world.gql(REGISTER, { input: again });
    expect(codes(response)).toEqual(['CONFLICT']);
    const error = response.body.errors![0]!;
    expect(error.extensions!.field).toBeUndefined();
    expect(error.message).not.toMatch(/iin|bin|login|taken/i);
    expect(JSON.stringify(response.body)).not.toContain(String(input.iin));
    const rows: Array<{ login: string }> = await world.em().getConnection().execute(`select login from client where iin = ?`, [input.iin]);
    expect(rows.map((r) => r.login)).toEqual([input.login]);
  });
});

describe('updating contact data', () => {
  it('a client updates its own phones and reads them back; a blocked account takes no new data', async () => {
    const registered = await world.gql(REGISTER, { input: registration() });
    const { token, clientId } = registered.body.data!.registerClient;
    const update = `mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { phones } }`;
    const updated = await world.gql(update, { i: { phones: ['+7 (705) 111-22-33'] } }, token);
    expect(updated.body.data!.updateMyContacts.phones).toEqual(['+77051112233']);

    await world.em().getConnection().execute(`update client set status = 'BLOCKED' where id = ?`, [clientId]);
    const refused = await world.gql(update, { i: { phones: ['+77051112244'] } }, token);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const order = await world.gql(`mutation { placeOrder(input: { items: [{ name: "Tea", quantity: 1, priceTiyn: 100 }] }) { id } }`, {}, token);
    expect(codes(order)).toEqual(['FORBIDDEN']);
    const rows = await world.em().getConnection().execute(`select phones from client where id = ?`, [clientId]);
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
    const response = await world.gql(REGISTER, { input });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe(field);
    const sent = JSON.stringify(Object.values(override)).replace(/[[\]{}"]/g, '');
    for (const value of sent.split(/[,:]/).filter((v) => v.length >= 5)) {
      expect(JSON.stringify(response.body)).not.toContain(value);
    }
    const rows = await world.em().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login]);
    expect(rows[0].n).toBe(0);
  });

  it('a variable of the wrong type is refused without echoing the value', async () => {
    const response = await world.gql(REGISTER, { input: { ...registration(), phones: 'UNIQUE-CANARY-42' } });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(response.body)).not.toContain('UNIQUE-CANARY-42');
  });
});

describe('a registration whose token cannot be signed', () => {
  it('leaves no account and no consent behind (the token is signed before the commit)', async () => {
    // Not production (where config refuses this): staff tokens from a JWKS, nothing to sign client tokens with.
    const unsigned = await startTestServer({ env: { JWT_SECRET: '', JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json' } });
    try {
      const input = registration();
      const response = await unsigned.gql(REGISTER, { input });
      expect(codes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
      const conn = unsigned.db.orm.em.fork().getConnection();
      expect((await conn.execute(`select count(*)::int as n from client`))[0].n).toBe(0);
      expect((await conn.execute(`select count(*)::int as n from consent`))[0].n).toBe(0);
    } finally {
      await unsigned.close();
    }
  });
});

/** A valid BIN of an LLP registered in March 2018 (YYMM, resident type 4), unique by `serial`. */
function validBin(serial: number): string {
  for (let bump = 0; bump < 100; bump++) {
    const first11 = `18034${String((serial * 13 + bump) % 1_000_000).padStart(6, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no valid BIN found');
}

let entitySerial = Math.floor(Math.random() * 50_000);
function entityRegistration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  entitySerial += 1;
  const { iin: _iin, ...person } = registration();
  return {
    ...person,
    kind: 'ENTITY',
    bin: validBin(entitySerial),
    legalName: 'ТОО «Шығыс Сауда»',
    legalForm: 'LLP',
    stateRegistrationDate: '2018-03-14',
    headFullName: 'Серікбаев Ержан Болатұлы',
    kbe: '17',
    vatCertificate: '60001 № 0123456',
    ...overrides,
  };
}

describe('registering a legal entity', () => {
  const ENTITY_ME = `{ me { kind bin iin legalName legalForm stateRegistrationDate headFullName kbe vatCertificate } }`;

  it('stores BIN, legal name and the official requisites, and the entity reads them back in full', async () => {
    const input = entityRegistration();
    const registered = await world.gql(REGISTER, { input });
    expect(registered.body.errors).toBeUndefined();
    const me = await world.gql(ENTITY_ME, {}, registered.body.data!.registerClient.token);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data!.me).toEqual({
      kind: 'ENTITY',
      bin: input.bin,
      iin: null,
      legalName: 'ТОО «Шығыс Сауда»',
      legalForm: 'LLP',
      stateRegistrationDate: '2018-03-14',
      headFullName: 'Серікбаев Ержан Болатұлы',
      kbe: '17',
      vatCertificate: '600010123456',
    });
  });

  it('an operator (OFFICIAL_REQUISITES masked) sees the VAT certificate masked and the other requisites hidden', async () => {
    const registered = await world.gql(REGISTER, { input: entityRegistration() });
    const operator = world.tokens.operator;
    const response = await world.gql(
      `query($id: ID!) { client(id: $id) { legalForm stateRegistrationDate kbe vatCertificate } }`,
      { id: registered.body.data!.registerClient.clientId },
      operator,
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.client).toEqual({ legalForm: null, stateRegistrationDate: null, kbe: null, vatCertificate: '********3456' });
  });

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a BIN with a wrong check digit', { bin: '180340021469' }, 'bin'],
    ['a BIN with month 13', { bin: '181340021468' }, 'bin'],
    ['a missing legal name', { legalName: null }, 'legalName'],
    ['a missing legal form', { legalForm: null }, 'legalForm'],
    ['an impossible registration date', { stateRegistrationDate: '2019-02-29' }, 'stateRegistrationDate'],
    ['a registration date in the future', { stateRegistrationDate: '2999-01-01' }, 'stateRegistrationDate'],
    ['a missing head', { headFullName: null }, 'headFullName'],
    ["a head's name with digits", { headFullName: 'Серікбаев 12345' }, 'headFullName'],
    ['a KBE of three digits', { kbe: '170' }, 'kbe'],
    ['a KBE with residency 3', { kbe: '37' }, 'kbe'],
    ['a VAT certificate that is too short', { vatCertificate: '60001 01234' }, 'vatCertificate'],
    ['an IIN on an entity', { iin: '900515300011' }, 'iin'],
  ];
  it.each(cases)('%s is BAD_USER_INPUT naming the field, without echo or write', async (_name, override, field) => {
    const input = entityRegistration(override);
    const response = await world.gql(REGISTER, { input });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe(field);
    for (const value of Object.values(override).filter((v): v is string => typeof v === 'string' && v.length >= 2)) {
      expect(JSON.stringify(response.body)).not.toContain(value);
    }
    const rows = await world.em().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login]);
    expect(rows[0].n).toBe(0);
  });

  it('a person may not send the requisites of an entity', async () => {
    const response = await world.gql(REGISTER, { input: registration({ kbe: '19' }) });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe('kbe');
  });

  it('a registered BIN under a fresh login is a CONFLICT that names no requisite', async () => {
    const input = entityRegistration();
    await world.gql(REGISTER, { input });
    const response = await world.gql(REGISTER, { input: entityRegistration({ bin: input.bin }) });
    expect(codes(response)).toEqual(['CONFLICT']);
    expect(response.body.errors![0]!.extensions!.field).toBeUndefined();
    expect(response.body.errors![0]!.message).not.toMatch(/bin|iin/i);
  });
});
