/**
 * The disclosure lists take the request's configured page size (MAX_PAGE_SIZE) like every other
 * list, and the cost rule counts what they serve.
 */
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes } from '../support/server';
import { dpoToken, gqlOk } from '../support/disclosure';
import { useWorld } from '../support/world';

const MAX_PAGE_SIZE = 5;

const world = useWorld({ env: { MAX_PAGE_SIZE: String(MAX_PAGE_SIZE), QUERY_MAX_COST: '100' } });
let dpo: string;
let subject: Canary;
let authority: string;

beforeAll(async () => {
  dpo = await dpoToken(world);
  subject = await createCanaryClient(world.em(), 'ACTIVE');
  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Police department', documentNumber: 'PD-7', documentDate: '2026-11-01', legalBasis: 'Criminal procedure code',
      subjectIds: [subject.client.id], categories: ['PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  authority = (await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token } }`, { r: registerLawfulRequest.id }, dpo)).issueAuthorityToken.token;
});

describe('page sizes of the disclosure lists (MAX_PAGE_SIZE)', () => {
  it('disclosures, myDisclosures and authorityRequestSubjects accept first up to MAX_PAGE_SIZE and refuse one more, naming first', async () => {
    const client = await world.token({ sub: subject.client.id, role: 'client' });
    const lists: Array<[string, string]> = [
      ['query($n: Int!) { disclosures(first: $n) { edges { node { seq } } } }', dpo],
      ['query($n: Int!) { myDisclosures(first: $n) { edges { node { seq } } } }', client],
      ['query($n: Int!) { authorityRequestSubjects(first: $n) { edges { cursor } } }', authority],
    ];
    for (const [query, token] of lists) {
      expect((await world.gql(query, { n: MAX_PAGE_SIZE }, token)).body.errors).toBeUndefined();
      const refused = await world.gql(query, { n: MAX_PAGE_SIZE + 1 }, token);
      expect({ query, codes: codes(refused), field: refused.body.errors?.[0]?.extensions?.field }).toEqual({ query, codes: ['BAD_USER_INPUT'], field: 'first' });
    }
  });

  it('a default page larger than MAX_PAGE_SIZE is served at MAX_PAGE_SIZE, so lists asked without a size still answer', async () => {
    const client = await world.token({ sub: subject.client.id, role: 'client' });
    const operator = world.tokens.operator;
    for (const [query, token] of [
      ['{ myDisclosures { edges { node { seq } } } }', client],
      ['{ disclosures { edges { node { seq } } } }', dpo],
      ['{ erasureRequests { edges { node { id } } } }', dpo],
      ['{ clients { totalCount edges { node { id } } } }', operator],
      ['{ me { id orders { id } } }', client],
      ['{ authorityRequestSubjects { edges { cursor } } }', authority],
    ] as const) {
      expect({ query, errors: (await world.gql(query, {}, token)).body.errors }).toEqual({ query, errors: undefined });
    }
  });

  it("the cost rule multiplies authorityRequestSubjects by its page size: first: 4 passes, first: 5 is QUERY_TOO_COMPLEX", async () => {
    // (2 + 1.5 × edges(2 + 1.5 × (cursor 1 + node(2 + 1.5 × 3)))) × first = 21.875 × first, against 100.
    const query = 'query($n: Int!) { authorityRequestSubjects(first: $n) { edges { cursor node { id fullName phones } } } }';
    expect((await world.gql(query, { n: 4 }, authority)).body.errors).toBeUndefined();
    expect(codes(await world.gql(query, { n: 5 }, authority))).toEqual(['QUERY_TOO_COMPLEX']);
  });
});
