/**
 * Reading where an erasure stands (P4): the subject follows its own request, the DPO finds the
 * receipts it issued without having to keep the mutation's answer.
 */
import { codes } from '../support/server';
import { registerClient } from '../support/accounts';
import { useWorld } from '../support/world';

const world = useWorld();

const MY_REQUESTS = `{ myErasureRequests { edges { node { id clientId status requestedAt receiptId } } } }`;
const RECEIPTS = `query($id: ID) { erasureReceipts(clientId: $id) { edges { node { id clientId basis reference categories erasedAt openObligations { orderId } } } } }`;
const nodes = (connection: { edges: Array<{ node: unknown }> }) => connection.edges.map((edge) => edge.node);
const ERASE = `mutation($id: ID!) { eraseClient(clientId: $id, basis: SUBJECT_REQUEST) { id } }`;

describe('myErasureRequests', () => {
  it('shows the calling client its own requests only, and nothing before it asks', async () => {
    const subject = await registerClient(world);
    const other = await registerClient(world);
    expect(nodes((await world.gql(MY_REQUESTS, {}, subject.token)).body.data!.myErasureRequests)).toEqual([]);
    const requested = (await world.gql(`mutation { requestErasure { id } }`, {}, subject.token)).body.data!.requestErasure;
    expect(nodes((await world.gql(MY_REQUESTS, {}, subject.token)).body.data!.myErasureRequests)).toEqual([
      { id: requested.id, clientId: subject.clientId, status: 'PENDING', requestedAt: expect.any(String), receiptId: null },
    ]);
    expect(nodes((await world.gql(MY_REQUESTS, {}, other.token)).body.data!.myErasureRequests)).toEqual([]);
  });
});

describe('erasureReceipts', () => {
  it("finds an erased client's receipt by the client's id, newest first in the full list; read back without open obligations", async () => {
    const first = await registerClient(world);
    const second = await registerClient(world);
    const requested = (await world.gql(`mutation { requestErasure { id } }`, {}, first.token)).body.data!.requestErasure;
    const firstReceipt = (await world.gql(ERASE, { id: first.clientId }, world.tokens.dpo)).body.data!.eraseClient;
    const secondReceipt = (await world.gql(`mutation($id: ID!) { eraseClient(clientId: $id, basis: WRITTEN_REQUEST_OFFLINE, reference: "IN-2026/42") { id } }`, { id: second.clientId }, world.tokens.dpo)).body.data!.eraseClient;

    const ofFirst = nodes((await world.gql(RECEIPTS, { id: first.clientId }, world.tokens.dpo)).body.data!.erasureReceipts);
    expect(ofFirst).toEqual([
      { id: firstReceipt.id, clientId: first.clientId, basis: 'SUBJECT_REQUEST', reference: requested.id, categories: expect.arrayContaining(['FULL_NAME', 'LOGIN', 'PASSWORD']), erasedAt: expect.any(String), openObligations: null },
    ]);
    const all = nodes((await world.gql(RECEIPTS, {}, world.tokens.dpo)).body.data!.erasureReceipts).map((r) => (r as { id: string }).id);
    expect(all.indexOf(secondReceipt.id)).toBeLessThan(all.indexOf(firstReceipt.id));
    const done = nodes((await world.gql(`{ erasureRequests(status: DONE) { edges { node { id receiptId } } } }`, {}, world.tokens.dpo)).body.data!.erasureRequests);
    expect(done).toContainEqual({ id: requested.id, receiptId: firstReceipt.id });
  });

  it('a clientId that is not a UUID is BAD_USER_INPUT', async () => {
    expect(codes(await world.gql(RECEIPTS, { id: 'nope' }, world.tokens.dpo))).toEqual(['BAD_USER_INPUT']);
  });
});
