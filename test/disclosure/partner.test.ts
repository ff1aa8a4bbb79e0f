/**
 * P5.1 end to end: a partner sees only the clients it serves, only contract ∩ token categories,
 * only while the contract is in force and the client consents to transfer; every value it is
 * served lands in exactly one log batch, and nothing it was not served is claimed there.
 */
import { createHash } from 'node:crypto';
import { Order, OrderStatus } from '../../src/orders/order.entity';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes } from '../support/server';
import { assignOrder, dpoToken, gqlOk, installInsertCounter, issuePartnerToken, logRows, narrowConsentWithoutTransfer, type PartnerSetup, registerPartnerWithContract, requestIdOf, withdrawTransferOperationOnly } from '../support/disclosure';
import { expectedReport, pathOf, sortReport } from '../support/redactions';
import { useWorld } from '../support/world';

const PARTNER_VIEW = `query PartnerView {
  partnerOrders(first: 10) {
    edges { node { id contactPhone contactEmail client { id fullName phones emails iin residenceAddress { street } } } }
  }
}`;
const CLIENT = `query($id: ID!) { client(id: $id) { id fullName phones emails } }`;

const world = useWorld();
let dpo: string;
let partner: PartnerSetup;
let served: Canary;
let servedToo: Canary;
let notServed: Canary;
let noTransfer: Canary;
let token: string;
let tokenId: string;
let inserts: () => Promise<number[]>;

beforeAll(async () => {
  dpo = await dpoToken(world);
  const em = world.em();
  inserts = await installInsertCounter(em);
  // The contract covers RESIDENCE_ADDRESS but the token does not: the grant is the intersection.
  partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT', 'RESIDENCE_ADDRESS']);
  served = await createCanaryClient(em, 'ACTIVE');
  servedToo = await createCanaryClient(em, 'ACTIVE');
  notServed = await createCanaryClient(em, 'ACTIVE');
  noTransfer = await createCanaryClient(em, 'ACTIVE');
  await assignOrder(em, served, partner.partnerId);
  await assignOrder(em, servedToo, partner.partnerId);
  await assignOrder(em, noTransfer, partner.partnerId);
  await narrowConsentWithoutTransfer(em, noTransfer);
  ({ token, tokenId } = await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']));
});

const leaks = (body: unknown, canary: Canary, allowed: string[] = []) =>
  canary.values.filter((v) => !allowed.includes(v) && JSON.stringify(body).includes(v));

describe('a partner under a contract in force (P5.1)', () => {
  it('gets contract ∩ scope categories of the clients it serves, and exactly one log batch naming them', async () => {
    const response = await world.gql(PARTNER_VIEW, {}, token);
    expect(response.body.errors).toBeUndefined();
    const requestId = requestIdOf(response);
    const nodes: any[] = response.body.data!.partnerOrders.edges.map((e: any) => e.node);
    const mine = nodes.find((n) => n.id === served.order.id);
    expect(mine).toEqual({
      id: served.order.id,
      contactPhone: served.order.contactPhone,
      contactEmail: served.order.contactEmail,
      client: {
        id: served.client.id,
        fullName: `${served.client.surname} ${served.client.firstName} ${served.client.patronymic}`,
        phones: served.client.phones,
        emails: null, // not in the contract
        iin: null, // not in the contract
        residenceAddress: null, // in the contract, not in the token's scope
      },
    });
    // Outside the contract or the token's scope for every client served: one entry per field, counting each of them.
    const clientRedactions = response.body.extensions!.redactions!.filter((r) => pathOf(r).startsWith('partnerOrders.edges.*.node.client.'));
    expect(sortReport(clientRedactions)).toEqual(
      expectedReport(
        nodes.flatMap((_, i) =>
          Object.entries({ emails: 'EMAIL', iin: 'OFFICIAL_REQUISITES', residenceAddress: 'RESIDENCE_ADDRESS' }).map(([field, category]) => ({
            path: `partnerOrders.edges.${i}.node.client.${field}`,
            category,
            access: 'HIDDEN',
            reason: 'SCOPE',
          })),
        ),
      ),
    );

    const rows = await logRows(world.em(), 'request_id = ?', [requestId]);
    const forServed = rows.filter((r) => r.subject_id === served.client.id);
    const index = nodes.indexOf(mine);
    expect(forServed).toHaveLength(1);
    const base = `partnerOrders.edges.${index}.node`;
    expect(forServed[0]!.fields.map((f) => [f.path, f.category, f.access]).sort()).toEqual([
      // The order itself is information about the client's actions (P1), logged like a field.
      [`partnerOrders.edges.${index}`, 'ORDER_CONTACT', 'FULL'],
      [`${base}.client.fullName`, 'FULL_NAME', 'FULL'],
      [`${base}.client.phones`, 'PHONE', 'FULL'],
      [`${base}.contactEmail`, 'ORDER_CONTACT', 'FULL'],
      [`${base}.contactPhone`, 'ORDER_CONTACT', 'FULL'],
    ].sort());
    expect(forServed[0]).toMatchObject({
      recipient_kind: 'PARTNER',
      partner_id: partner.partnerId,
      contract_id: partner.contractId,
      token_id: tokenId,
      purpose: 'THIRD_PARTY_OBLIGATIONS',
      operation_name: 'PartnerView',
      query_hash: createHash('sha256').update(PARTNER_VIEW).digest('hex'),
    });
    // One batch: the database saw exactly one INSERT into the log, and it added this request's rows.
    expect(rows.map((r) => r.subject_id).sort()).toEqual([served.client.id, servedToo.client.id].sort());
    expect(await inserts()).toEqual([2]);
    expect(rows.map((r) => [r.chain, Number(r.chain_seq)])).toEqual(rows.map((_, i) => [`partner:${partner.partnerId}`, Number(rows[0]!.chain_seq) + i]));
    // Paths and categories, never values.
    expect(leaks(rows, served)).toEqual([]);
  });

  it('the order of a served client who did not consent to transfer is not in partnerOrders at all, one CONSENT redaction says so, and no entry claims it', async () => {
    const response = await world.gql(PARTNER_VIEW, {}, token);
    expect(response.body.errors).toBeUndefined();
    const requestId = requestIdOf(response);
    const ids = response.body.data!.partnerOrders.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([served.order.id, servedToo.order.id]));
    expect(ids).not.toContain(noTransfer.order.id);
    // Not even its id, amount or time: the order is about the client's actions (P1).
    expect(JSON.stringify(response.body)).not.toContain(noTransfer.order.id);
    expect(leaks(response.body, noTransfer)).toEqual([]);
    expect(response.body.extensions!.redactions!.filter((r) => pathOf(r) === 'partnerOrders.edges')).toEqual([
      { path: ['partnerOrders', 'edges'], category: 'ORDER_CONTACT', access: 'HIDDEN', reason: 'CONSENT', count: 1 },
    ]);
    expect(await logRows(world.em(), 'subject_id = ?', [noTransfer.client.id])).toEqual([]);
    // The request itself was served and logged, for the other clients only.
    expect((await logRows(world.em(), 'request_id = ?', [requestId])).map((r) => r.subject_id).sort()).toEqual([served.client.id, servedToo.client.id].sort());
  });

  it('partnerOrders pages count served orders only: first: 1 walks every served order once, skipping the withheld, and ends with hasNextPage false', async () => {
    const PAGE = `query($after: String) { partnerOrders(first: 1, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { partnerOrders }: { partnerOrders: any } = await gqlOk(world, PAGE, { after }, token);
      expect(partnerOrders.edges).toHaveLength(1);
      seen.push(partnerOrders.edges[0].node.id);
      expect(partnerOrders.pageInfo.endCursor).toBe(partnerOrders.edges[0].cursor);
      if (!partnerOrders.pageInfo.hasNextPage) break;
      after = partnerOrders.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([served.order.id, servedToo.order.id].sort());
  });

  it('an order is logged wherever the response carries it: at an aliased edge, at a bare cursor, at the end cursor; hasNextPage alone logs nothing', async () => {
    const aliased = await world.gql(`{ mine: partnerOrders(first: 10) { list: edges { order: node { id } } } }`, {}, token);
    expect(aliased.body.errors).toBeUndefined();
    const index = aliased.body.data!.mine.list.findIndex((e: any) => e.order.id === served.order.id);
    const [entry] = await logRows(world.em(), 'request_id = ? and subject_id = ?', [requestIdOf(aliased), served.client.id]);
    expect(entry!.fields).toEqual([{ path: `mine.list.${index}`, category: 'ORDER_CONTACT', access: 'FULL' }]);
    const pageOnly = await world.gql(`{ partnerOrders(first: 10) { pageInfo { hasNextPage } } }`, {}, token);
    expect(pageOnly.body.errors).toBeUndefined();
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(pageOnly)])).toEqual([]);
    // A cursor encodes the order's id and time: the node skipped, the edge is still a disclosure.
    const cursors = await world.gql(`query($no: Boolean!) { partnerOrders(first: 10) { edges { node @include(if: $no) { id } cursor } } }`, { no: false }, token);
    const servedCount = cursors.body.data!.partnerOrders.edges.length;
    const logged = (await logRows(world.em(), 'request_id = ?', [requestIdOf(cursors)])).flatMap((row) => row.fields.map((f) => f.path));
    expect(logged.sort()).toEqual(Array.from({ length: servedCount }, (_, i) => `partnerOrders.edges.${i}`).sort());
    const end = await world.gql(`{ partnerOrders(first: 1) { page: pageInfo { last: endCursor } } }`, {}, token);
    const endRows = await logRows(world.em(), 'request_id = ?', [requestIdOf(end)]);
    expect(endRows.flatMap((row) => row.fields)).toEqual([{ path: 'partnerOrders.page.last', category: 'ORDER_CONTACT', access: 'FULL' }]);
  });

  it('a client it does not serve reads as null (not FORBIDDEN: existence is not disclosed either), with no entry', async () => {
    const response = await world.gql(CLIENT, { id: notServed.client.id }, token);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ client: null });
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
  });

  it('client(id) of a served client gives the granted fields and logs them', async () => {
    const response = await world.gql(CLIENT, { id: served.client.id }, token);
    expect(response.body.data!.client).toMatchObject({ phones: served.client.phones, emails: null });
    const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields.map((f) => f.path).sort()).toEqual(['client.fullName', 'client.phones']);
  });

  it("client(id) { orders } logs each order served, as partnerOrders does, besides the order's contact fields", async () => {
    const response = await world.gql(`query($id: ID!) { client(id: $id) { orders { id contactPhone } } }`, { id: servedToo.client.id }, token);
    expect(response.body.data!.client.orders.map((o: any) => o.id)).toEqual([servedToo.order.id]);
    const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields.map((f) => [f.path, f.category]).sort()).toEqual([
      ['client.orders.0', 'ORDER_CONTACT'],
      ['client.orders.0.contactPhone', 'ORDER_CONTACT'],
    ]);
  });

  it("a client served only by another partner reads as null; a served client's orders with others stay out of sight", async () => {
    const other = await registerPartnerWithContract(world, dpo, ['ORDER_CONTACT']);
    const em2 = world.em();
    const second = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, second, other.partnerId);
    const response = await world.gql(`query($id: ID!) { client(id: $id) { id } }`, { id: second.client.id }, token);
    expect(response.body.data).toEqual({ client: null });

    const elsewhere = em2.create(Order, { client: served.client, partner: other.partnerId, amountTiyn: 100, status: OrderStatus.PAID, contactPhone: '+77015550101' });
    await em2.flush();
    const orders = await world.gql(`query($id: ID!) { client(id: $id) { orders { id contactPhone } } }`, { id: served.client.id }, token);
    expect(orders.body.data!.client.orders.map((o: any) => o.id)).toEqual([served.order.id]);
    expect(JSON.stringify(orders.body)).not.toContain(elsewhere.contactPhone);
  });
});

describe('a partner gets nothing, and nothing is logged', () => {
  it('without the scope: a token scoped to EMAIL only, which the contract does not even cover, is refused at issue', async () => {
    const response = await world.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [EMAIL]) { token } }`, { c: partner.contractId }, dpo);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('without the scope: a token for ORDER_CONTACT sees no client name or phone, and the log names only order contacts', async () => {
    const narrow = await issuePartnerToken(world, dpo, partner.contractId, ['ORDER_CONTACT']);
    const response = await world.gql(PARTNER_VIEW, {}, narrow.token);
    const node = response.body.data!.partnerOrders.edges.map((e: any) => e.node).find((n: any) => n.id === served.order.id);
    expect(node.client).toMatchObject({ fullName: null, phones: null });
    expect(node.contactPhone).toBe(served.order.contactPhone);
    const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]);
    expect(rows.flatMap((r) => r.fields.map((f) => f.category))).toEqual(expect.arrayContaining(['ORDER_CONTACT']));
    expect(rows.flatMap((r) => r.fields.map((f) => f.category)).filter((c) => c !== 'ORDER_CONTACT')).toEqual([]);
  });

  it('without ORDER_CONTACT in the scope: no order at all, by partnerOrders or client.orders; one SCOPE redaction each, and the log names only the phones', async () => {
    const phoneOnly = await issuePartnerToken(world, dpo, partner.contractId, ['PHONE']);
    const pages = await world.gql(`{ partnerOrders(first: 5) { edges { cursor node { id amount } } pageInfo { endCursor hasNextPage } } }`, {}, phoneOnly.token);
    expect(pages.body.data!.partnerOrders).toEqual({ edges: [], pageInfo: { endCursor: null, hasNextPage: false } });
    expect(pages.body.extensions!.redactions).toEqual([{ path: ['partnerOrders', 'edges'], category: 'ORDER_CONTACT', access: 'HIDDEN', reason: 'SCOPE', count: 1 }]);
    const direct = await world.gql(`query($id: ID!) { client(id: $id) { phones orders { id items { name } } } }`, { id: served.client.id }, phoneOnly.token);
    expect(direct.body.data!.client).toEqual({ phones: served.client.phones, orders: [] });
    expect(direct.body.extensions!.redactions).toEqual([{ path: ['client', 'orders'], category: 'ORDER_CONTACT', access: 'HIDDEN', reason: 'SCOPE', count: 1 }]);
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(pages)])).toEqual([]);
    const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(direct)]);
    expect(rows.flatMap((r) => r.fields.map((f) => [f.path, f.category]))).toEqual([['client.phones', 'PHONE']]);
  });

  it('a value nulled on its way out (an error in a sibling nulls the parent) is not claimed by the log', async () => {
    const response = await world.gql(
      `query($id: ID!) { a: client(id: $id) { fullName } b: client(id: $id) { phones orders(first: 0) { id } } }`,
      { id: served.client.id }, token,
    );
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.data!.b).toBeNull();
    expect(leaks(response.body.data, served, [response.body.data!.a.fullName, ...response.body.data!.a.fullName.split(' ')])).toEqual([]);
    const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]);
    expect(rows.flatMap((r) => r.fields.map((f) => f.path))).toEqual(['a.fullName']);
  });

  it('outside the contract period: partnerOrders is FORBIDDEN and client(id) null, no entry', async () => {
    const lapsing = await registerPartnerWithContract(world, dpo, ['PHONE']);
    const em2 = world.em();
    const canary = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, canary, lapsing.partnerId);
    const issued = await issuePartnerToken(world, dpo, lapsing.contractId, ['PHONE']);
    // Time passes: the contract ends while the token is still unexpired.
    await em2.getConnection().execute(`update contract set valid_from = '2020-01-01', valid_to = '2020-12-31' where id = ?`, [lapsing.contractId]);
    const orders = await world.gql(PARTNER_VIEW, {}, issued.token);
    expect(codes(orders)).toEqual(['FORBIDDEN']);
    expect(orders.body.errors![0]!.extensions!.reason).toBe('CONTRACT_NOT_IN_FORCE');
    const client = await world.gql(CLIENT, { id: canary.client.id }, issued.token);
    expect(client.body.data).toEqual({ client: null });
    expect(leaks([orders.body, client.body], canary)).toEqual([]);
    expect(await logRows(world.em(), 'request_id in (?, ?)', [requestIdOf(orders), requestIdOf(client)])).toEqual([]);
    // Nor can the DPO issue a new token for it.
    const reissue = await world.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [PHONE]) { token } }`, { c: lapsing.contractId }, dpo);
    expect(reissue.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONTRACT_NOT_IN_FORCE' });
  });

  it('with a revoked token: refused at once (UNAUTHENTICATED), no entry', async () => {
    const issued = await issuePartnerToken(world, dpo, partner.contractId, ['PHONE']);
    expect((await world.gql(CLIENT, { id: served.client.id }, issued.token)).body.data!.client.phones).toEqual(served.client.phones);
    const revoked = await world.gql(`mutation($t: ID!) { revokePartnerToken(tokenId: $t) }`, { t: issued.tokenId }, dpo);
    expect(revoked.body.data).toEqual({ revokePartnerToken: true });
    const response = await world.gql(CLIENT, { id: served.client.id }, issued.token);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(leaks(response.body, served)).toEqual([]);
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
  });

  it('under a contract that has not started yet: no token is issued, and a token whose contract now starts later gets nothing', async () => {
    const future = await registerPartnerWithContract(world, dpo, ['PHONE'], { validFrom: '2098-01-01', validTo: '2099-12-31' });
    const refused = await world.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [PHONE]) { token } }`, { c: future.contractId }, dpo);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONTRACT_NOT_IN_FORCE' });

    const moved = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
    const em2 = world.em();
    const canary = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, canary, moved.partnerId);
    const issued = await issuePartnerToken(world, dpo, moved.contractId, ['PHONE', 'ORDER_CONTACT']);
    expect((await world.gql(CLIENT, { id: canary.client.id }, issued.token)).body.data!.client.phones).toEqual(canary.client.phones);
    await em2.getConnection().execute(`update contract set valid_from = '2098-01-01', valid_to = '2099-12-31' where id = ?`, [moved.contractId]);
    const orders = await world.gql(PARTNER_VIEW, {}, issued.token);
    expect(orders.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CONTRACT_NOT_IN_FORCE' });
    const client = await world.gql(CLIENT, { id: canary.client.id }, issued.token);
    expect(client.body.data).toEqual({ client: null });
    expect(leaks([orders.body, client.body], canary)).toEqual([]);
    expect(await logRows(world.em(), 'request_id in (?, ?)', [requestIdOf(orders), requestIdOf(client)])).toEqual([]);
  });

  it('under a contract whose purposes no longer name obligations to third parties: nothing, no entry; the DPO sees it out of force and gets no token for it', async () => {
    const narrowed = await registerPartnerWithContract(world, dpo, ['PHONE']);
    const em2 = world.em();
    const canary = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, canary, narrowed.partnerId);
    const issued = await issuePartnerToken(world, dpo, narrowed.contractId, ['PHONE']);
    const CONTRACTS = `{ partners { edges { node { contracts { id inForce } } } } }`;
    const inForce = async () => (await gqlOk(world, CONTRACTS, {}, dpo)).partners.edges.flatMap((e: any) => e.node.contracts).find((c: any) => c.id === narrowed.contractId).inForce;
    expect(await inForce()).toBe(true);
    await em2.getConnection().execute(`update contract set purposes = '{CONTRACT_PERFORMANCE}' where id = ?`, [narrowed.contractId]);
    const client = await world.gql(CLIENT, { id: canary.client.id }, issued.token);
    expect(client.body.data).toEqual({ client: null });
    expect(codes(await world.gql(PARTNER_VIEW, {}, issued.token))).toEqual(['FORBIDDEN']);
    expect(await logRows(world.em(), 'contract_id = ?', [narrowed.contractId])).toEqual([]);
    // What opens nothing reads as not in force, and no token is issued for it.
    expect(await inForce()).toBe(false);
    const reissue = await world.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [PHONE]) { token tokenId } }`, { c: narrowed.contractId }, dpo);
    expect(reissue.body.data).toBeNull();
    expect(reissue.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONTRACT_NOT_IN_FORCE' });
    expect((await gqlOk(world, `query($c: ID!) { partnerTokens(contractId: $c) { edges { node { tokenId } } } }`, { c: narrowed.contractId }, dpo)).partnerTokens.edges).toEqual([{ node: { tokenId: issued.tokenId } }]);
  });

  it('the token record decides, not its claims: categories narrowed on record are hidden, an expired record is UNAUTHENTICATED', async () => {
    const issued = await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'PHONE']);
    const before = await world.gql(CLIENT, { id: served.client.id }, issued.token);
    expect(before.body.data!.client.phones).toEqual(served.client.phones);
    await world.em().getConnection().execute(`update partner_token set categories = '{FULL_NAME}' where jti = ?`, [issued.tokenId]);
    const narrowed = await world.gql(CLIENT, { id: served.client.id }, issued.token);
    expect(narrowed.body.data!.client).toMatchObject({ fullName: expect.any(String), phones: null });
    const [entry] = await logRows(world.em(), 'request_id = ?', [requestIdOf(narrowed)]);
    expect(entry!.fields.map((f) => f.category)).toEqual(['FULL_NAME']);

    await world.em().getConnection().execute(`update partner_token set expires_at = now() - interval '1 second' where jti = ?`, [issued.tokenId]);
    const expired = await world.gql(CLIENT, { id: served.client.id }, issued.token);
    expect(codes(expired)).toEqual(['UNAUTHENTICATED']);
    expect(leaks(expired.body, served)).toEqual([]);
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(expired)])).toEqual([]);
  });

  it('a served client whose consent is WITHDRAWN yields nothing, and no entry claims it', async () => {
    const em2 = world.em();
    const withdrawn = await createCanaryClient(em2, 'WITHDRAWN');
    await assignOrder(em2, withdrawn, partner.partnerId);
    const response = await world.gql(PARTNER_VIEW, {}, token);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.partnerOrders.edges.map((e: any) => e.node.id)).not.toContain(withdrawn.order.id);
    expect(leaks(response.body, withdrawn)).toEqual([]);
    // Not even that the account exists: the same answer as for an id nobody has.
    const direct = await world.gql(CLIENT, { id: withdrawn.client.id }, token);
    const unknown = await world.gql(CLIENT, { id: '00000000-0000-4000-8000-000000000001' }, token);
    expect(direct.body).toEqual(unknown.body);
    expect(direct.body.data!.client).toBeNull();
    expect(await logRows(world.em(), 'subject_id = ?', [withdrawn.client.id])).toEqual([]);
    // The served clients of the same page are still logged: the request itself was not refused.
    expect((await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).length).toBeGreaterThan(0);
  });

  it('a served client whose consent lacks only the transfer operation (the purpose kept) yields nothing, no entry', async () => {
    const em2 = world.em();
    const noOperation = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, noOperation, partner.partnerId);
    await withdrawTransferOperationOnly(em2, noOperation);
    const response = await world.gql(CLIENT, { id: noOperation.client.id }, token);
    expect(response.body.data!.client).toBeNull();
    expect(response.body.extensions?.redactions ?? []).toEqual([]);
    expect(leaks(response.body, noOperation)).toEqual([]);
    expect(await logRows(world.em(), 'subject_id = ?', [noOperation.client.id])).toEqual([]);
  });

  it('with a well-signed token the DPO never issued (unknown jti): UNAUTHENTICATED', async () => {
    const forged = await world.token({
      sub: 'partner:x', role: 'partner', partner_id: partner.partnerId, contract_id: partner.contractId,
      scope: 'pii:phone', jti: '00000000-0000-4000-8000-000000000000',
    });
    expect(codes(await world.gql(CLIENT, { id: served.client.id }, forged))).toEqual(['UNAUTHENTICATED']);
  });

  it('partner operations stay closed to other roles, and DPO operations to partners', async () => {
    expect(codes(await world.gql(PARTNER_VIEW, {}, dpo))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql(`{ partners { edges { node { id } } } }`, {}, token))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql(`{ clients(first: 5) { edges { node { id } } } }`, {}, token))).toEqual(['FORBIDDEN']);
  });
});

describe('the subject and the DPO read the log', () => {
  it('the subject sees its own disclosures (paths and recipient, no values), and nobody else\'s', async () => {
    const subject = await world.token({ sub: served.client.id, role: 'client' });
    const mine = await world.gql(`{ myDisclosures { edges { node { recipientKind recipient contractId subjectId fields { path category } purpose } } } }`, {}, subject);
    expect(mine.body.errors).toBeUndefined();
    const expected = await logRows(world.em(), 'subject_id = ?', [served.client.id]);
    expect(expected.length).toBeGreaterThan(0);
    const entries = mine.body.data!.myDisclosures.edges.map((e: any) => e.node);
    expect(entries).toHaveLength(expected.length);
    expect(entries.every((d: any) => d.subjectId === served.client.id && d.recipientKind === 'PARTNER')).toBe(true);
  });

  it('the DPO search applies subject, recipient, from (included) and to (excluded): dropping any one of them changes the result', async () => {
    const other = await registerPartnerWithContract(world, dpo, ['PHONE']);
    const record = async (subjectId: string, contractId: string, disclosedAt: string): Promise<number> => {
      const { recordDisclosure } = await gqlOk(world, `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq } }`, {
        input: { subjectId, recipientKind: 'PARTNER', recipient: 'Courier (paper waybill)', contractId, categories: ['PHONE'], purpose: 'THIRD_PARTY_OBLIGATIONS', legalBasis: 'P5.1 contract', disclosedAt },
      }, dpo);
      return recordDisclosure.seq;
    };
    const target = await record(servedToo.client.id, partner.contractId, '2021-06-10T00:00:00Z');
    const atFrom = await record(servedToo.client.id, partner.contractId, '2021-06-01T00:00:00Z');
    const before = await record(servedToo.client.id, partner.contractId, '2021-05-31T23:59:59Z');
    const atTo = await record(servedToo.client.id, partner.contractId, '2021-07-01T00:00:00Z');
    const otherRecipient = await record(servedToo.client.id, other.contractId, '2021-06-10T00:00:00Z');
    const otherSubject = await record(noTransfer.client.id, partner.contractId, '2021-06-10T00:00:00Z');
    const search = async (vars: Record<string, string>): Promise<number[]> => {
      const { disclosures } = await gqlOk(world, `query($s: ID, $r: ID, $from: DateTimeISO, $to: DateTimeISO) { disclosures(subjectId: $s, recipient: $r, from: $from, to: $to, first: 100) { edges { node { seq } } } }`, vars, dpo);
      return disclosures.edges.map((e: any) => e.node.seq);
    };
    const all = { s: servedToo.client.id, r: partner.contractId, from: '2021-06-01T00:00:00Z', to: '2021-07-01T00:00:00Z' };
    expect(await search(all)).toEqual([atFrom, target].sort((a, b) => b - a));
    const without = async (key: keyof typeof all) => search(Object.fromEntries(Object.entries(all).filter(([k]) => k !== key)));
    expect(await without('s')).toEqual(expect.arrayContaining([otherSubject, target, atFrom]));
    expect(await without('s')).not.toContain(otherRecipient);
    expect(await without('r')).toEqual(expect.arrayContaining([otherRecipient, target, atFrom]));
    expect(await without('r')).not.toContain(otherSubject);
    expect(await without('from')).toEqual(expect.arrayContaining([before, target, atFrom]));
    expect(await without('from')).not.toContain(atTo);
    expect(await without('to')).toEqual(expect.arrayContaining([atTo, target, atFrom]));
    expect(await without('to')).not.toContain(before);
    // A partner id names the same recipient as its contract; another partner's id finds only its own.
    expect(await search({ ...all, r: partner.partnerId })).toEqual(await search(all));
    expect(await search({ ...all, r: other.partnerId })).toEqual([otherRecipient]);
  });

  it('recordDisclosure appends an off-system disclosure to the same chain, naming the recording request like an online one', async () => {
    const RECORD = `mutation RecordPaperWaybill($input: RecordDisclosureInput!) {
      recordDisclosure(input: $input) { recipientKind recipient contractId partnerId fields { path category } purpose operationName queryHash requestId prevHash hash }
    }`;
    const response = await world.gql(RECORD,
      { input: { subjectId: served.client.id, recipientKind: 'PARTNER', recipient: 'Courier (paper waybill)', contractId: partner.contractId, categories: ['PHONE'], purpose: 'THIRD_PARTY_OBLIGATIONS', legalBasis: 'P5.1 contract' } },
      dpo,
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.recordDisclosure).toMatchObject({
      recipientKind: 'PARTNER', partnerId: partner.partnerId, fields: [{ path: 'off-system', category: 'PHONE' }],
      operationName: 'RecordPaperWaybill', queryHash: createHash('sha256').update(RECORD).digest('hex'), requestId: requestIdOf(response),
    });
    const [last] = (await logRows(world.em())).slice(-1);
    expect(last!.hash).toBe(response.body.data!.recordDisclosure.hash);
    expect(last!.query_hash).toBe(createHash('sha256').update(RECORD).digest('hex'));
  });

  it('the DPO finds an off-system recipient (OTHER) by part of its name, any case, wildcards taken literally; and entries by acting token', async () => {
    const RECORD = `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq } }`;
    const input = { subjectId: served.client.id, recipientKind: 'OTHER', recipient: 'Notary Office №5 (Almaty) 100%_sure', categories: ['FULL_NAME'], purpose: 'CONTRACT_PERFORMANCE', legalBasis: 'a written request of the subject' };
    const recorded = await world.gql(RECORD, { input }, dpo);
    expect(recorded.body.errors).toBeUndefined();
    const SEARCH = `query($name: String, $token: ID) { disclosures(recipientName: $name, tokenId: $token, first: 50) { edges { node { seq recipient tokenId } } } }`;
    const found = async (variables: Record<string, unknown>) =>
      (await gqlOk(world, SEARCH, variables, dpo)).disclosures.edges.map((e: any) => e.node) as Array<{ seq: number; recipient: string; tokenId: string | null }>;
    expect((await found({ name: 'notary office' })).map((d) => d.seq)).toEqual([recorded.body.data!.recordDisclosure.seq]);
    expect((await found({ name: '100%_sure' })).map((d) => d.seq)).toEqual([recorded.body.data!.recordDisclosure.seq]);
    expect(await found({ name: '100%%' })).toEqual([]);
    expect(await found({ name: 'n_tary' })).toEqual([]);
    const byToken = await found({ token: tokenId });
    expect(byToken.length).toBeGreaterThan(0);
    expect(byToken.every((d) => d.tokenId === tokenId)).toBe(true);
    expect(codes(await world.gql(SEARCH, { name: '' }, dpo))).toEqual(['BAD_USER_INPUT']);
  });

  it('recordDisclosure for a state body requires its registered lawful request; ids of another kind of recipient are refused; nothing is written', async () => {
    const RECORD = `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq } }`;
    const base = { subjectId: served.client.id, recipient: 'Police department (paper request)', categories: ['PHONE'], purpose: 'LAWFUL_REQUEST', legalBasis: 'a letter' };
    const countBefore = (await logRows(world.em())).length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, recipientKind: 'AUTHORITY' }, 'lawfulRequestId'],
      [{ ...base, recipientKind: 'AUTHORITY', contractId: partner.contractId }, 'contractId'],
      [{ ...base, recipientKind: 'OTHER', contractId: partner.contractId }, 'contractId'],
      [{ ...base, recipientKind: 'PARTNER', contractId: partner.contractId, lawfulRequestId: '00000000-0000-4000-8000-000000000000' }, 'lawfulRequestId'],
      [{ ...base, recipientKind: 'PARTNER' }, 'contractId'],
    ];
    for (const [input, field] of cases) {
      const response = await world.gql(RECORD, { input }, dpo);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0]!.extensions!.field).toBe(field);
    }
    const unknown = await world.gql(RECORD, { input: { ...base, recipientKind: 'AUTHORITY', lawfulRequestId: '00000000-0000-4000-8000-000000000000' } }, dpo);
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(await logRows(world.em())).toHaveLength(countBefore);

    const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
      input: { issuingBody: 'Police department', documentNumber: 'PD-1', documentDate: '2026-11-01', legalBasis: 'Criminal procedure code', subjectIds: [served.client.id], categories: ['PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString() },
    }, dpo);
    const recorded = await world.gql(RECORD, { input: { ...base, recipientKind: 'AUTHORITY', lawfulRequestId: registerLawfulRequest.id } }, dpo);
    expect(recorded.body.errors).toBeUndefined();
    const [row] = await logRows(world.em(), 'seq = ?', [recorded.body.data!.recordDisclosure.seq]);
    expect(row).toMatchObject({ recipient_kind: 'AUTHORITY', lawful_request_id: registerLawfulRequest.id, subject_id: served.client.id });
  });
});
