/**
 * Fuzzing the HTTP endpoint: malformed documents and bodies, wrong variable types, huge strings,
 * deep and wide queries, unicode edge cases. The server never answers 5xx (the database is up, so
 * there is no real fault), never hangs, and every error carries a known stable code.
 */
import fc from 'fast-check';
import { KNOWN_CODES } from '../../src/graphql/format-error';
import { createCanaryClient } from '../support/canaries';
import { startHardenedServer, type HardenedServer, type RawResponse } from './support';

let server: HardenedServer;
let tokens: Array<string | null>;
let ids: string[];

beforeAll(async () => {
  server = await startHardenedServer({ env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' } });
  const canary = await createCanaryClient(server.db.orm.em.fork(), 'ACTIVE');
  ids = [canary.client.id, canary.order.id];
  tokens = [
    null,
    await server.token({ sub: 'operator-1', role: 'operator' }),
    await server.token({ sub: 'dpo-1', role: 'dpo' }),
    await server.token({ sub: canary.client.id, role: 'client' }),
    'not-a-token',
  ];
});
afterAll(() => server.close());

const EDGE_STRINGS = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\u0000',
  '\u202E', // right-to-left override
  '\u200F', // right-to-left mark
  '\uFEFF',
  '\u0301\u0301\u0301',
  'Қазақстан',
  '👩‍👩‍👧‍👦',
  '"\\',
  '{"a":',
  '$__schema',
];

const edge = fc.constantFrom(...EDGE_STRINGS);
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), edge, fc.array(edge, { maxLength: 5 }).map((a) => a.join('')));
const huge = fc.constantFrom(30_000, 90_000, 200_000).map((n) => 'Ж'.repeat(n / 2));

const KNOWN_QUERIES = [
  '{ privacyPolicy { version } }',
  'query($n: Int!) { clients(first: $n) { totalCount edges { node { id surname phones } } } }',
  'query($id: ID!) { client(id: $id) { id fullName orders { id amount } } }',
  'query($id: ID!) { order(id: $id) { id contactPhone client { id } } }',
  'query($f: ClientFilter, $o: ClientOrderBy, $a: String) { clients(filter: $f, orderBy: $o, after: $a) { edges { cursor } } }',
  'mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { id } }',
  'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
  'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }',
  '{ me { id orders(first: 3) { id } } }',
  '{ statistics { clientsByKind { key count } } }',
];

const deep = fc.integer({ min: 1, max: 80 }).map((n) => `{ ${'order(id: "x") { client { '.repeat(n)}id${' } }'.repeat(n)} }`);
const wide = fc.integer({ min: 1, max: 400 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: privacyPolicy { version }`).join(' ')} }`);
const mutated = fc
  .tuple(fc.constantFrom(...KNOWN_QUERIES), fc.nat(), fc.nat(30), text)
  .map(([query, at, cut, insert]) => query.slice(0, at % query.length) + insert + query.slice((at % query.length) + cut));
const document = fc.oneof(fc.constantFrom(...KNOWN_QUERIES), mutated, deep, wide, text, huge);

const variableValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), text, huge, fc.nat(1).map((i) => ids[i]), fc.integer(), fc.double());
const variables = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('n', 'id', 'f', 'o', 'a', 'i', 'l', 'p', 'x'), variableValue, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A known operation with its own variables, each given a value of any type: coercion and resolver inputs. */
const targeted = fc.constantFrom(...KNOWN_QUERIES).chain((query) => {
  const names = [...query.matchAll(/\$(\w+):/g)].map((m) => m[1]!);
  return fc.record({ query: fc.constant(query), variables: fc.record(Object.fromEntries(names.map((n) => [n, variableValue])), { requiredKeys: [] }) });
});

type Case = { kind: 'json'; body: Record<string, unknown>; token: number; contentType: string } | { kind: 'raw'; body: string; token: number; contentType: string };
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'application/graphql-response+json', 'text/plain', 'application/json; charset=latin1');
const token = fc.nat(4);
const requestCase: fc.Arbitrary<Case> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('json' as const), body: fc.record({ query: document, variables, operationName: fc.option(text, { nil: undefined }) }, { requiredKeys: [] }), token, contentType }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('json' as const), body: targeted, token, contentType: fc.constant('application/json') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), body: fc.oneof(text, fc.jsonValue().map((v) => JSON.stringify(v)), huge), token, contentType }) },
);

/** Every string of 6 or more characters the case sends as data: variable values and operation name. */
function sentStrings(c: Case): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length >= 6) found.push(value);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        walk(key);
        walk(inner);
      }
    }
  };
  if (c.kind === 'json') {
    walk(c.body.variables);
    walk(c.body.operationName);
  }
  return found;
}

async function send(c: Case): Promise<RawResponse> {
  const bearer = tokens[c.token];
  const headers = { 'content-type': c.contentType, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
  return server.raw(c.kind === 'json' ? JSON.stringify(c.body) : c.body, headers);
}

describe('fuzzing /graphql', () => {
  it('no 5xx, no hang, and every error has a known stable code, whatever is sent', async () => {
    const started = Date.now();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(requestCase, async (c) => {
        const response = await send(c);
        expect(response.status).toBeLessThan(500);
        expect(response.json).not.toBeNull();
        const body = response.json!;
        expect('data' in body || 'errors' in body).toBe(true);
        const messages = (body.errors ?? []).map((e) => e.message).join('\n');
        for (const sent of sentStrings(c)) expect(messages).not.toContain(sent);
        for (const error of body.errors ?? []) {
          const code = String(error.extensions?.code);
          seen.set(code, (seen.get(code) ?? 0) + 1);
          expect(KNOWN_CODES.has(code)).toBe(true);
          expect(code).not.toBe('INTERNAL_SERVER_ERROR');
          expect(Object.keys(error.extensions ?? {})).not.toContain('stacktrace');
        }
      }),
      { numRuns: 600 },
    );
    // The process is still healthy afterwards.
    expect((await server.gql('{ privacyPolicy { version } }')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(50_000);
    // Most runs should get past the HTTP layer to GraphQL's own checks.
    expect([...seen.keys()].length).toBeGreaterThan(3);
  }, 60_000);
});
