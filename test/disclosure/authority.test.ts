/**
 * P5.2 end to end: an authority token sees exactly its lawful request's subjects and categories,
 * consent or not (also after withdrawal), until the request expires; each value is logged.
 */
import { Client, ClientStatus } from '../../src/clients/client.entity';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes } from '../support/server';
import { dpoToken, gqlOk, logRows, requestIdOf } from '../support/disclosure';
import { useWorld } from '../support/world';

const SUBJECTS = `query AuthorityView { authorityRequestSubjects { totalCount edges { node { id fullName phones emails iin } } } }`;
const CLIENT = `query($id: ID!) { client(id: $id) { id fullName phones emails } }`;

const world = useWorld();
let dpo: string;
let active: Canary;
let withdrawn: Canary;
let outsider: Canary;
let requestId: string;
let token: string;
let tokenId: string;

beforeAll(async () => {
  dpo = await dpoToken(world);
  const em = world.em();
  active = await createCanaryClient(em, 'ACTIVE');
  withdrawn = await createCanaryClient(em, 'WITHDRAWN');
  outsider = await createCanaryClient(em, 'ACTIVE');
  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id subjectIds categories } }`, {
    input: {
      issuingBody: 'Агентство по финансовому мониторингу РК',
      documentNumber: 'AFM-2026/77',
      documentDate: '2026-11-01',
      legalBasis: 'Закон РК о ПОД/ФТ, ст. 13',
      subjectIds: [active.client.id, withdrawn.client.id],
      categories: ['FULL_NAME', 'PHONE'],
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  requestId = registerLawfulRequest.id;
  ({ issueAuthorityToken: { token, tokenId } } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token tokenId } }`, { r: requestId }, dpo));
});

const fullName = (c: Canary) => `${c.client.surname} ${c.client.firstName} ${c.client.patronymic}`;

describe('an authority with a lawful request (P5.2)', () => {
  it("sees exactly the request's subjects and categories, the withdrawn subject included, and each is logged", async () => {
    const response = await world.gql(SUBJECTS, {}, token);
    expect(response.body.errors).toBeUndefined();
    const httpRequestId = requestIdOf(response);
    const byId = new Map(response.body.data!.authorityRequestSubjects.edges.map(({ node }: any) => [node.id, node]));
    expect([...byId.keys()].sort()).toEqual([active.client.id, withdrawn.client.id].sort());
    for (const canary of [active, withdrawn]) {
      expect(byId.get(canary.client.id)).toEqual({ id: canary.client.id, fullName: fullName(canary), phones: canary.client.phones, emails: null, iin: null });
    }
    const rows = await logRows(world.em(), 'request_id = ?', [httpRequestId]);
    expect(rows.map((r) => r.subject_id).sort()).toEqual([active.client.id, withdrawn.client.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ recipient_kind: 'AUTHORITY', lawful_request_id: requestId, token_id: tokenId, purpose: 'LAWFUL_REQUEST', operation_name: 'AuthorityView' });
      expect(row.legal_basis).toContain('AFM-2026/77');
      expect(row.fields.map((f) => f.category).sort()).toEqual(['FULL_NAME', 'PHONE']);
    }
  });

  it('authorityRequestSubjects pages by first/after like the other lists: each subject once, logged at its page path, then hasNextPage false', async () => {
    const PAGE = `query($after: String) { authorityRequestSubjects(first: 1, after: $after) { totalCount edges { cursor node { id phones } } pageInfo { hasNextPage endCursor } } }`;
    const first = await world.gql(PAGE, { after: null }, token);
    const page1 = first.body.data!.authorityRequestSubjects;
    expect(page1).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true, endCursor: page1.edges[0].cursor } });
    expect(page1.edges).toHaveLength(1);
    const [entry] = await logRows(world.em(), 'request_id = ?', [requestIdOf(first)]);
    expect(entry).toMatchObject({ subject_id: page1.edges[0].node.id, fields: [{ path: 'authorityRequestSubjects.edges.0.node.phones', category: 'PHONE', access: 'FULL' }] });
    const page2 = (await gqlOk(world, PAGE, { after: page1.pageInfo.endCursor }, token)).authorityRequestSubjects;
    expect(page2.edges).toHaveLength(1);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect([page1.edges[0].node.id, page2.edges[0].node.id].sort()).toEqual([active.client.id, withdrawn.client.id].sort());
  });

  it("authorityRequestSubjects refuses a page over MAX_PAGE_SIZE and a cursor it did not make (BAD_USER_INPUT), and logs nothing", async () => {
    const tooBig = await world.gql(`query($n: Int!) { authorityRequestSubjects(first: $n) { edges { node { phones } } } }`, { n: world.config.limits.maxPageSize + 1 }, token);
    expect(codes(tooBig)).toEqual(['BAD_USER_INPUT']);
    expect(tooBig.body.errors![0]!.extensions!.field).toBe('first');
    const ordersCursor = Buffer.from(JSON.stringify(['orders.createdAt', new Date().toISOString(), active.client.id])).toString('base64url');
    const foreign = await world.gql(`query($a: String) { authorityRequestSubjects(after: $a) { edges { node { phones } } } }`, { a: ordersCursor }, token);
    expect(codes(foreign)).toEqual(['BAD_USER_INPUT']);
    expect(foreign.body.errors![0]!.extensions!.field).toBe('after');
    expect(await logRows(world.em(), 'request_id in (?, ?)', [requestIdOf(tooBig), requestIdOf(foreign)])).toEqual([]);
  });

  it('a client outside the request reads as null, and nothing is logged', async () => {
    const response = await world.gql(CLIENT, { id: outsider.client.id }, token);
    expect(response.body.data).toEqual({ client: null });
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
  });

  it('the subject finds the authority in myDisclosures', async () => {
    const subject = await world.token({ sub: withdrawn.client.id, role: 'client' });
    const mine = await world.gql(`{ myDisclosures { edges { node { recipientKind recipient lawfulRequestId fields { category } } } } }`, {}, subject);
    expect(mine.body.data!.myDisclosures.edges[0].node).toMatchObject({ recipientKind: 'AUTHORITY', lawfulRequestId: requestId });
    expect(mine.body.data!.myDisclosures.edges[0].node.recipient).toContain('AFM-2026/77');
  });

  it("the subject's access export lists the disclosure, and is itself logged as a disclosure to the subject", async () => {
    const subject = await world.token({ sub: active.client.id, role: 'client' });
    const response = await world.gql(`query MyExport { myData { client { phones } disclosures { recipientKind lawfulRequestId } } }`, {}, subject);
    expect(response.body.errors).toBeUndefined();
    const httpRequestId = requestIdOf(response);
    expect(response.body.data!.myData.client.phones).toEqual(active.client.phones);
    expect(response.body.data!.myData.disclosures).toEqual(expect.arrayContaining([{ recipientKind: 'AUTHORITY', lawfulRequestId: requestId }]));
    const rows = await logRows(world.em(), 'request_id = ?', [httpRequestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ recipient_kind: 'SUBJECT', subject_id: active.client.id, purpose: 'SUBJECT_ACCESS', operation_name: 'MyExport' });
    expect(rows[0]!.fields).toEqual([{ path: 'myData.client.phones', category: 'PHONE', access: 'FULL' }]);
  });

  it('an access export that serves no personal value is still one entry, naming no field', async () => {
    const subject = await world.token({ sub: active.client.id, role: 'client' });
    const response = await world.gql(`query Amounts { myData { consents { status } orders { amount } } }`, {}, subject);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.myData.orders).toHaveLength(1);
    const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ recipient_kind: 'SUBJECT', subject_id: active.client.id, actor: active.client.id, purpose: 'SUBJECT_ACCESS', operation_name: 'Amounts', fields: [] });
  });

  it("an access export of a client with no contacts on record is one entry too, also when the DPO runs it", async () => {
    const em2 = world.em();
    const bare = em2.create(Client, { status: ClientStatus.ACTIVE });
    await em2.flush();
    const subject = await world.token({ sub: bare.id, role: 'client' });
    const own = await world.gql(`{ myData { client { phones emails } } }`, {}, subject);
    expect(own.body.data!.myData.client).toEqual({ phones: [], emails: [] });
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(own)])).toMatchObject([{ recipient_kind: 'SUBJECT', subject_id: bare.id, fields: [] }]);
    const byDpo = await world.gql(`query($id: ID!) { clientData(clientId: $id) { client { phones } } }`, { id: bare.id }, dpo);
    expect(byDpo.body.errors).toBeUndefined();
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(byDpo)])).toMatchObject([{ recipient_kind: 'SUBJECT', subject_id: bare.id, actor: 'dpo-test', fields: [] }]);
  });

  it('the token record decides: an authority token expired on record is UNAUTHENTICATED, whatever its claims say', async () => {
    const { issueAuthorityToken: issued } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token tokenId } }`, { r: requestId }, dpo);
    expect((await world.gql(SUBJECTS, {}, issued.token)).body.errors).toBeUndefined();
    await world.em().getConnection().execute(`update authority_token set expires_at = now() - interval '1 second' where jti = ?`, [issued.tokenId]);
    const response = await world.gql(SUBJECTS, {}, issued.token);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
  });

  it('revokeAuthorityToken takes effect on the next request: UNAUTHENTICATED, no value, no entry', async () => {
    const { issueAuthorityToken: issued } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token tokenId } }`, { r: requestId }, dpo);
    const served = await world.gql(SUBJECTS, {}, issued.token);
    expect(JSON.stringify(served.body)).toContain(active.client.phones[0]!);
    expect(await gqlOk(world, `mutation($t: ID!) { revokeAuthorityToken(tokenId: $t) }`, { t: issued.tokenId }, dpo)).toEqual({ revokeAuthorityToken: true });
    const response = await world.gql(SUBJECTS, {}, issued.token);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect([active, withdrawn].flatMap((c) => c.values).filter((v) => JSON.stringify(response.body).includes(v))).toEqual([]);
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
    // The other token of the same request is untouched.
    expect((await world.gql(SUBJECTS, {}, token)).body.errors).toBeUndefined();
  });

  it('after the request expires it sees nothing: FORBIDDEN for the list, null for client(id), nothing logged', async () => {
    await world.em().getConnection().execute(`update lawful_request set expires_at = now() - interval '1 second' where id = ?`, [requestId]);
    const list = await world.gql(SUBJECTS, {}, token);
    expect(codes(list)).toEqual(['FORBIDDEN']);
    expect(list.body.errors![0]!.extensions!.reason).toBe('REQUEST_EXPIRED');
    const client = await world.gql(CLIENT, { id: active.client.id }, token);
    expect(client.body.data).toEqual({ client: null });
    expect(await logRows(world.em(), 'request_id in (?, ?)', [requestIdOf(list), requestIdOf(client)])).toEqual([]);
    const reissue = await world.gql(`mutation($r: ID!) { issueAuthorityToken(requestId: $r) { token } }`, { r: requestId }, dpo);
    expect(reissue.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'REQUEST_EXPIRED' });
  });

  it('an authority token without a registered request is refused', async () => {
    const forged = await world.token({ sub: 'authority-x', role: 'authority', lawful_request_id: requestId, jti: '00000000-0000-4000-8000-000000000001' });
    expect(codes(await world.gql(CLIENT, { id: active.client.id }, forged))).toEqual(['UNAUTHENTICATED']);
    const bare = await world.token({ sub: 'authority-1', role: 'authority' });
    expect(codes(await world.gql(CLIENT, { id: active.client.id }, bare))).toEqual(['UNAUTHENTICATED']);
  });
});
