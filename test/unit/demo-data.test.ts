import {
  isValidBic,
  isValidBin,
  isValidEmail,
  isValidIin,
  isValidKzIban,
  isValidKzPhone,
} from '../../src/kz/identifiers';
import { createRng, generateDemoClients, type DemoAddress, type DemoClient } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import * as v from '../../src/validation/validate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_PASSWORD_HASHING } from '../support/server';

const clients = generateDemoClients(2000, 42);
const persons = clients.filter((c) => c.kind === 'PERSON');
const entities = clients.filter((c) => c.kind === 'ENTITY');

const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
const CYRILLIC = /^[\p{Script=Cyrillic} -]+$/u;
const LATIN = /^[A-Za-z -]+$/;

function allAddresses(c: DemoClient): DemoAddress[] {
  return [c.registrationAddress, c.residenceAddress, ...c.orders.map((o) => o.deliveryAddress)];
}

describe('createRng', () => {
  it('is deterministic per seed and yields numbers in [0, 1)', () => {
    const a = createRng(7);
    const b = createRng(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it('differs between seeds', () => {
    expect(createRng(1)()).not.toBe(createRng(2)());
  });
});

describe('generateDemoClients', () => {
  it('returns the requested number of clients', () => {
    expect(generateDemoClients(0, 1)).toEqual([]);
    expect(clients).toHaveLength(2000);
  });

  it('is deterministic: the same seed gives deep-equal output', () => {
    expect(generateDemoClients(2000, 42)).toEqual(clients);
  });

  it('gives different data for a different seed', () => {
    expect(generateDemoClients(50, 43)).not.toEqual(clients.slice(0, 50));
  });

  it('makes about 15% of clients legal entities', () => {
    expect(entities.length / clients.length).toBeGreaterThan(0.11);
    expect(entities.length / clients.length).toBeLessThan(0.19);
  });

  // Large loops collect the offenders and compare with [] — one assertion, and a readable failure.

  it('gives persons a valid IIN, a name, and no BIN or legal name', () => {
    const bad = persons.filter(
      (p) => !isValidIin(p.iin ?? '') || p.bin !== null || p.legalName !== null || !p.surname || !p.firstName,
    );
    expect(bad).toEqual([]);
  });

  it('gives persons birth years from 1950 to 2005 with a century digit matching the year', () => {
    const years = persons.map((p) => {
      const iin = p.iin ?? '';
      return (iin[6] === '3' || iin[6] === '4' ? 1900 : 2000) + Number(iin.slice(0, 2));
    });
    expect(years.filter((y) => y < 1950 || y > 2005)).toEqual([]);
    expect(Math.min(...years)).toBeLessThan(1955);
    expect(Math.max(...years)).toBeGreaterThan(2000);
  });

  it('gives entities a valid BIN, a legal name with a legal form, and no IIN', () => {
    const bad = entities.filter(
      (e) => !isValidBin(e.bin ?? '') || e.iin !== null || !/^(ТОО|АО|ИП) «.+»$/.test(e.legalName ?? ''),
    );
    expect(bad).toEqual([]);
  });

  it('uses entity type 6 in the BIN of an ИП and 4 otherwise', () => {
    for (const e of entities) expect(e.bin?.[4]).toBe(e.legalName?.startsWith('ИП') ? '6' : '4');
  });

  it('gives every ИП a representative, and some companies none', () => {
    for (const e of entities.filter((x) => x.legalName?.startsWith('ИП'))) expect(e.surname).not.toBeNull();
    expect(entities.some((e) => e.surname === null)).toBe(true);
  });

  it('makes every IBAN, BIC, phone and e-mail valid', () => {
    const accounts = clients.flatMap((c) => c.bankAccounts);
    expect(accounts.filter((a) => !isValidKzIban(a.iban) || !isValidBic(a.bic))).toEqual([]);
    expect(clients.flatMap((c) => c.phones).filter((p) => !isValidKzPhone(p))).toEqual([]);
    expect(clients.flatMap((c) => c.emails).filter((e) => !isValidEmail(e))).toEqual([]);
  });

  it('pairs each IBAN bank code with its bank and BIC', () => {
    const bicByCode: Record<string, string> = {
      '722': 'CASPKZKA',
      '601': 'HSBKKZKX',
      '998': 'TSESKZKA',
      '914': 'IRTYKZKA',
      '826': 'KCJBKZKX',
    };
    const accounts = clients.flatMap((c) => c.bankAccounts);
    expect(accounts.filter((a) => a.bic !== bicByCode[a.iban.slice(4, 7)])).toEqual([]);
  });

  it('keeps counts of phones, e-mails, bank accounts and orders in range', () => {
    const bad = clients.filter(
      (c) =>
        c.phones.length < 1 ||
        c.phones.length > 3 ||
        c.emails.length < 1 ||
        c.emails.length > 2 ||
        c.bankAccounts.length > 2 ||
        c.orders.length > 5,
    );
    expect(bad).toEqual([]);
    expect(clients.some((c) => c.bankAccounts.length === 0)).toBe(true);
    expect(clients.some((c) => c.orders.length === 0)).toBe(true);
    expect(clients.some((c) => c.orders.length === 5)).toBe(true);
  });

  it('makes logins unique', () => {
    expect(new Set(clients.map((c) => c.login)).size).toBe(clients.length);
  });

  it('makes IINs, BINs, IBANs, phones and e-mails unique across the set', () => {
    const all = (xs: Array<string | null>) => xs.filter((x): x is string => x !== null);
    for (const values of [
      all(clients.map((c) => c.iin)),
      all(clients.map((c) => c.bin)),
      clients.flatMap((c) => c.bankAccounts.map((a) => a.iban)),
      clients.flatMap((c) => c.phones),
      clients.flatMap((c) => c.emails),
    ]) {
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('mixes Cyrillic (with Kazakh letters) and Latin names, about 20% Latin', () => {
    const named = clients.filter((c) => c.surname !== null && c.firstName !== null);
    const full = (c: DemoClient) => [c.surname, c.firstName, c.patronymic].filter((x) => x !== null).join(' ');
    const latin = named.filter((c) => LATIN.test(full(c)));
    const cyrillic = named.filter((c) => CYRILLIC.test(full(c)));
    expect(latin.length + cyrillic.length).toBe(named.length);
    expect(latin.length / named.length).toBeGreaterThan(0.15);
    expect(latin.length / named.length).toBeLessThan(0.25);
    expect(cyrillic.some((c) => KAZAKH_LETTERS.test(full(c)))).toBe(true);
    expect(cyrillic.some((c) => c.patronymic?.endsWith('ұлы') || c.patronymic?.endsWith('қызы'))).toBe(true);
    expect(cyrillic.some((c) => c.patronymic?.endsWith('вна'))).toBe(true);
  });

  it('gives addresses a region, a city and a 6-digit postal code', () => {
    const bad = clients
      .flatMap(allAddresses)
      .filter((a) => a.country !== 'Казахстан' || !a.region || !a.city || !a.street || !/^[0-9]{6}$/.test(a.postalCode));
    expect(bad).toEqual([]);
  });

  it('makes each order amount the sum of quantity × price, in integer tiyn', () => {
    const orders = clients.flatMap((c) => c.orders);
    const bad = orders.filter(
      (o) =>
        o.items.length < 1 ||
        !Number.isInteger(o.amountTiyn) ||
        o.items.some((i) => !Number.isInteger(i.priceTiyn) || !Number.isInteger(i.quantity) || i.quantity < 1) ||
        o.amountTiyn !== o.items.reduce((s, i) => s + i.quantity * i.priceTiyn, 0),
    );
    expect(bad).toEqual([]);
  });

  it("takes an order's contact phone and e-mail from the client's own", () => {
    const bad = clients.filter((c) =>
      c.orders.some(
        (o) => !c.phones.includes(o.contactPhone) || !c.emails.includes(o.contactEmail) || o.createdDaysAgo < 0,
      ),
    );
    expect(bad).toEqual([]);
  });

  it('uses every order status', () => {
    const statuses = new Set(clients.flatMap((c) => c.orders.map((o) => o.status)));
    expect([...statuses].sort()).toEqual(['CANCELLED', 'COMPLETED', 'NEW', 'PAID']);
  });
});

describe('seedDemoData on PostgreSQL', () => {
  const TABLES = ['client', 'consent', 'client_order', 'partner', 'contract', 'lawful_request'];
  const NOW = new Date('2026-03-01T09:00:00Z');
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await seedDemoData(first.orm.em.fork(), { count: 40, seed: 5, now: NOW, passwordHashing: TEST_PASSWORD_HASHING });
    await seedDemoData(second.orm.em.fork(), { count: 40, seed: 5, now: NOW, passwordHashing: TEST_PASSWORD_HASHING });
  });
  afterAll(() => Promise.all([first.drop(), second.drop()]));

  // The password hash has a random salt by design; every other column follows from seed and `now`.
  const rows = (db: TestDatabase, table: string): Promise<Array<Record<string, unknown>>> =>
    db.orm.em.fork().getConnection().execute(`select * from ${table} order by id`).then((all: Array<Record<string, unknown>>) =>
      all.map(({ password_hash: _hash, ...rest }) => rest),
    );

  it('two runs with the same seed and `now` write equal rows, ids included', async () => {
    for (const table of TABLES) {
      const a = await rows(first, table);
      expect(a.length).toBeGreaterThan(0);
      expect({ table, rows: await rows(second, table) }).toEqual({ table, rows: a });
    }
  });

  it('the demo account has an order of each status, its paid one with the courier under contract, all with its own contacts', async () => {
    const conn = first.orm.em.fork().getConnection();
    const [account] = await conn.execute(`select id, phones, emails from client where login = 'demo.client'`);
    const orders = await conn.execute(`select o.status, o.contact_phone, o.contact_email, c.number as contract from client_order o
      left join contract c on c.partner_id = o.partner_id where o.client_id = ? order by o.created_at desc`, [account.id]);
    expect(orders.map((o: Record<string, unknown>) => o.status)).toEqual(expect.arrayContaining(['NEW', 'PAID', 'COMPLETED', 'CANCELLED']));
    expect(orders.filter((o: Record<string, unknown>) => o.contract === 'AG-2025/014').map((o: Record<string, unknown>) => o.status)).toContain('PAID');
    for (const o of orders) expect([account.phones.includes(o.contact_phone), account.emails.includes(o.contact_email)]).toEqual([true, true]);
  });

  it('every seeded IIN, BIN, IBAN, phone, e-mail and entity requisite passes the API validators', async () => {
    const clients = await rows(first, 'client');
    const partners = await rows(first, 'partner');
    const today = NOW.toISOString().slice(0, 10);
    const bad: string[] = [];
    const check = (what: string, ok: () => unknown) => {
      try {
        if (ok() === false) bad.push(what);
      } catch {
        bad.push(what);
      }
    };
    for (const c of clients) {
      if (c.kind === 'PERSON') check(`iin ${c.id}`, () => isValidIin(c.iin as string));
      if (c.kind === 'ENTITY') {
        check(`bin ${c.id}`, () => isValidBin(c.bin as string));
        check(`legalForm ${c.id}`, () => typeof c.legal_form === 'string');
        check(`date ${c.id}`, () => v.calendarDate('d', c.state_registration_date as string, '1991-01-01', today));
        check(`kbe ${c.id}`, () => v.kbe('kbe', c.kbe as string));
        if (c.head_full_name !== null) check(`head ${c.id}`, () => v.personName('head', c.head_full_name as string));
        if (c.vat_certificate !== null) check(`vat ${c.id}`, () => v.vatCertificate('vat', c.vat_certificate as string) === c.vat_certificate);
      }
      for (const phone of c.phones as string[]) check(`phone ${c.id}`, () => isValidKzPhone(phone));
      for (const email of c.emails as string[]) check(`email ${c.id}`, () => isValidEmail(email));
      for (const account of c.bank_accounts as Array<{ iban: string; bic: string }>) {
        check(`iban ${c.id}`, () => isValidKzIban(account.iban));
        check(`bic ${c.id}`, () => isValidBic(account.bic));
      }
    }
    for (const p of partners) check(`partner bin ${p.id}`, () => isValidBin(p.bin as string));
    expect(bad).toEqual([]);
    expect(clients.some((c) => c.kind === 'ENTITY')).toBe(true);
  });

  it('the demo lawful request and the courier contract stay valid for years, so an old .data/ still prints every token', async () => {
    const [request] = await rows(first, 'lawful_request');
    expect(new Date(request!.expires_at as string).getTime()).toBeGreaterThan(NOW.getTime() + 5 * 365 * 86_400_000);
    const contracts = await rows(first, 'contract');
    expect(contracts.some((c) => String(c.valid_to) > '2031-03-01')).toBe(true);
  });
});
