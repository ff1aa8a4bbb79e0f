/**
 * P5.1 end to end: a partner sees only the clients it serves, only contract ∩ token categories,
 * only while the contract is in force and the client consents to transfer; every value it is
 * served lands in exactly one log batch, and nothing it was not served is claimed there.
 */
import { createHash } from 'node:crypto';
import { Order, OrderStatus } from '../../src/orders/order.entity';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes, startTestServer, type TestServer } from '../support/harness';
import {
  assignOrder, dpoToken, issuePartnerToken, logRows, narrowConsentWithoutTransfer, registerPartnerWithContract, requestIdHeader,
  type PartnerSetup,
} from './support';

const PARTNER_VIEW = `query PartnerView {
  partnerOrders(first: 10) {
    edges { node { id contactPhone contactEmail client { id fullName phones emails iin residenceAddress { street } } } }
  }
}`;
const CLIENT = `query($id: ID!) { client(id: $id) { id fullName phones emails } }`;

let server: TestServer;
let dpo: string;
let partner: PartnerSetup;
let served: Canary;
let notServed: Canary;
let noTransfer: Canary;
let token: string;
let tokenId: string;

beforeAll(async () => {
  server = await startTestServer();
  dpo = await dpoToken(server);
  const em = server.db.orm.em.fork();
  // The contract covers RESIDENCE_ADDRESS but the token does not: the grant is the intersection.
  partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT', 'RESIDENCE_ADDRESS']);
  served = await createCanaryClient(em, 'ACTIVE');
  notServed = await createCanaryClient(em, 'ACTIVE');
  noTransfer = await createCanaryClient(em, 'ACTIVE');
  await assignOrder(em, served, partner.partnerId);
  await assignOrder(em, noTransfer, partner.partnerId);
  await narrowConsentWithoutTransfer(em, noTransfer);
  ({ token, tokenId } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']));
});
afterAll(() => server.close());

const em = () => server.db.orm.em.fork();
const leaks = (body: unknown, canary: Canary, allowed: string[] = []) =>
  canary.values.filter((v) => !allowed.includes(v) && JSON.stringify(body).includes(v));

describe('a partner under a contract in force (P5.1)', () => {
  it('gets contract ∩ scope categories of the clients it serves, and exactly one log batch naming them', async () => {
    const { id: requestId, headers } = requestIdHeader();
    const response = await server.gql(PARTNER_VIEW, {}, token, headers);
    expect(response.body.errors).toBeUndefined();
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
    const index = nodes.indexOf(mine);
    const redactions = response.body.extensions!.redactions!.filter((r) => r.path.startsWith(`partnerOrders.edges.${index}.`));
    expect(redactions.map((r) => [r.path.split('.').slice(3).join('.'), r.reason]).sort()).toEqual(
      [['node.client.emails', 'SCOPE'], ['node.client.iin', 'SCOPE'], ['node.client.residenceAddress', 'SCOPE']].sort(),
    );

    const rows = await logRows(em(), 'request_id = ?', [requestId]);
    const forServed = rows.filter((r) => r.subject_id === served.client.id);
    expect(forServed).toHaveLength(1);
    const base = `partnerOrders.edges.${index}.node`;
    expect(forServed[0]!.fields.map((f) => [f.path, f.category, f.access]).sort()).toEqual([
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
    // One batch: one INSERT, so one timestamp and consecutive positions in the chain.
    expect(new Set(rows.map((r) => new Date(r.at).getTime())).size).toBe(1);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => Number(rows[0]!.seq) + i));
    // Paths and categories, never values.
    expect(leaks(rows, served)).toEqual([]);
  });

  it('the client it serves but who did not consent to transfer yields nothing, and no entry claims it', async () => {
    const { id: requestId, headers } = requestIdHeader();
    const response = await server.gql(PARTNER_VIEW, {}, token, headers);
    const node = response.body.data!.partnerOrders.edges.map((e: any) => e.node).find((n: any) => n.id === noTransfer.order.id);
    expect(node).toMatchObject({ contactPhone: null, contactEmail: null, client: { fullName: null, phones: null } });
    expect(leaks(response.body, noTransfer)).toEqual([]);
    const reasons = new Set(response.body.extensions!.redactions!.filter((r) => r.path.includes('edges') && (r.path.endsWith('contactPhone') || r.path.endsWith('phones'))).map((r) => r.reason));
    expect(reasons.has('CONSENT')).toBe(true);
    expect((await logRows(em(), 'request_id = ? and subject_id = ?', [requestId, noTransfer.client.id]))).toEqual([]);
  });

  it('a client it does not serve reads as null (not FORBIDDEN: existence is not disclosed either), with no entry', async () => {
    const { id: requestId, headers } = requestIdHeader();
    const response = await server.gql(CLIENT, { id: notServed.client.id }, token, headers);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ client: null });
    expect(await logRows(em(), 'request_id = ?', [requestId])).toEqual([]);
  });

  it('client(id) of a served client gives the granted fields and logs them', async () => {
    const { id: requestId, headers } = requestIdHeader();
    const response = await server.gql(CLIENT, { id: served.client.id }, token, headers);
    expect(response.body.data!.client).toMatchObject({ phones: served.client.phones, emails: null });
    const rows = await logRows(em(), 'request_id = ?', [requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields.map((f) => f.path).sort()).toEqual(['client.fullName', 'client.phones']);
  });

  it("a client served only by another partner reads as null; a served client's orders with others stay out of sight", async () => {
    const other = await registerPartnerWithContract(server, dpo, ['ORDER_CONTACT']);
    const em2 = em();
    const second = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, second, other.partnerId);
    const response = await server.gql(`query($id: ID!) { client(id: $id) { id } }`, { id: second.client.id }, token);
    expect(response.body.data).toEqual({ client: null });

    const elsewhere = em2.create(Order, { client: served.client, partner: other.partnerId, amountTiyn: 100, status: OrderStatus.PAID, contactPhone: '+77015550101' });
    await em2.flush();
    const orders = await server.gql(`query($id: ID!) { client(id: $id) { orders { id contactPhone } } }`, { id: served.client.id }, token);
    expect(orders.body.data!.client.orders.map((o: any) => o.id)).toEqual([served.order.id]);
    expect(JSON.stringify(orders.body)).not.toContain(elsewhere.contactPhone);
  });
});

describe('a partner gets nothing, and nothing is logged', () => {
  it('without the scope: a token scoped to EMAIL only, which the contract does not even cover, is refused at issue', async () => {
    const response = await server.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [EMAIL]) { token } }`, { c: partner.contractId }, dpo);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('without the scope: a token for ORDER_CONTACT sees no client name or phone, and the log names only order contacts', async () => {
    const narrow = await issuePartnerToken(server, dpo, partner.contractId, ['ORDER_CONTACT']);
    const { id: requestId, headers } = requestIdHeader();
    const response = await server.gql(PARTNER_VIEW, {}, narrow.token, headers);
    const node = response.body.data!.partnerOrders.edges.map((e: any) => e.node).find((n: any) => n.id === served.order.id);
    expect(node.client).toMatchObject({ fullName: null, phones: null });
    expect(node.contactPhone).toBe(served.order.contactPhone);
    const rows = await logRows(em(), 'request_id = ?', [requestId]);
    expect(rows.flatMap((r) => r.fields.map((f) => f.category))).toEqual(expect.arrayContaining(['ORDER_CONTACT']));
    expect(rows.flatMap((r) => r.fields.map((f) => f.category)).filter((c) => c !== 'ORDER_CONTACT')).toEqual([]);
  });

  it('outside the contract period: partnerOrders is FORBIDDEN and client(id) null, no entry', async () => {
    const lapsing = await registerPartnerWithContract(server, dpo, ['PHONE']);
    const em2 = em();
    const canary = await createCanaryClient(em2, 'ACTIVE');
    await assignOrder(em2, canary, lapsing.partnerId);
    const issued = await issuePartnerToken(server, dpo, lapsing.contractId, ['PHONE']);
    // Time passes: the contract ends while the token is still unexpired.
    await em2.getConnection().execute(`update contract set valid_from = '2020-01-01', valid_to = '2020-12-31' where id = ?`, [lapsing.contractId]);
    const { id: requestId, headers } = requestIdHeader();
    const orders = await server.gql(PARTNER_VIEW, {}, issued.token, headers);
    expect(codes(orders)).toEqual(['FORBIDDEN']);
    expect(orders.body.errors![0]!.extensions!.reason).toBe('CONTRACT_NOT_IN_FORCE');
    const client = await server.gql(CLIENT, { id: canary.client.id }, issued.token, headers);
    expect(client.body.data).toEqual({ client: null });
    expect(leaks([orders.body, client.body], canary)).toEqual([]);
    expect(await logRows(em(), 'request_id = ?', [requestId])).toEqual([]);
    // Nor can the DPO issue a new token for it.
    const reissue = await server.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [PHONE]) { token } }`, { c: lapsing.contractId }, dpo);
    expect(codes(reissue)).toEqual(['CONFLICT']);
  });

  it('with a revoked token: refused at once (UNAUTHENTICATED), no entry', async () => {
    const issued = await issuePartnerToken(server, dpo, partner.contractId, ['PHONE']);
    expect((await server.gql(CLIENT, { id: served.client.id }, issued.token)).body.data!.client.phones).toEqual(served.client.phones);
    const revoked = await server.gql(`mutation($t: ID!) { revokePartnerToken(tokenId: $t) }`, { t: issued.tokenId }, dpo);
    expect(revoked.body.data).toEqual({ revokePartnerToken: true });
    const { id: requestId, headers } = requestIdHeader();
    const response = await server.gql(CLIENT, { id: served.client.id }, issued.token, headers);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(leaks(response.body, served)).toEqual([]);
    expect(await logRows(em(), 'request_id = ?', [requestId])).toEqual([]);
  });

  it('with a well-signed token the DPO never issued (unknown jti): UNAUTHENTICATED', async () => {
    const forged = await server.token({
      sub: 'partner:x', role: 'partner', partner_id: partner.partnerId, contract_id: partner.contractId,
      scope: 'pii:phone', jti: '00000000-0000-4000-8000-000000000000',
    });
    expect(codes(await server.gql(CLIENT, { id: served.client.id }, forged))).toEqual(['UNAUTHENTICATED']);
  });

  it('partner operations stay closed to other roles, and DPO operations to partners', async () => {
    expect(codes(await server.gql(PARTNER_VIEW, {}, dpo))).toEqual(['FORBIDDEN']);
    expect(codes(await server.gql(`{ partners { id } }`, {}, token))).toEqual(['FORBIDDEN']);
    expect(codes(await server.gql(`{ clients(first: 5) { edges { node { id } } } }`, {}, token))).toEqual(['FORBIDDEN']);
  });
});

describe('the subject and the DPO read the log', () => {
  it('the subject sees its own disclosures (paths and recipient, no values), and the DPO can search by subject and recipient', async () => {
    const subject = await server.token({ sub: served.client.id, role: 'client' });
    const mine = await server.gql(`{ myDisclosures { recipientKind recipient contractId subjectId fields { path category } purpose } }`, {}, subject);
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data!.myDisclosures.length).toBeGreaterThan(0);
    expect(mine.body.data!.myDisclosures.every((d: any) => d.subjectId === served.client.id && d.recipientKind === 'PARTNER')).toBe(true);

    const search = await server.gql(`query($s: ID, $r: ID) { disclosures(subjectId: $s, recipient: $r, from: "2000-01-01T00:00:00Z") { subjectId contractId } }`,
      { s: served.client.id, r: partner.contractId }, dpo);
    expect(search.body.data!.disclosures.length).toBe(mine.body.data!.myDisclosures.length);
    const other = await server.gql(`query($s: ID) { disclosures(subjectId: $s) { seq } }`, { s: notServed.client.id }, dpo);
    expect(other.body.data).toEqual({ disclosures: [] });
  });

  it('recordDisclosure appends an off-system disclosure to the same chain', async () => {
    const response = await server.gql(
      `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { recipientKind recipient contractId partnerId fields { path category } purpose prevHash hash } }`,
      { input: { subjectId: served.client.id, recipientKind: 'PARTNER', recipient: 'Courier (paper waybill)', contractId: partner.contractId, categories: ['PHONE'], purpose: 'THIRD_PARTY_OBLIGATIONS', legalBasis: 'P5.1 contract' } },
      dpo,
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.recordDisclosure).toMatchObject({ recipientKind: 'PARTNER', partnerId: partner.partnerId, fields: [{ path: 'off-system', category: 'PHONE' }] });
    const [last] = (await logRows(em())).slice(-1);
    expect(last!.hash).toBe(response.body.data!.recordDisclosure.hash);
  });
});
