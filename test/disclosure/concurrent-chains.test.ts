/**
 * No global queue for the log: each recipient has its own chain and its own lock, so one
 * recipient's log write never waits for another's, while one recipient's writes still extend its
 * chain one after another. A chain's append under way is played by a transaction holding its lock.
 */
import { Client as PgClient } from 'pg';
import { CHAIN_LOCK, chainLockKey } from '../../src/disclosure/chain';
import { appendDisclosures, verifyChains } from '../../src/disclosure/disclosure-log';
import { subjectAccessRecipient } from '../../src/disclosure/recipient';
import type { Principal } from '../../src/auth/principal';
import { createCanaryClient, type Canary } from '../support/canaries';
import { type GraphQLResponse } from '../support/server';
import { assignOrder, chainWaiters, dpoToken, gqlOk, issuePartnerToken, logRows, partnerChain, registerPartnerWithContract, requestIdOf, untilWaiting } from '../support/disclosure';
import { startWorld, type World } from '../support/world';

const PARTNER_QUERY = `{ partnerOrders(first: 10) { edges { node { contactPhone client { phones } } } } }`;
const AUTHORITY_QUERY = `{ authorityRequestSubjects(first: 10) { edges { node { phones } } } }`;

interface Recipient {
  readonly chain: string;
  readonly token: string;
  readonly query: string;
  readonly client: Canary;
}

let world: World;
let holder: PgClient;
let partnerA: Recipient;
let partnerB: Recipient;
let authority: Recipient;

async function servedPartner(dpo: string): Promise<Recipient> {
  const em = world.em();
  const partner = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
  const client = await createCanaryClient(em, 'ACTIVE');
  await assignOrder(em, client, partner.partnerId);
  const { token } = await issuePartnerToken(world, dpo, partner.contractId, ['PHONE', 'ORDER_CONTACT']);
  return { chain: partnerChain(partner.partnerId), token, query: PARTNER_QUERY, client };
}

beforeAll(async () => {
  world = await startWorld();
  const dpo = await dpoToken(world);
  partnerA = await servedPartner(dpo);
  partnerB = await servedPartner(dpo);
  const client = await createCanaryClient(world.em(), 'ACTIVE');
  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Police department', documentNumber: 'PD-1', documentDate: '2026-11-01', legalBasis: 'Criminal procedure code',
      subjectIds: [client.client.id], categories: ['PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  const { issueAuthorityToken } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token } }`, { r: registerLawfulRequest.id }, dpo);
  authority = { chain: `lawful-request:${registerLawfulRequest.id}`, token: issueAuthorityToken.token, query: AUTHORITY_QUERY, client };
  holder = new PgClient({ connectionString: world.db.url });
  await holder.connect();
});
afterAll(async () => {
  await holder.end();
  await world.close();
});

const ask = (recipient: Recipient) => world.gql(recipient.query, {}, recipient.token);

/** Served whole and logged in the recipient's chain: the entry written before the response left. */
async function expectServedAndLogged(recipient: Recipient, response: GraphQLResponse): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  expect(JSON.stringify(response.body.data)).toContain(recipient.client.client.phones[0]!);
  const rows = await logRows(world.em(), 'request_id = ?', [requestIdOf(response)]);
  expect(rows.map((r) => [r.chain, r.subject_id])).toEqual([[recipient.chain, recipient.client.client.id]]);
}

/** Runs `body` while an open transaction holds the chain's lock, as an append of that recipient under way would. */
async function whileAppending<T>(chain: string, body: () => Promise<T>): Promise<T> {
  await holder.query('begin');
  try {
    await holder.query('select pg_advisory_xact_lock($1, $2)', [CHAIN_LOCK, chainLockKey(chain)]);
    return await body();
  } finally {
    await holder.query('commit');
  }
}

it('the recipients\' chains have distinct locks', () => {
  expect(new Set([partnerA, partnerB, authority].map((r) => chainLockKey(r.chain))).size).toBe(3);
});

it('while partner A\'s log write is held, partner B and the authority are served and logged; A\'s request waits, then is logged', async () => {
  let settled = false;
  const { heldA } = await whileAppending(partnerA.chain, async () => {
    const inFlight = ask(partnerA);
    inFlight.finally(() => {
      settled = true;
    });
    await untilWaiting(holder, partnerA.chain);
    await expectServedAndLogged(partnerB, await ask(partnerB));
    await expectServedAndLogged(authority, await ask(authority));
    // Nothing else queued on A's lock meanwhile, and A is still waiting for it.
    expect(await chainWaiters(holder, partnerA.chain)).toBe(1);
    expect(await chainWaiters(holder, partnerB.chain)).toBe(0);
    expect(settled).toBe(false);
    // Wrapped: returned bare, the promise would be awaited before the lock is let go.
    return { heldA: inFlight };
  });
  await expectServedAndLogged(partnerA, await heldA);
  expect(await verifyChains(world.em())).toMatchObject({ ok: true, entries: 3 });
});

it('one recipient\'s writes still serialise: two of A\'s requests both queue on its chain, then extend it one after another', async () => {
  const [first, second] = await whileAppending(partnerA.chain, async () => {
    const both = [ask(partnerA), ask(partnerA)];
    await untilWaiting(holder, partnerA.chain, 2);
    return both;
  });
  for (const response of [await first!, await second!]) await expectServedAndLogged(partnerA, response);
  const rows = await logRows(world.em(), 'chain = ?', [partnerA.chain]);
  expect(rows.map((r) => Number(r.chain_seq))).toEqual([1, 2, 3]);
  expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
  expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
  expect(await verifyChains(world.em())).toMatchObject({ ok: true, entries: 5 });
});

it('one append with entries for several chains writes each to its own chain (the API sends one chain a request; the log takes any)', async () => {
  const [one, two] = [partnerA.client.client.id, partnerB.client.client.id];
  const exportOf = (subjectId: string) => ({
    recipient: subjectAccessRecipient({ sub: `client:${subjectId}`, tokenId: null } as Principal),
    subjectId,
    fields: [],
  });
  const written = await appendDisclosures(world.em(), [exportOf(one), exportOf(two)], { operationName: null, queryHash: null, requestId: 'two-chains' }, { requestTimeoutMs: 10_000 });
  expect(written.map((e) => [e.chain, e.chainSeq]).sort()).toEqual([[`subject:${one}`, 1], [`subject:${two}`, 1]].sort());
  expect(await verifyChains(world.em())).toMatchObject({ ok: true, entries: 7 });
});
