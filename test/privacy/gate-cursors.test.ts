/**
 * A cursor never carries a personal value (P1, P6): a surname-sorted page hands out cursors that
 * name only their row, and the server reads the row's surname itself, only while that row is in
 * the caller's own list. So a cursor cannot be pointed at a subject the caller may not see to learn
 * where its surname sorts, and a surname sort never places an erased subject (P4).
 */
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../../src/privacy/categories';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes, type GraphQLResponse } from '../support/server';
import { useWorld } from '../support/world';

const world = useWorld();
const canaries = {} as Record<'ACTIVE' | 'WITHDRAWAL_PENDING' | 'WITHDRAWN' | 'ERASED', Canary>;
beforeAll(async () => {
  for (const state of ['ACTIVE', 'WITHDRAWAL_PENDING', 'WITHDRAWN', 'ERASED'] as const) {
    canaries[state] = await createCanaryClient(world.em(), state);
  }
});

const BY_SURNAME = `query($after: String, $first: Int!) {
  clients(first: $first, after: $after, orderBy: { field: SURNAME, direction: ASC }) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
}`;
const decoded = (cursor: string): unknown => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
const forge = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const surnameOf = (id: string) => Object.values(canaries).find((c) => c.client.id === id)!.client.surname!;

async function walk(token: string): Promise<Array<{ id: string; cursor: string }>> {
  const seen: Array<{ id: string; cursor: string }> = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const response: GraphQLResponse = await world.gql(BY_SURNAME, { after, first: 1 }, token);
    expect(response.body.errors).toBeUndefined();
    const connection = response.body.data!.clients as any;
    seen.push(...connection.edges.map((e: { cursor: string; node: { id: string } }) => ({ id: e.node.id, cursor: e.cursor })));
    if (!connection.pageInfo.hasNextPage) return seen;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

function expectAfterRefused(response: GraphQLResponse): void {
  expect({ codes: codes(response), field: response.body.errors?.[0]?.extensions?.field, data: response.body.data ?? null }).toEqual({
    codes: ['BAD_USER_INPUT'],
    field: 'after',
    data: null,
  });
}

describe('surname-sorted cursors', () => {
  it('walking one by one visits, in surname order, exactly the clients whose surname the caller sees in full', async () => {
    const inOrder = (keys: Array<keyof typeof canaries>) => keys.map((k) => canaries[k].client).sort((a, b) => (a.surname! < b.surname! ? -1 : 1)).map((c) => c.id);
    expect((await walk(world.tokens.operator)).map((e) => e.id)).toEqual(inOrder(['ACTIVE', 'WITHDRAWAL_PENDING']));
    // The DPO sees every surname but an erased one (ERASED), so the sort leaves only that out.
    expect((await walk(world.tokens.dpo)).map((e) => e.id)).toEqual(inOrder(['ACTIVE', 'WITHDRAWAL_PENDING', 'WITHDRAWN']));
  });

  it('each cursor holds its sort and row id only, never the surname', async () => {
    for (const { id, cursor } of await walk(world.tokens.dpo)) {
      expect(decoded(cursor)).toEqual(['clients.surname', id]);
      expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain(surnameOf(id));
    }
  });

  it.each([
    ['the operator, at a client whose consent is withdrawn', () => world.tokens.operator, () => canaries.WITHDRAWN.client.id],
    ['the operator, at an erased client', () => world.tokens.operator, () => canaries.ERASED.client.id],
    ['the DPO, at an erased client', () => world.tokens.dpo, () => canaries.ERASED.client.id],
  ])('a cursor pointed by %s (outside its list) is BAD_USER_INPUT on `after`, with no rows', async (_name, token, id) => {
    expectAfterRefused(await world.gql(BY_SURNAME, { after: forge('clients.surname', id()), first: 5 }, token()));
  });

  it('a cursor pointed at a row in the list pages on from it (the refusal above is not every forged cursor)', async () => {
    const [first, second] = await walk(world.tokens.operator);
    const response = await world.gql(BY_SURNAME, { after: forge('clients.surname', first!.id.toUpperCase()), first: 5 }, world.tokens.operator);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.clients.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([second!.id]);
  });

  it("a cursor whose row has left the list since (consent withdrawn) is refused, not answered with an empty page", async () => {
    const em = world.em();
    const leaving = await createCanaryClient(em, 'ACTIVE');
    const cursor = (await walk(world.tokens.operator)).find((e) => e.id === leaving.client.id)!.cursor;
    em.create(Consent, {
      client: leaving.client, kind: ConsentEventKind.WITHDRAWN, status: 'WITHDRAWN', policyVersion: 'test', policyTextHash: 'test',
      operations: [...CONSENT_OPERATIONS], purposes: [...CONSENT_PURPOSES], recordedAt: new Date(),
    });
    await em.flush();
    expectAfterRefused(await world.gql(BY_SURNAME, { after: cursor, first: 5 }, world.tokens.operator));
  });

  it.each([
    ['a surname key beside the id (the old form)', () => forge('clients.surname', canaries.ACTIVE.client.surname, canaries.ACTIVE.client.id)],
    ['an id that is not a UUID', () => forge('clients.surname', 'Иванов')],
    ['a cursor of the creation-time sort', () => forge('clients.createdAt', '2025-01-01T00:00:00.000Z', canaries.ACTIVE.client.id)],
  ])('a surname page refuses %s as BAD_USER_INPUT on `after`', async (_name, cursor) => {
    expectAfterRefused(await world.gql(BY_SURNAME, { after: cursor(), first: 5 }, world.tokens.dpo));
  });
});
