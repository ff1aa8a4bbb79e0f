/**
 * `disclosures` and `myDisclosures` as Relay connections: forward pages by opaque cursors that
 * hold the log position only (never a subject, a recipient or a value), PageInfo as Relay defines
 * it, and a cursor this API did not make refused with a stable code on `after`.
 */
import { registerClient, type Registered } from '../support/accounts';
import { dpoToken, gqlOk, logRows } from '../support/disclosure';
import { expectCursorRefused, walkPages, type RelayPage } from '../support/server';
import { useWorld } from '../support/world';

const RECORDED = 7;
const RECIPIENT = 'Notary Office №9 (Astana)';

const MINE = `query($first: Int!, $after: String) {
  myDisclosures(first: $first, after: $after) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { seq recipient } } }
}`;
const SEARCH = `query($first: Int!, $after: String, $s: ID) {
  disclosures(first: $first, after: $after, subjectId: $s) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { seq recipient } } }
}`;

const world = useWorld();
let dpo: string;
let subject: Registered;
let subjectToken: string;

beforeAll(async () => {
  dpo = await dpoToken(world);
  subject = await registerClient(world);
  subjectToken = subject.token;
  for (let i = 0; i < RECORDED; i++) {
    await gqlOk(world, `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq } }`, {
      input: { subjectId: subject.clientId, recipientKind: 'OTHER', recipient: RECIPIENT, categories: ['FULL_NAME', 'PHONE'], purpose: 'CONTRACT_PERFORMANCE', legalBasis: 'a written request' },
    }, dpo);
  }
});

type Page = RelayPage<{ seq: number; recipient: string }>;

const walk = (query: string, field: 'myDisclosures' | 'disclosures', token: string, first: number, variables: Record<string, unknown> = {}): Promise<Page[]> =>
  walkPages(world.gql, { query, field, token, variables }, first);

describe.each([
  ['myDisclosures', MINE, () => subjectToken, {}],
  ['disclosures', SEARCH, () => dpo, { get s() { return subject.clientId; } }],
] as const)('%s pages forward by cursor', (field, query, token, variables) => {
  it('walks the whole log of the subject, newest first, each entry once, in pages of `first`', async () => {
    const pages = await walk(query, field, token(), 3, { ...variables });
    expect(pages.map((p) => p.edges.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    const seqs = pages.flatMap((p) => p.edges.map((e) => e.node.seq));
    const logged = (await logRows(world.db.orm.em.fork(), 'subject_id = ?', [subject.clientId])).map((r) => Number(r.seq)).reverse();
    expect(logged).toHaveLength(RECORDED);
    expect(seqs).toEqual(logged);
  });

  it('a page exactly as long as the rest has no next page, and a page after the last edge is empty with a previous one', async () => {
    const [whole] = await walk(query, field, token(), RECORDED, { ...variables });
    expect(whole!.edges).toHaveLength(RECORDED);
    expect(whole!.pageInfo.hasNextPage).toBe(false);
    const beyond = await world.gql(query, { ...variables, first: 3, after: whole!.edges.at(-1)!.cursor }, token());
    expect(beyond.body.data![field]).toEqual({ pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null }, edges: [] });
  });

  it('cursors are opaque and hold no personal value: not the subject, the recipient or the categories', async () => {
    const [page] = await walk(query, field, token(), RECORDED, { ...variables });
    for (const { cursor } of page!.edges) {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      for (const value of [subject.clientId, RECIPIENT, 'FULL_NAME', 'PHONE', 'Notary']) expect(decoded).not.toContain(value);
    }
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a cursor of the clients list', Buffer.from(JSON.stringify(['clients.createdAt', '2026-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
    ['a position that is not a whole number', Buffer.from(JSON.stringify(['disclosures.seq', '1.5'])).toString('base64url')],
    ['a negative position', Buffer.from(JSON.stringify(['disclosures.seq', '-1'])).toString('base64url')],
    ['a position as a number, not a string', Buffer.from(JSON.stringify(['disclosures.seq', 3])).toString('base64url')],
    ['an order cursor', Buffer.from(JSON.stringify(['orders.createdAt', '2026-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
  ])('%s is refused as BAD_USER_INPUT on after, without echoing it', async (_name, cursor) => {
    const response = await world.gql(query, { ...variables, first: 3, after: cursor }, token());
    expectCursorRefused(response, cursor);
  });
});

it("a subject's cursor reaches only its own entries, whatever position it names", async () => {
  const other = await registerClient(world);
  const [page] = await walk(MINE, 'myDisclosures', subjectToken, 1);
  const response = await world.gql(MINE, { first: 10, after: page!.pageInfo.endCursor }, other.token);
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.myDisclosures.edges).toEqual([]);
});
