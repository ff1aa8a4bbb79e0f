/**
 * The request deadline and the log: when the deadline has answered REQUEST_TIMEOUT, the data never
 * left, so no entry may claim it did; and the log write waits no longer than the deadline either.
 */
import { Client as PgClient } from 'pg';
import { logTimeouts, verifyChains } from '../../src/disclosure/disclosure-log';
import { createCanaryClient, type Canary } from '../support/canaries';
import { partnerRecipients } from '../../src/disclosure/recipients/partner';
import { registerContract, registerPartner } from '../../src/partners/partner.service';
import { codes } from '../support/server';
import { assignOrder, chainWaiters, holdChain, logRows, partnerChain, releaseChain, requestIdOf } from '../support/disclosure';
import { useWorld } from '../support/world';

const QUERY = `{ partnerOrders(first: 10) { edges { node { contactPhone client { fullName phones } } } } }`;

const world = useWorld({ env: { REQUEST_TIMEOUT_MS: '500' } });
let canary: Canary;
let token: string;
let chain: string;

beforeAll(async () => {
  // Set up through the services, not over HTTP, so a busy machine cannot time the set-up out.
  const em = world.em();
  const categories = ['FULL_NAME', 'PHONE', 'ORDER_CONTACT'] as const;
  const partner = await registerPartner(em, { name: 'Courier', bin: '180440000009' });
  const contract = await registerContract(em, {
    partnerId: partner.id, number: 'AG-1', validFrom: '2020-01-01', validTo: '2099-12-31', categories: [...categories], purposes: ['CONTRACT_PERFORMANCE', 'THIRD_PARTY_OBLIGATIONS'],
  });
  canary = await createCanaryClient(em, 'ACTIVE');
  await assignOrder(em, canary, partner.id);
  chain = partnerChain(partner.id);
  ({ token } = await partnerRecipients.issueToken(em, world.config.jwt, { grantId: contract.id, scopes: [...categories], ttl: 600, issuedBy: 'dpo-test' }));
});

it('a log write held up past the deadline: REQUEST_TIMEOUT, no value, no entry', async () => {
  const holder = new PgClient({ connectionString: world.db.url });
  await holder.connect();
  try {
    await holdChain(holder, chain);
    const response = await world.gql(QUERY, {}, token);
    expect(response.status).toBe(503);
    expect(codes(response)).toEqual(['REQUEST_TIMEOUT']);
    expect(canary.values.filter((v) => JSON.stringify(response.body).includes(v))).toEqual([]);
    await releaseChain(holder, chain);
    // Queued after any write still waiting, this returns once that transaction has ended.
    await holdChain(holder, chain);
    await releaseChain(holder, chain);
    expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
  } finally {
    await holder.end();
  }
  expect(await logRows(world.em())).toEqual([]);
});

it('the log transaction takes the smaller of its own timeouts (lock 5 s, statement 10 s) and REQUEST_TIMEOUT_MS', () => {
  expect(logTimeouts({ requestTimeoutMs: 500 })).toEqual({ lockTimeoutMs: 500, statementTimeoutMs: 500 });
  expect(logTimeouts({ requestTimeoutMs: 7000 })).toEqual({ lockTimeoutMs: 5000, statementTimeoutMs: 7000 });
  expect(logTimeouts({ requestTimeoutMs: 60_000 })).toEqual({ lockTimeoutMs: 5000, statementTimeoutMs: 10_000 });
});

it('the log write waits no longer than REQUEST_TIMEOUT_MS: it gives up while its chain\'s lock is still held', async () => {
  const holder = new PgClient({ connectionString: world.db.url });
  await holder.connect();
  const waiting = () => chainWaiters(holder, chain);
  try {
    await holdChain(holder, chain);
    // Watched while the request runs: the write must really have queued behind the lock.
    const watcher = new PgClient({ connectionString: world.db.url });
    await watcher.connect();
    let inFlight = true;
    let seenWaiting = 0;
    const watching = (async () => {
      while (inFlight) {
        seenWaiting = Math.max(seenWaiting, await chainWaiters(watcher, chain));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const response = await world.gql(QUERY, {}, token);
    inFlight = false;
    await watching;
    await watcher.end();
    expect(codes(response)).toEqual(['REQUEST_TIMEOUT']);
    expect(seenWaiting).toBe(1);
    // Its own 5 s and 10 s timeouts would keep it queued past this loop (2 s); the 500 ms deadline does not.
    let polls = 0;
    while ((await waiting()) > 0 && polls < 40) {
      polls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await waiting()).toBe(0);
  } finally {
    await releaseChain(holder, chain);
    await holder.end();
  }
  expect(await logRows(world.em())).toEqual([]);
});

it('within the deadline the same request is served and logged, and the chain is intact', async () => {
  const response = await world.gql(QUERY, {}, token);
  expect(response.body.errors).toBeUndefined();
  expect(JSON.stringify(response.body)).toContain(canary.client.phones[0]!);
  expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toHaveLength(1);
  expect(await verifyChains(world.em())).toMatchObject({ ok: true, entries: 1, chains: [{ chain, entries: 1 }] });
});
