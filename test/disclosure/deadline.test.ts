/**
 * The request deadline and the log: when the deadline has answered REQUEST_TIMEOUT, the data never
 * left, so no entry may claim it did, even if the log write was already waiting its turn.
 */
import { Client as PgClient } from 'pg';
import { verifyChain } from '../../src/disclosure/disclosure-log';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes, startTestServer, type TestServer } from '../support/harness';
import { assignOrder, dpoToken, issuePartnerToken, logRows, registerPartnerWithContract, requestIdOf } from './support';

const QUERY = `{ partnerOrders(first: 10) { edges { node { contactPhone client { fullName phones } } } } }`;
/** The advisory lock that serialises appends to the chain (src/disclosure/disclosure-log.ts). */
const CHAIN_LOCK = 0x6b7a7064;

let server: TestServer;
let canary: Canary;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ env: { REQUEST_TIMEOUT_MS: '500' } });
  const dpo = await dpoToken(server);
  const partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  canary = await createCanaryClient(server.db.orm.em.fork(), 'ACTIVE');
  await assignOrder(server.db.orm.em.fork(), canary, partner.partnerId);
  ({ token } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']));
});
afterAll(() => server.close());

it('a log write held up past the deadline: REQUEST_TIMEOUT, no value, and no entry once the write gets its turn', async () => {
  const holder = new PgClient({ connectionString: server.db.url });
  await holder.connect();
  try {
    await holder.query('select pg_advisory_lock($1)', [CHAIN_LOCK]);
    const response = await server.gql(QUERY, {}, token);
    expect(response.status).toBe(503);
    expect(codes(response)).toEqual(['REQUEST_TIMEOUT']);
    expect(canary.values.filter((v) => JSON.stringify(response.body).includes(v))).toEqual([]);
    // The write is queued behind the lock, not abandoned: it will get its turn.
    const waiting = await holder.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted
          and database = (select oid from pg_database where datname = current_database())`,
      [CHAIN_LOCK],
    );
    expect(waiting.rows[0].n).toBe(1);
    await holder.query('select pg_advisory_unlock($1)', [CHAIN_LOCK]);
    // Queued after the write, this returns once its transaction has ended: the deadline refused the commit.
    await holder.query('select pg_advisory_lock($1)', [CHAIN_LOCK]);
    await holder.query('select pg_advisory_unlock($1)', [CHAIN_LOCK]);
    expect(await logRows(server.db.orm.em.fork(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
  } finally {
    await holder.end();
  }
  expect(await logRows(server.db.orm.em.fork())).toEqual([]);
});

it('within the deadline the same request is served and logged, and the chain is intact', async () => {
  const response = await server.gql(QUERY, {}, token);
  expect(response.body.errors).toBeUndefined();
  expect(JSON.stringify(response.body)).toContain(canary.client.phones[0]!);
  expect(await logRows(server.db.orm.em.fork(), 'request_id = ?', [requestIdOf(response)])).toHaveLength(1);
  expect(await verifyChain(server.db.orm.em.fork())).toMatchObject({ ok: true, entries: 1 });
});
