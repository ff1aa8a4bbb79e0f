/**
 * A filter on personal data is an oracle (P4): an erased client must not be findable by values a
 * fault or a late write left in its row, not even by the DPO, nor placed in surname order. Without
 * a personal filter or sort the DPO still lists erased rows (their status and id are the erasure's
 * proof). Permission to filter is judged before the filter's values are (P1).
 */
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes } from '../support/server';
import { useWorld } from '../support/world';

const world = useWorld();
let erased: Canary;
let active: Canary;
beforeAll(async () => {
  const em = world.em();
  erased = await createCanaryClient(em, 'ERASED');
  active = await createCanaryClient(em, 'ACTIVE');
});

const FIND = `query($filter: ClientFilter, $orderBy: ClientOrderBy) {
  clients(first: 50, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id status } } }
}`;

async function find(token: string, filter: Record<string, unknown> | null, orderBy: Record<string, unknown> | null = null) {
  const response = await world.gql(FIND, { filter, orderBy }, token);
  expect(response.body.errors).toBeUndefined();
  const { totalCount, edges } = response.body.data!.clients;
  return { totalCount, ids: edges.map((e: { node: { id: string } }) => e.node.id) };
}

describe('personal-field filters never match an erased row', () => {
  it.each([
    ['phone', () => ({ phone: erased.client.phones[0] })],
    ['email', () => ({ email: erased.client.emails[0] })],
    ['surname', () => ({ surname: erased.client.surname })],
    ['iinOrBin', () => ({ iinOrBin: erased.client.iin })],
  ])('the DPO filtering by %s finds nothing, and counts nothing, of an erased row with leftover values', async (_name, filter) => {
    expect(await find(world.tokens.dpo, filter())).toEqual({ totalCount: 0, ids: [] });
  });

  it('the same filter still finds a live client for the DPO (the filter works)', async () => {
    expect(await find(world.tokens.dpo, { phone: active.client.phones[0] })).toEqual({ totalCount: 1, ids: [active.client.id] });
    expect(await find(world.tokens.dpo, { surname: active.client.surname })).toEqual({ totalCount: 1, ids: [active.client.id] });
  });

  it('an operator filtering by phone finds nothing of the erased row either', async () => {
    expect(await find(world.tokens.operator, { phone: erased.client.phones[0] })).toEqual({ totalCount: 0, ids: [] });
  });

  it('without a personal filter or sort the DPO still lists the erased row', async () => {
    expect((await find(world.tokens.dpo, { status: 'ERASED' })).ids).toEqual([erased.client.id]);
    expect((await find(world.tokens.dpo, null)).ids).toContain(erased.client.id);
  });

  it('a sort by surname leaves the erased row out, for the DPO too, in the page and in the count', async () => {
    const sorted = await find(world.tokens.dpo, null, { field: 'SURNAME', direction: 'ASC' });
    expect(sorted.ids).toContain(active.client.id);
    expect(sorted.ids).not.toContain(erased.client.id);
    expect(sorted.totalCount).toBe(sorted.ids.length);
    expect((await find(world.tokens.dpo, { status: 'ERASED' }, { field: 'SURNAME', direction: 'ASC' })).ids).toEqual([]);
  });
});

describe('permission to filter comes before the value is judged', () => {
  // Twelve digits, but the check digit is wrong for an IIN and a BIN alike.
  const bad = () => '900515300011';

  it('an operator (IIN only masked) filtering by an IIN with a wrong check digit gets FORBIDDEN, not BAD_USER_INPUT', async () => {
    const response = await world.gql(FIND, { filter: { iinOrBin: bad() } }, world.tokens.operator);
    expect({ codes: codes(response), data: response.body.data ?? null }).toEqual({ codes: ['FORBIDDEN'], data: null });
    expect(codes(await world.gql(FIND, { filter: { iinOrBin: '' } }, world.tokens.operator))).toEqual(['FORBIDDEN']);
  });

  it('the DPO, who may filter by IIN, gets BAD_USER_INPUT on filter.iinOrBin for the same value', async () => {
    const response = await world.gql(FIND, { filter: { iinOrBin: bad() } }, world.tokens.dpo);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe('filter.iinOrBin');
  });
});
