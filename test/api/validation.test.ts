/** Bad input on placeOrder, registration and updateMyContacts: BAD_USER_INPUT naming the field, no echo, nothing written. */
import { codes, type GraphQLResponse } from '../support/server';
import { REGISTER, registration } from '../support/fixtures';
import { useWorld } from '../support/world';

const world = useWorld();
let token: string;
let clientId: string;
let phonesBefore: string[];

beforeAll(async () => {
  const input = registration();
  const registered = await world.gql(REGISTER, { input });
  ({ token, clientId } = registered.body.data!.registerClient);
  phonesBefore = input.phones as string[];
});


/** Every string value (not key) of 4+ characters in what was sent. */
function sentStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.trim().length >= 4 ? [value.trim()] : [];
  if (Array.isArray(value)) return value.flatMap(sentStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(sentStrings);
  return [];
}

/** The field named, and no sent value anywhere in the answer. */
function expectRefused(response: GraphQLResponse, field: string, sent: unknown): void {
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  expect(response.body.errors![0]!.extensions!.field).toBe(field);
  const body = JSON.stringify(response.body);
  for (const value of sentStrings(sent)) expect({ field, echoed: body.includes(value) ? value : null }).toEqual({ field, echoed: null });
}

const LONG = 'Щ'.repeat(201);
const item = (over: Record<string, unknown> = {}) => ({ name: 'Шұбат 1 л', quantity: 1, priceTiyn: 120000, ...over });

describe('placeOrder', () => {
  const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }`;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no items', { items: [] }, 'items'],
    ['a quantity of 0', { items: [item({ quantity: 0 })] }, 'items[0].quantity'],
    ['a quantity above 10,000', { items: [item(), item({ quantity: 10_001 })] }, 'items[1].quantity'],
    ['a negative price', { items: [item({ priceTiyn: -1 })] }, 'items[0].priceTiyn'],
    ['an empty item name', { items: [item({ name: '   ' })] }, 'items[0].name'],
    ['an item name of 201 characters', { items: [item({ name: LONG })] }, 'items[0].name'],
    ['an item name with a control character', { items: [item({ name: 'Чай\u0007зелёный' })] }, 'items[0].name'],
    ['a contact phone outside Kazakhstan', { items: [item()], contactPhone: '+4915112345678' }, 'contactPhone'],
    ['a contact e-mail without a domain', { items: [item()], contactEmail: 'buyer-at-nowhere' }, 'contactEmail'],
    ['a delivery postal code of 5 digits', { items: [item()], deliveryAddress: { country: 'KZ', city: 'Алматы', postalCode: '05000' } }, 'deliveryAddress.postalCode'],
    ['a delivery street of 201 characters', { items: [item()], deliveryAddress: { country: 'KZ', city: 'Алматы', street: LONG } }, 'deliveryAddress.street'],
  ];
  it.each(cases)('%s is refused naming the field, and no order is written', async (_name, input, field) => {
    expectRefused(await world.gql(PLACE, { i: input }, token), field, input);
    expect((await world.sql(`select count(*)::int as n from client_order where client_id = ?`, [clientId]))[0]!.n).toBe(0);
  });
});

describe('registerClient: BIC, postal code and maximum lengths', () => {
  const account = (over: Record<string, unknown>) => [{ iban: 'KZ86125KZT5004100100', bankName: 'Halyk Bank', bic: 'HSBKKZKX', ...over }];
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a BIC of 9 characters', { bankAccounts: account({ bic: 'HSBKKZKX1' }) }, 'bankAccounts[0].bic'],
    ['a BIC with digits in the bank code', { bankAccounts: account({ bic: 'HS8KKZKX' }) }, 'bankAccounts[0].bic'],
    ['a bank name of 101 characters', { bankAccounts: account({ bankName: 'Б'.repeat(101) }) }, 'bankAccounts[0].bankName'],
    ['a postal code with letters', { residenceAddress: { country: 'KZ', city: 'Алматы', postalCode: 'A50000' } }, 'residenceAddress.postalCode'],
    ['a city of 101 characters', { registrationAddress: { country: 'KZ', city: 'Г'.repeat(101) } }, 'registrationAddress.city'],
    ['a surname of 101 characters', { surname: 'Ж'.repeat(101) }, 'surname'],
    ['a login of 65 characters', { login: `l${'o'.repeat(64)}` }, 'login'],
    ['a password of 201 characters', { password: 'p'.repeat(201) }, 'password'],
    ['six phones', { phones: ['+77010000001', '+77010000002', '+77010000003', '+77010000004', '+77010000005', '+77010000006'] }, 'phones'],
  ];
  it.each(cases)('%s is refused naming the field, and no client is written', async (_name, override, field) => {
    const input = registration(override);
    expectRefused(await world.gql(REGISTER, { input }), field, override);
    expect((await world.sql(`select count(*)::int as n from client where login = ?`, [String(input.login).toLowerCase()]))[0]!.n).toBe(0);
  });
});

describe('updateMyContacts', () => {
  const UPDATE = `mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { phones } }`;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a second phone that is not E.164 +7', { phones: ['+77011234567', '12345'] }, 'phones[1]'],
    ['no phone at all', { phones: [] }, 'phones'],
    ['a bad e-mail, with a good phone alongside', { phones: ['+77019998877'], emails: ['no-at-sign.kz'] }, 'emails[0]'],
    ['a residence postal code of 7 digits', { residenceAddress: { country: 'KZ', city: 'Астана', postalCode: '0100001' } }, 'residenceAddress.postalCode'],
    ['a bank account with a bad BIC', { bankAccounts: [{ iban: 'KZ86125KZT5004100100', bankName: 'Halyk Bank', bic: 'HSBK' }] }, 'bankAccounts[0].bic'],
  ];
  it.each(cases)('%s is refused naming the field, and nothing changes', async (_name, input, field) => {
    expectRefused(await world.gql(UPDATE, { i: input }, token), field, input);
    const [row] = await world.sql(`select phones, emails, residence_address, bank_accounts, updated_at, created_at from client where id = ?`, [clientId]);
    expect(row!.phones).toEqual(phonesBefore);
    expect(row!.updated_at).toEqual(row!.created_at);
  });
});

describe('login arguments', () => {
  const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }`;
  it.each([
    ['a login of 65 characters', 'x'.repeat(65), 'correct horse battery', 'login'],
    ['an empty login', '   ', 'correct horse battery', 'login'],
    ['a password of 201 characters', 'someone', 'p'.repeat(201), 'password'],
    ['an empty password', 'someone', '', 'password'],
  ])('%s is BAD_USER_INPUT naming the argument, before any password check', async (_name, login, password, field) => {
    expectRefused(await world.gql(LOGIN, { l: login, p: password }), field, [login, password]);
  });
});
