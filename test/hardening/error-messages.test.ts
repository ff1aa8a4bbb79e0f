/**
 * GraphQL's own coercion and validation messages quote what the caller sent; a scalar's message
 * (graphql-scalars' Date, DateTimeISO) quotes it unquoted. Every case sends a canary, in a
 * variable and as an inline literal, and the answer must carry a stable code and no canary.
 * In production, suggestions ("Did you mean ...?") are gone too.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { errorCodes, startTestServer, type TestServer } from '../support/server';

const tag = randomBytes(5).toString('hex');
const canary = `IIN870412${tag}`;

let db: TestDatabase;
let dev: TestServer;
let production: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  dev = await startTestServer({ db });
  production = await startTestServer({ db, env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await dev?.close();
  await production?.close();
  await db?.drop();
});

interface Case {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly code: string;
}

const VARIABLE_CASES: Case[] = [
  { name: 'DateTimeISO', query: 'query($t: DateTimeISO) { disclosures(from: $t) { edges { node { seq } } } }', variables: { t: canary } },
  { name: 'Date', query: 'mutation($d: Date) { requestConsentWithdrawal(requestedDate: $d, notice: "x") { effectiveDate } }', variables: { d: canary } },
  { name: 'Date (an object)', query: 'mutation($d: Date) { requestConsentWithdrawal(requestedDate: $d, notice: "x") { effectiveDate } }', variables: { d: { v: canary } } },
  { name: 'Int', query: 'query($n: Int!) { clients(first: $n) { totalCount } }', variables: { n: canary } },
  { name: 'Int (too big)', query: 'query($n: Int!) { clients(first: $n) { totalCount } }', variables: { n: Number(`870412${tag.replace(/\D/g, '1')}`) } },
  { name: 'enum', query: 'query($f: ClientFilter) { clients(filter: $f) { totalCount } }', variables: { f: { status: canary } } },
  { name: 'enum (top level)', query: 'query($s: OrderStatus) { orders(status: $s) { pageInfo { hasNextPage } } }', variables: { s: canary } },
  { name: 'ID', query: 'query($id: ID!) { client(id: $id) { id } }', variables: { id: { v: canary } } },
  { name: 'String (an object)', query: 'query($f: ClientFilter) { clients(filter: $f) { totalCount } }', variables: { f: { surname: { v: canary } } } },
  { name: 'input field', query: 'query($f: ClientFilter) { clients(filter: $f) { totalCount } }', variables: { f: { [canary]: 1 } } },
].map((c) => ({ ...c, code: 'BAD_USER_INPUT' }));

const LITERAL_CASES: Case[] = [
  { name: 'DateTimeISO', query: `{ disclosures(from: "${canary}") { edges { node { seq } } } }` },
  { name: 'Date', query: `mutation { requestConsentWithdrawal(requestedDate: "${canary}", notice: "x") { effectiveDate } }` },
  { name: 'Int', query: `{ clients(first: "${canary}") { totalCount } }` },
  { name: 'Int (too big)', query: `{ clients(first: 870412${tag.replace(/\D/g, '1')}) { totalCount } }` },
  { name: 'enum', query: `{ clients(filter: { status: ${canary} }) { totalCount } }` },
  { name: 'enum (a string)', query: `{ orders(status: "${canary}") { pageInfo { hasNextPage } } }` },
  { name: 'ID', query: `{ client(id: { v: "${canary}" }) { id } }` },
  { name: 'String', query: `{ clients(filter: { surname: ${canary} }) { totalCount } }` },
  { name: 'String (in an enum position)', query: `{ clients(filter: { status: "${canary}" }) { totalCount } }` },
].map((c) => ({ ...c, code: 'GRAPHQL_VALIDATION_FAILED' }));

describe.each([
  ['development', () => dev],
  ['production', () => production],
])('%s: coercion and validation messages carry no value', (_env, server) => {
  it.each([...VARIABLE_CASES.map((c) => ['variable', c.name, c] as const), ...LITERAL_CASES.map((c) => ['literal', c.name, c] as const)])('%s: %s', async (_kind, _name, c) => {
    const response = await server().gql(c.query, c.variables);
    expect(errorCodes(response.body)).toContain(c.code);
    const errors = JSON.stringify(response.body.errors);
    expect(errors).not.toContain(canary);
    expect(errors).not.toContain(canary.slice(3, 12));
    expect(errors).not.toMatch(/870412/);
  });
});

it('messages keep what helps: the variable, its path, the type', async () => {
  const date = await dev.gql('query($t: DateTimeISO) { disclosures(from: $t) { edges { node { seq } } } }', { t: canary });
  expect(date.body.errors![0]!.message).toBe('Variable "$t" got invalid value; The value is not accepted for its type.');
  const nested = await dev.gql('query($f: ClientFilter) { clients(filter: $f) { totalCount } }', { f: { status: canary } });
  expect(nested.body.errors![0]!.message).toBe('Variable "$f" got invalid value at "f.status"; The value does not exist in "ClientStatus" enum.');
  const int = await dev.gql('query($n: Int!) { clients(first: $n) { totalCount } }', { n: canary });
  expect(int.body.errors![0]!.message).toBe('Variable "$n" got invalid value; Int cannot represent the value.');
  const literal = await dev.gql(`{ disclosures(from: "${canary}") { edges { node { seq } } } }`);
  expect(literal.body.errors![0]!.message).toBe('A value in the query is not valid for its type.');
});

describe("the caller's own document comes back to the caller; values never do", () => {
  const message = async (server: TestServer, query: string, variables?: Record<string, unknown>) => (await server.gql(query, variables)).body.errors![0]!.message;

  it.each([
    ['an unknown field', '{ clients { totalCont } }', 'Cannot query field "totalCont" on type "ClientConnection".'],
    ['an unknown argument', '{ clients(frist: 1) { totalCount } }', 'Unknown argument "frist" on field "Query.clients".'],
    ['an unknown input field', '{ clients(filter: { surnam: "x" }) { totalCount } }', 'Field "surnam" is not defined by type "ClientFilter".'],
    ['an unknown type', 'query($f: ClientFiltr) { clients(filter: $f) { totalCount } }', 'Unknown type "ClientFiltr".'],
    ['a subselection missing', '{ clients }', 'Field "clients" of type "ClientConnection!" must have a selection of subfields.'],
  ])('%s is named as typed, in a whole sentence (production, without suggestions)', async (_what, query, expected) => {
    expect(await message(production, query)).toBe(expected);
  });

  it('development adds the suggestion to the whole sentence', async () => {
    expect(await message(dev, '{ clients { totalCont } }')).toBe('Cannot query field "totalCont" on type "ClientConnection". Did you mean "totalCount"?');
  });

  it.each([
    ['a string where a number goes', `{ clients(first: "${canary}") { totalCount } }`, 'Int cannot represent non-integer value: <v>'],
    ['an enum literal that does not exist', `{ clients(filter: { status: ${canary} }) { totalCount } }`, 'The value does not exist in "ClientStatus" enum.'],
    ['a string where an input object goes', `{ clients(filter: "${canary}") { totalCount } }`, 'Expected a value of type "ClientFilter".'],
    ['an object where an ID goes', `{ client(id: { v: "${canary}" }) { id } }`, 'A value in the query is not valid for its type.'],
  ])('%s: the value is left out and the sentence stays whole', async (_what, query, expected) => {
    const text = await message(production, query);
    expect(text).not.toContain(canary);
    if (!expected.includes('<v>')) expect(text).toBe(expected);
  });

  it.each([
    ['an unterminated string', `{ clients(filter: { surname: "${canary} }) { totalCount } }`, 'Syntax Error: Unterminated string.'],
    ['a string where a name goes', `{ clients(filter: { "${canary}": 1 }) { totalCount } }`, 'Syntax Error: Expected Name, found a string.'],
    ['a number where a name goes', '{ clients(870412: 1) { totalCount } }', 'Syntax Error: Expected Name, found a number.'],
    ['a name out of place', '{ clients(first: 1) { totalCount } } stray', 'Syntax Error: Unexpected Name "stray".'],
    ['a punctuator out of place', '{ clients(first: 1)) }', 'Syntax Error: Expected Name, found ")".'],
    ['a character that is no token', `{ clients(first: 1) { totalCount } } ${'\u00e9'}`, 'Syntax Error: Unexpected character.'],
  ])('syntax: %s', async (_what, query, expected) => {
    expect(await message(production, query)).toBe(expected);
  });

  it("Apollo's CSRF refusal reads whole, header names included", async () => {
    const response = await production.raw(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(response.json!.errors![0]!.message).toBe(
      "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header " +
        '(with a type that is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain) or provide a non-empty value ' +
        'for one of the following headers: x-apollo-operation-name, apollo-require-preflight',
    );
  });

  it('an unknown operationName is not quoted back (it is request data, not the document)', async () => {
    const response = await production.raw({ query: 'query A { __typename }', operationName: canary });
    expect(response.json!.errors![0]!.message).toBe('The document has no operation of the name given in operationName.');
  });
});

describe('suggestions', () => {
  // [kind, query, variables, the name graphql-js suggests]
  const TYPOS: Array<[string, string, Record<string, unknown>, string]> = [
    ['enum literal', '{ clients(filter: { status: ACTIV }) { totalCount } }', {}, 'ACTIVE'],
    ['enum variable', 'query($f: ClientFilter) { clients(filter: $f) { totalCount } }', { f: { status: 'ACTIV' } }, 'ACTIVE'],
    ['type', 'query($f: ClientFiltr) { clients(filter: $f) { totalCount } }', {}, 'ClientFilter'],
    ['field', '{ clients { totalCont } }', {}, 'totalCount'],
    ['argument', '{ clients(frist: 1) { totalCount } }', {}, 'first'],
    ['input field', '{ clients(filter: { surnam: "x" }) { totalCount } }', {}, 'surname'],
  ];

  it.each(TYPOS)('production hides them: %s', async (_name, query, variables, suggested) => {
    const response = await production.gql(query, variables);
    expect(response.body.errors?.length).toBeGreaterThan(0);
    for (const error of response.body.errors!) {
      expect(error.message).not.toMatch(/Did you mean|Suggestion/);
      expect(error.message).not.toContain(`"${suggested}"`);
    }
  });

  it.each(TYPOS)('development keeps them, naming the schema only: %s', async (_name, query, variables, suggested) => {
    const response = await dev.gql(query, variables);
    expect(response.body.errors!.some((e) => new RegExp(`Did you mean (the enum value )?"${suggested}"`).test(e.message))).toBe(true);
  });
});
