/**
 * The record lists as Relay connections: erasureRequests, myErasureRequests, erasureReceipts,
 * lawfulRequests, partners, partnerTokens and authorityTokens page forward by opaque cursors
 * (first/after) through every row, in the list's order with rows of the same time tie-broken by
 * id, with PageInfo as Relay defines it; a cursor this list did not make is BAD_USER_INPUT on `after`.
 */
import { randomUUID } from 'node:crypto';
import { registerClient, type Registered } from '../support/accounts';
import { dpoToken, gqlOk, issuePartnerToken, registerPartnerWithContract } from '../support/disclosure';
import { expectCursorRefused, walkPages, type RelayPage } from '../support/server';
import { useWorld } from '../support/world';

const ROWS = 5;
/** A time given to some rows of each list, so pages cross rows that only their ids order. */
const SAME_TIME = '2026-03-01T09:00:00.000Z';
const PAGE = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const world = useWorld();
let dpo: string;
let subject: Registered;
let contractId: string;
let requestId: string;
/** Values that must never travel in a cursor: client ids, partner names and BINs, tokens. */
const secrets: string[] = [];

interface List {
  readonly field: string;
  readonly query: string;
  readonly variables: () => Record<string, unknown>;
  readonly token: () => string;
  /** The list's rows as the database orders them: the truth the pages must add up to. */
  readonly expected: () => Promise<string[]>;
}

const ids = async (sql: string, params: unknown[] = []) => (await world.sql<{ id: string }>(sql, params)).map((r) => r.id);

const LISTS: List[] = [
  {
    field: 'erasureRequests',
    query: `query($first: Int!, $after: String) { erasureRequests(first: $first, after: $after) { ${PAGE} edges { cursor node { id } } } }`,
    variables: () => ({}),
    token: () => dpo,
    expected: () => ids(`select id from erasure_request where status = 'PENDING' order by requested_at, id`),
  },
  {
    field: 'myErasureRequests',
    query: `query($first: Int!, $after: String) { myErasureRequests(first: $first, after: $after) { ${PAGE} edges { cursor node { id } } } }`,
    variables: () => ({}),
    token: () => subject.token,
    expected: () => ids(`select id from erasure_request where client_id = ? order by requested_at desc, id desc`, [subject.clientId]),
  },
  {
    field: 'erasureReceipts',
    query: `query($first: Int!, $after: String) { erasureReceipts(first: $first, after: $after) { ${PAGE} edges { cursor node { id } } } }`,
    variables: () => ({}),
    token: () => dpo,
    expected: () => ids(`select id from erasure_receipt order by erased_at desc, id desc`),
  },
  {
    field: 'lawfulRequests',
    query: `query($first: Int!, $after: String) { lawfulRequests(first: $first, after: $after) { ${PAGE} edges { cursor node { id } } } }`,
    variables: () => ({}),
    token: () => dpo,
    expected: () => ids(`select id from lawful_request order by created_at desc, id desc`),
  },
  {
    field: 'partners',
    query: `query($first: Int!, $after: String) { partners(first: $first, after: $after) { ${PAGE} edges { cursor node { id } } } }`,
    variables: () => ({}),
    token: () => dpo,
    expected: () => ids(`select id from partner order by created_at, id`),
  },
  {
    field: 'partnerTokens',
    query: `query($first: Int!, $after: String, $c: ID!) { partnerTokens(contractId: $c, first: $first, after: $after) { ${PAGE} edges { cursor node { id: tokenId } } } }`,
    variables: () => ({ c: contractId }),
    token: () => dpo,
    expected: () => ids(`select jti as id from partner_token where contract_id = ? order by issued_at desc, jti desc`, [contractId]),
  },
  {
    field: 'authorityTokens',
    query: `query($first: Int!, $after: String, $r: ID!) { authorityTokens(requestId: $r, first: $first, after: $after) { ${PAGE} edges { cursor node { id: tokenId } } } }`,
    variables: () => ({ r: requestId }),
    token: () => dpo,
    expected: () => ids(`select jti as id from authority_token where request_id = ? order by issued_at desc, jti desc`, [requestId]),
  },
];

const registerRequest = async (subjectIds: string[]): Promise<string> =>
  (await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Police department', documentNumber: `PD-${randomUUID().slice(0, 8)}`, documentDate: '2026-11-01', legalBasis: 'Criminal procedure code',
      subjectIds, categories: ['PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo)).registerLawfulRequest.id;

beforeAll(async () => {
  dpo = await dpoToken(world);
  subject = await registerClient(world);
  secrets.push(subject.clientId);
  for (let i = 0; i < ROWS; i++) {
    const client = await registerClient(world);
    secrets.push(client.clientId);
    await gqlOk(world, `mutation { requestErasure { id } }`, {}, client.token);
  }
  await gqlOk(world, `mutation { requestErasure { id } }`, {}, subject.token);
  // A subject has one pending request at a time; its earlier, done ones are written here.
  for (let i = 0; i < ROWS - 1; i++) {
    await world.sql(`insert into erasure_request (id, client_id, status, requested_at, evidence) values (?, ?, 'DONE', ?, '{"userAgent":null,"ipPrefix":null}')`, [
      randomUUID(), subject.clientId, i < 2 ? SAME_TIME : new Date(Date.parse(SAME_TIME) - (i + 1) * 60_000).toISOString(),
    ]);
  }
  for (let i = 0; i < ROWS; i++) {
    const client = await registerClient(world);
    secrets.push(client.clientId);
    await gqlOk(world, `mutation($id: ID!) { eraseClient(clientId: $id, basis: WRITTEN_REQUEST_OFFLINE, reference: "IN-2026/7") { id } }`, { id: client.clientId }, dpo);
  }
  for (let i = 0; i < ROWS; i++) {
    const partner = await registerPartnerWithContract(world, dpo, ['PHONE']);
    contractId = partner.contractId;
  }
  secrets.push(...(await world.sql<{ name: string; bin: string }>(`select name, bin from partner`)).flatMap((p) => [p.name, p.bin]));
  for (let i = 0; i < ROWS; i++) secrets.push((await issuePartnerToken(world, dpo, contractId, ['PHONE'])).token);
  for (let i = 0; i < ROWS; i++) requestId = await registerRequest([subject.clientId]);
  for (let i = 0; i < ROWS; i++) {
    const { issueAuthorityToken } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token } }`, { r: requestId }, dpo);
    secrets.push(issueAuthorityToken.token);
  }
  // Rows of one instant in every list: only the id orders them.
  await world.sql(`update erasure_request set requested_at = ? where id in (select id from erasure_request where status = 'PENDING' order by id limit 3)`, [SAME_TIME]);
  await world.sql(`update erasure_receipt set erased_at = ? where id in (select id from erasure_receipt order by id limit 3)`, [SAME_TIME]);
  await world.sql(`update lawful_request set created_at = ? where id in (select id from lawful_request order by id limit 3)`, [SAME_TIME]);
  await world.sql(`update partner set created_at = ? where id in (select id from partner order by id limit 3)`, [SAME_TIME]);
  await world.sql(`update partner_token set issued_at = ? where jti in (select jti from partner_token where contract_id = ? order by jti limit 3)`, [SAME_TIME, contractId]);
  await world.sql(`update authority_token set issued_at = ? where jti in (select jti from authority_token where request_id = ? order by jti limit 3)`, [SAME_TIME, requestId]);
});

type Page = RelayPage<{ id: string }>;

const walk = (list: List, first: number): Promise<Page[]> =>
  walkPages(world.gql, { query: list.query, field: list.field, token: list.token(), variables: list.variables() }, first);

const cursorOf = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe.each(LISTS.map((list) => [list.field, list] as const))('%s pages forward by cursor', (_field, list) => {
  it('walks every row once, in the list order with ties broken by id, in pages of `first`', async () => {
    const expected = await list.expected();
    expect(expected.length).toBeGreaterThanOrEqual(ROWS);
    const pages = await walk(list, 2);
    const count = Math.ceil(expected.length / 2);
    expect(pages.map((p) => p.edges.length)).toEqual(Array.from({ length: count }, (_, i) => Math.min(2, expected.length - 2 * i)));
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual(Array.from({ length: count }, (_, i) => i < count - 1));
    expect(pages.flatMap((p) => p.edges.map((e) => e.node.id))).toEqual(expected);
  });

  it('a page as long as the list has no next page, and a page after its last edge is empty with a previous one', async () => {
    const expected = await list.expected();
    const [whole] = await walk(list, expected.length);
    expect(whole!.edges).toHaveLength(expected.length);
    expect(whole!.pageInfo.hasNextPage).toBe(false);
    const beyond = await world.gql(list.query, { ...list.variables(), first: 3, after: whole!.pageInfo.endCursor }, list.token());
    expect(beyond.body.data![list.field]).toEqual({ pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null }, edges: [] });
  });

  it('cursors are opaque and hold no personal value or token', async () => {
    const [page] = await walk(list, 100);
    expect(page!.edges.length).toBeGreaterThan(0);
    for (const { cursor } of page!.edges) {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      for (const value of secrets) expect(decoded).not.toContain(value);
    }
  });

  it.each([
    ['not base64 JSON', () => 'not-a-cursor'],
    ['a cursor of another list', () => cursorOf([list.field === 'partners' ? 'lawfulRequests.createdAt' : 'partners.createdAt', SAME_TIME, randomUUID()])],
    ['a disclosure cursor', () => cursorOf(['disclosures.seq', '3'])],
    ['an impossible time', async () => cursorOf([JSON.parse(Buffer.from((await walk(list, 100))[0]!.edges[0]!.cursor, 'base64url').toString('utf8'))[0], '2026-02-30T00:00:00.000Z', randomUUID()])],
    ['an id that is not a UUID', async () => cursorOf([JSON.parse(Buffer.from((await walk(list, 100))[0]!.edges[0]!.cursor, 'base64url').toString('utf8'))[0], SAME_TIME, 'x'])],
  ])('%s is refused as BAD_USER_INPUT on after, without echoing it', async (_name, make) => {
    const cursor = await make();
    const response = await world.gql(list.query, { ...list.variables(), first: 2, after: cursor }, list.token());
    expectCursorRefused(response, cursor);
  });
});

it("a subject's cursor reaches only its own erasure requests, whatever time it names", async () => {
  const other = await registerClient(world);
  const [page] = await walk(LISTS.find((l) => l.field === 'myErasureRequests')!, 1);
  const response = await world.gql(`query($after: String) { myErasureRequests(after: $after) { edges { node { id } } } }`, { after: page!.pageInfo.endCursor }, other.token);
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.myErasureRequests.edges).toEqual([]);
});

it("a token list's cursor pages only its own grant's tokens", async () => {
  const other = await registerPartnerWithContract(world, dpo, ['PHONE']);
  const mine = LISTS.find((l) => l.field === 'partnerTokens')!;
  const [page] = await walk(mine, 1);
  const response = await world.gql(mine.query, { c: other.contractId, first: 10, after: page!.pageInfo.endCursor }, dpo);
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.partnerTokens.edges).toEqual([]);
});
