/**
 * Fuzzing the HTTP endpoint: malformed documents and bodies, wrong variable types, huge strings,
 * deep and wide queries, unicode edge cases, for every kind of caller, partners and authorities
 * included, so the disclosure path (grant, guard, log) is fuzzed too. The server never answers 5xx
 * (the database is up, so there is no real fault), never hangs, and every error carries a known
 * stable code.
 */
import fc from 'fast-check';
import { KNOWN_CODES } from '../../src/graphql/format-error';
import { createCanaryClient } from '../support/canaries';
import { assignOrder, dpoToken, gqlOk, issuePartnerToken, registerPartnerWithContract } from '../support/disclosure';
import { type RawResponse } from '../support/server';
import { useWorld } from '../support/world';

const world = useWorld({ env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' } });
let tokens: Array<string | null>;
let ids: string[];

beforeAll(async () => {
  const em = world.em();
  const canary = await createCanaryClient(em, 'ACTIVE');
  const dpo = await dpoToken(world);
  // The canary is served by the partner and named by the lawful request, so their paths disclose and log.
  const partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  await assignOrder(em, canary, partner.partnerId);
  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Police department', documentNumber: 'PD-FUZZ', documentDate: '2026-11-01', legalBasis: 'Criminal procedure code',
      subjectIds: [canary.client.id], categories: ['FULL_NAME', 'PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  const authority = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r) { token } }`, { r: registerLawfulRequest.id }, dpo);
  ids = [canary.client.id, canary.order.id, partner.contractId, registerLawfulRequest.id];
  tokens = [
    null,
    world.tokens.operator,
    dpo,
    await world.token({ sub: canary.client.id, role: 'client' }),
    'not-a-token',
    (await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT'], 3600)).token,
    authority.issueAuthorityToken.token,
  ];
});

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

/** What partners and authorities call: with their tokens these serve personal data and write the log. */
const DISCLOSURE_QUERIES = [
  '{ partnerOrders { edges { node { id contactPhone client { fullName phones } } } } }',
  'query($n: Int!, $a: String) { partnerOrders(first: $n, after: $a) { edges { cursor node { id contactPhone client { id fullName phones } } } pageInfo { endCursor } } }',
  '{ authorityRequestSubjects { edges { node { fullName phones } } } }',
  'query($n: Int!, $a: String) { authorityRequestSubjects(first: $n, after: $a) { totalCount edges { cursor node { id fullName phones } } } }',
  'query($id: ID!) { client(id: $id) { id fullName phones orders { id contactPhone } } }',
];

const KNOWN_QUERIES = [
  ...DISCLOSURE_QUERIES,
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
  'query($n: Int!, $a: String) { myDisclosures(first: $n, after: $a) { edges { cursor node { seq fields { path category } } } } }',
  'query($id: ID!, $n: Int!, $a: String) { partnerTokens(contractId: $id, first: $n, after: $a) { edges { cursor node { tokenId live } } } }',
  'query($n: Int!, $a: String, $s: ErasureRequestStatus!) { erasureRequests(first: $n, after: $a, status: $s) { edges { cursor node { id clientId } } } }',
  'query($n: Int!, $a: String) { myErasureRequests(first: $n, after: $a) { edges { cursor node { id } } } }',
];

const deep = fc.integer({ min: 1, max: 80 }).map((n) => `{ ${'order(id: "x") { client { '.repeat(n)}id${' } }'.repeat(n)} }`);
const wide = fc.integer({ min: 1, max: 400 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: privacyPolicy { version }`).join(' ')} }`);
const mutated = fc
  .tuple(fc.constantFrom(...KNOWN_QUERIES), fc.nat(), fc.nat(30), text)
  .map(([query, at, cut, insert]) => query.slice(0, at % query.length) + insert + query.slice((at % query.length) + cut));
const document = fc.oneof(fc.constantFrom(...KNOWN_QUERIES), mutated, deep, wide, text, huge);

const variableValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), text, huge, fc.nat(3).map((i) => ids[i]), fc.integer(), fc.double());
const variables = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('n', 'id', 'f', 'o', 'a', 'b', 'i', 'l', 'p', 'x'), variableValue, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A known operation with its own variables, each given a value of any type: coercion and resolver inputs. */
const targetedAt = (queries: readonly string[]) => fc.constantFrom(...queries).chain((query) => {
  const names = [...query.matchAll(/\$(\w+):/g)].map((m) => m[1]!);
  return fc.record({ query: fc.constant(query), variables: fc.record(Object.fromEntries(names.map((n) => [n, variableValue])), { requiredKeys: [] }) });
});
const targeted = targetedAt(KNOWN_QUERIES);

type Case = { kind: 'json'; body: Record<string, unknown>; token: number; contentType: string } | { kind: 'raw'; body: string; token: number; contentType: string };
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'application/graphql-response+json', 'text/plain', 'application/json; charset=latin1');
/** An index into `tokens`: none, operator, DPO, client, garbage, partner, authority. */
const token = fc.nat(6);
const PARTNER = 5;
const AUTHORITY = 6;
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
  return world.raw(c.kind === 'json' ? JSON.stringify(c.body) : c.body, headers);
}

/** The answer's shape: no 5xx, a GraphQL body, known codes only, nothing sent echoed back, no stack. */
async function expectWellFormed(c: Case, seen: Map<string, number>): Promise<void> {
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
}

// No hang: each request is aborted after 15 s (support.ts), and each test's own timeout is far above
// any normal run, so only a hang reaches it; speed is the benchmark's to judge, not these tests'.
const NO_HANG_MS = 300_000;

describe('fuzzing /graphql', () => {
  it('no 5xx, no hang, and every error has a known stable code, whatever is sent', async () => {
    const seen = new Map<string, number>();
    await fc.assert(fc.asyncProperty(requestCase, (c) => expectWellFormed(c, seen)), { numRuns: 600 });
    // The process is still healthy afterwards.
    expect((await world.gql('{ privacyPolicy { version } }')).status).toBe(200);
    // Most runs should get past the HTTP layer to GraphQL's own checks.
    expect([...seen.keys()].length).toBeGreaterThan(3);
  }, NO_HANG_MS);

  it('the disclosure path, with partner and authority tokens and fuzzed variables, holds the same; what it serves is logged', async () => {
    const disclosureCase: fc.Arbitrary<Case> = fc.record({
      kind: fc.constant('json' as const),
      body: targetedAt(DISCLOSURE_QUERIES),
      token: fc.constantFrom(PARTNER, AUTHORITY),
      contentType: fc.constant('application/json'),
    });
    const connection = world.em().getConnection();
    const [{ head }] = await connection.execute(`select coalesce(max(seq), 0) as head from disclosure_log`);
    await fc.assert(fc.asyncProperty(disclosureCase, (c) => expectWellFormed(c, new Map())), { numRuns: 150 });
    // The variable-free queries among them serve the canary, so both kinds of recipient reached the log.
    const kinds: Array<{ recipient_kind: string }> = await connection.execute('select distinct recipient_kind from disclosure_log where seq > ?', [head]);
    expect(kinds.map((k) => k.recipient_kind).sort()).toEqual(['AUTHORITY', 'PARTNER']);
  }, NO_HANG_MS);
});
