/**
 * Reading where an erasure stands (P4): the subject follows its own request, the DPO finds the
 * receipts it issued without having to keep the mutation's answer.
 */
import { codes, startTestServer, type TestServer } from '../support/harness';
import { registerClient } from './lifecycle-support';

let server: TestServer;
let dpo: string;
beforeAll(async () => {
  server = await startTestServer();
  dpo = await server.token({ sub: 'dpo-1', role: 'dpo' });
});
afterAll(() => server.close());

const MY_REQUESTS = `{ myErasureRequests { id clientId status requestedAt receiptId } }`;
const RECEIPTS = `query($id: ID) { erasureReceipts(clientId: $id) { id clientId basis reference categories erasedAt openObligations { orderId } } }`;
const ERASE = `mutation($id: ID!) { eraseClient(clientId: $id, basis: SUBJECT_REQUEST) { id } }`;

describe('myErasureRequests', () => {
  it('shows the calling client its own requests only, and nothing before it asks', async () => {
    const subject = await registerClient(server);
    const other = await registerClient(server);
    expect((await server.gql(MY_REQUESTS, {}, subject.token)).body.data!.myErasureRequests).toEqual([]);
    const requested = (await server.gql(`mutation { requestErasure { id } }`, {}, subject.token)).body.data!.requestErasure;
    expect((await server.gql(MY_REQUESTS, {}, subject.token)).body.data!.myErasureRequests).toEqual([
      { id: requested.id, clientId: subject.clientId, status: 'PENDING', requestedAt: expect.any(String), receiptId: null },
    ]);
    expect((await server.gql(MY_REQUESTS, {}, other.token)).body.data!.myErasureRequests).toEqual([]);
  });
});

describe('erasureReceipts', () => {
  it("finds an erased client's receipt by the client's id, newest first in the full list; read back without open obligations", async () => {
    const first = await registerClient(server);
    const second = await registerClient(server);
    const requested = (await server.gql(`mutation { requestErasure { id } }`, {}, first.token)).body.data!.requestErasure;
    const firstReceipt = (await server.gql(ERASE, { id: first.clientId }, dpo)).body.data!.eraseClient;
    const secondReceipt = (await server.gql(`mutation($id: ID!) { eraseClient(clientId: $id, basis: WRITTEN_REQUEST_OFFLINE, reference: "IN-2026/42") { id } }`, { id: second.clientId }, dpo)).body.data!.eraseClient;

    const ofFirst = (await server.gql(RECEIPTS, { id: first.clientId }, dpo)).body.data!.erasureReceipts;
    expect(ofFirst).toEqual([
      { id: firstReceipt.id, clientId: first.clientId, basis: 'SUBJECT_REQUEST', reference: requested.id, categories: expect.arrayContaining(['FULL_NAME', 'LOGIN', 'PASSWORD']), erasedAt: expect.any(String), openObligations: null },
    ]);
    const all = (await server.gql(RECEIPTS, {}, dpo)).body.data!.erasureReceipts.map((r: { id: string }) => r.id);
    expect(all.indexOf(secondReceipt.id)).toBeLessThan(all.indexOf(firstReceipt.id));
    const done = (await server.gql(`{ erasureRequests(status: DONE) { id receiptId } }`, {}, dpo)).body.data!.erasureRequests;
    expect(done).toContainEqual({ id: requested.id, receiptId: firstReceipt.id });
  });

  it('a clientId that is not a UUID is BAD_USER_INPUT', async () => {
    expect(codes(await server.gql(RECEIPTS, { id: 'nope' }, dpo))).toEqual(['BAD_USER_INPUT']);
  });
});
