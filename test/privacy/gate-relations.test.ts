/**
 * Client.orders and Client.consents are personal data too (P1: actions on the Site): they reach a
 * caller only on the terms of the subject's personal fields, and a withheld list is [] with a
 * redaction, like a hidden field.
 */
import { createCanaryClient, type Canary } from '../support/canaries';
import { type GraphQLResponse } from '../support/server';
import { assignOrder, dpoToken, gqlOk, issuePartnerToken, registerPartnerWithContract } from '../support/disclosure';
import { pathOf, sortReport } from '../support/redactions';
import { Order, OrderStatus } from '../../src/orders/order.entity';
import type { PiiCategory } from '../../src/privacy/categories';
import { useWorld } from '../support/world';

const RELATIONS = `query($id: ID!) { client(id: $id) { id orders { id } consents { id status actorId } } }`;

const world = useWorld();
let dpo: string;
let active: Canary;
let withdrawn: Canary;
let erased: Canary;
beforeAll(async () => {
  dpo = await dpoToken(world);
  const em = world.em();
  active = await createCanaryClient(em, 'ACTIVE');
  withdrawn = await createCanaryClient(em, 'WITHDRAWN');
  erased = await createCanaryClient(em, 'ERASED');
});

/** The redactions of list fields (no @pii field of this query is a list of objects), by path. */
const redactionsOf = (response: GraphQLResponse, lists = /\.(orders|consents)$/) =>
  sortReport((response.body.extensions?.redactions ?? []).filter((r) => lists.test(pathOf(r))));

async function relations(id: string, token: string) {
  const response = await world.gql(RELATIONS, { id }, token);
  expect(response.body.errors).toBeUndefined();
  return { client: response.body.data!.client, redactions: redactionsOf(response) };
}

async function authorityToken(subjectId: string, categories: PiiCategory[]): Promise<string> {
  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Агентство по финансовому мониторингу РК',
      documentNumber: `AFM-${categories.join('-')}`,
      documentDate: '2026-11-01',
      legalBasis: 'Закон РК о ПОД/ФТ, ст. 13',
      subjectIds: [subjectId],
      categories,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  const { issueAuthorityToken } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token } }`, { r: registerLawfulRequest.id }, dpo);
  return issueAuthorityToken.token;
}

describe('an operator (consent-based)', () => {
  it('gets the orders and consent history of a client whose consent is in force', async () => {
    const { client, redactions } = await relations(active.client.id, world.tokens.operator);
    expect(client.orders).toEqual([{ id: active.order.id }]);
    expect(client.consents.length).toBeGreaterThan(0);
    expect(redactions).toEqual([]);
  });

  it('gets neither for a withdrawn client: [] with a CONSENT redaction at each path', async () => {
    const { client, redactions } = await relations(withdrawn.client.id, world.tokens.operator);
    expect(client).toEqual({ id: withdrawn.client.id, orders: [], consents: [] });
    expect(redactions).toEqual([
      { path: ['client', 'consents'], category: 'ORDER_CONTACT', access: 'HIDDEN', reason: 'CONSENT', count: 1 },
      { path: ['client', 'orders'], category: 'ORDER_CONTACT', access: 'HIDDEN', reason: 'CONSENT', count: 1 },
    ]);
  });

  it('gets neither for an erased client (ERASED); nor a withdrawn client\'s order at all, so nothing under its aliases', async () => {
    const direct = await relations(erased.client.id, world.tokens.operator);
    expect(direct.client).toEqual({ id: erased.client.id, orders: [], consents: [] });
    expect(direct.redactions.map((r) => r.reason)).toEqual(['ERASED', 'ERASED']);

    const nested = await world.gql(
      `query($o: ID!) { order(id: $o) { client { h: consents { id } o1: orders { id } } } }`,
      { o: withdrawn.order.id },
      world.tokens.operator,
    );
    expect(nested.body.errors).toBeUndefined();
    expect(nested.body.data!.order).toBeNull();
    expect(redactionsOf(nested, /^order$/).map((r) => `${pathOf(r)}:${r.category}:${r.reason}:${r.count}`)).toEqual(['order:ORDER_CONTACT:CONSENT:1']);
  });
});

describe('the subject and the DPO', () => {
  it('the DPO gets both even for withdrawn and erased clients (the history is the proof of consent)', async () => {
    for (const canary of [withdrawn, erased]) {
      const { client, redactions } = await relations(canary.client.id, dpo);
      expect(client.consents.length).toBeGreaterThan(0);
      expect(redactions).toEqual([]);
    }
    expect((await relations(withdrawn.client.id, dpo)).client.orders).toEqual([{ id: withdrawn.order.id }]);
  });

  it('a withdrawn subject still gets its own orders and history', async () => {
    const token = await world.token({ sub: withdrawn.client.id, role: 'client' });
    const response = await world.gql(`{ me { orders { id } consents { status } } }`, {}, token);
    expect(response.body.data!.me).toEqual({ orders: [{ id: withdrawn.order.id }], consents: [{ status: 'WITHDRAWN' }] });
    expect(redactionsOf(response)).toEqual([]);
  });
});

describe('an authority (P5.2)', () => {
  it('whose request grants only FULL_NAME gets no orders and no consent history (SCOPE)', async () => {
    const token = await authorityToken(active.client.id, ['FULL_NAME']);
    const { client, redactions } = await relations(active.client.id, token);
    expect(client).toEqual({ id: active.client.id, orders: [], consents: [] });
    expect(redactions.map((r) => `${pathOf(r)}:${r.reason}`)).toEqual(['client.consents:SCOPE', 'client.orders:SCOPE']);
  });

  it('whose request grants ORDER_CONTACT gets the orders, consent or not, but never the consent history', async () => {
    const token = await authorityToken(withdrawn.client.id, ['ORDER_CONTACT']);
    const { client, redactions } = await relations(withdrawn.client.id, token);
    expect(client).toEqual({ id: withdrawn.client.id, orders: [{ id: withdrawn.order.id }], consents: [] });
    expect(redactions.map((r) => `${pathOf(r)}:${r.reason}`)).toEqual(['client.consents:SCOPE']);
  });
});

describe('a partner (P5.1)', () => {
  it('gets only the orders assigned to it and never the consent history (status, staff ids)', async () => {
    const em = world.em();
    const { partnerId, contractId } = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
    await assignOrder(em, active, partnerId);
    // Another order of the same client, not assigned to this partner, stays out of its view.
    em.create(Order, { client: active.client.id, amountTiyn: 100, items: [{ name: 'x', quantity: 1, priceTiyn: 100 }], status: OrderStatus.PAID });
    await em.flush();
    const { token } = await issuePartnerToken(world, dpo, contractId, ['PHONE', 'ORDER_CONTACT']);
    const { client, redactions } = await relations(active.client.id, token);
    expect(client).toEqual({ id: active.client.id, orders: [{ id: active.order.id }], consents: [] });
    expect(redactions.map((r) => `${pathOf(r)}:${r.reason}`)).toEqual(['client.consents:SCOPE']);
  });

  it("sees its own older orders of a client whose newer orders are all another partner's (no crowding out of the page)", async () => {
    const em = world.em();
    const mine = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
    const other = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
    const client = await createCanaryClient(em, 'ACTIVE');
    await assignOrder(em, client, mine.partnerId);
    const start = client.order.createdAt.getTime();
    const newer = [1, 2, 3, 4].map((n) => em.create(Order, {
      client: client.client.id, partner: other.partnerId, amountTiyn: 100, items: [{ name: 'x', quantity: 1, priceTiyn: 100 }], status: OrderStatus.PAID,
      createdAt: new Date(start + n * 60_000),
    }));
    await em.flush();
    const { token } = await issuePartnerToken(world, dpo, mine.contractId, ['PHONE', 'ORDER_CONTACT']);
    const page = await world.gql(`query($id: ID!) { client(id: $id) { orders(first: 2) { id } } }`, { id: client.client.id }, token);
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data!.client.orders).toEqual([{ id: client.order.id }]);
    // The other partner's page holds its newest two, none of this partner's.
    const theirs = (await issuePartnerToken(world, dpo, other.contractId, ['PHONE', 'ORDER_CONTACT'])).token;
    const their = await world.gql(`query($id: ID!) { client(id: $id) { orders(first: 2) { id } } }`, { id: client.client.id }, theirs);
    expect(their.body.data!.client.orders).toEqual([newer[3]!, newer[2]!].map((o) => ({ id: o.id })));
  });

  it('gets no orders, nor the client itself, of a served client whose consent is withdrawn', async () => {
    const em = world.em();
    const { partnerId, contractId } = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
    await assignOrder(em, withdrawn, partnerId);
    const { token } = await issuePartnerToken(world, dpo, contractId, ['PHONE', 'ORDER_CONTACT']);
    const { client, redactions } = await relations(withdrawn.client.id, token);
    expect(client).toBeNull();
    expect(redactions).toEqual([]);
  });

  it('gets no orders when its grant does not name ORDER_CONTACT (SCOPE), though it serves the client', async () => {
    const em = world.em();
    const { partnerId, contractId } = await registerPartnerWithContract(world, dpo, ['PHONE']);
    await assignOrder(em, active, partnerId);
    const { token } = await issuePartnerToken(world, dpo, contractId, ['PHONE']);
    const { client, redactions } = await relations(active.client.id, token);
    expect(client).toEqual({ id: active.client.id, orders: [], consents: [] });
    expect(redactions.map((r) => `${pathOf(r)}:${r.reason}`).sort()).toEqual(['client.consents:SCOPE', 'client.orders:SCOPE']);
  });
});
