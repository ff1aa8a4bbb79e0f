/** Partner and authority set-up through the DPO's own mutations, and readers of the disclosure log. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { iinCheckDigit } from '../../src/kz/identifiers';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES, type ConsentOperation, type ConsentPurpose, type PiiCategory } from '../../src/privacy/categories';
import { CHAIN_LOCK, chainLockKey } from '../../src/disclosure/chain';
import type { LogRow } from '../../src/disclosure/disclosure-log';
import type { Canary } from './canaries';
import type { GraphQLResponse, TestServer } from './server';

let serial = 0;

/** A valid BIN (registered 2018-04, a legal entity), unique per call. */
function uniqueBin(): string {
  for (let bump = 0; bump < 1000; bump++) {
    serial += 1;
    const first11 = `18044${String((serial * 7919 + Math.floor(Math.random() * 1_000_000)) % 1_000_000).padStart(6, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no BIN found');
}

export async function dpoToken(server: TestServer): Promise<string> {
  return server.token({ sub: 'dpo-test', role: 'dpo' });
}

export async function gqlOk<T = any>(server: TestServer, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await server.gql(query, variables, token);
  if (response.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data as T;
}

export interface PartnerSetup {
  readonly partnerId: string;
  readonly contractId: string;
}

export async function registerPartnerWithContract(
  server: TestServer,
  dpo: string,
  categories: PiiCategory[],
  period: { validFrom: string; validTo: string } = { validFrom: '2020-01-01', validTo: '2099-12-31' },
): Promise<PartnerSetup> {
  const { registerPartner } = await gqlOk(server, `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
    { input: { name: `Courier ${randomUUID().slice(0, 8)}`, bin: uniqueBin() } }, dpo);
  const { registerContract } = await gqlOk(server, `mutation($input: RegisterContractInput!) { registerContract(input: $input) { id inForce } }`, {
    input: { partnerId: registerPartner.id, number: `AG-${randomUUID().slice(0, 6)}`, ...period, categories, purposes: ['CONTRACT_PERFORMANCE', 'THIRD_PARTY_OBLIGATIONS'] },
  }, dpo);
  return { partnerId: registerPartner.id, contractId: registerContract.id };
}

export async function issuePartnerToken(server: TestServer, dpo: string, contractId: string, scopes: PiiCategory[], ttl = 600): Promise<{ token: string; tokenId: string }> {
  const { issuePartnerToken: issued } = await gqlOk(server, `mutation($c: ID!, $s: [PiiCategory!]!, $ttl: Int!) { issuePartnerToken(contractId: $c, scopes: $s, ttl: $ttl) { token tokenId scope expiresAt } }`,
    { c: contractId, s: scopes, ttl }, dpo);
  return issued;
}

export async function assignOrder(em: EntityManager, canary: Canary, partnerId: string): Promise<void> {
  await em.getConnection().execute('update client_order set partner_id = ? where id = ?', [partnerId, canary.order.id]);
}

/** Appends a later consent record with these operations and purposes (the current state then). */
async function laterConsent(em: EntityManager, canary: Canary, operations: ConsentOperation[], purposes: ConsentPurpose[]): Promise<void> {
  em.create(Consent, {
    client: canary.client,
    kind: ConsentEventKind.PURPOSES_NARROWED,
    status: 'ACTIVE',
    policyVersion: 'test',
    policyTextHash: 'test',
    operations,
    purposes,
    recordedAt: new Date(Date.now() + 1000),
  });
  await em.flush();
}

const withoutTransfer = () => CONSENT_OPERATIONS.filter((o) => o !== 'TRANSFER_TO_THIRD_PARTIES');

/** A later consent record without P2.6 (obligations to third parties) and without the transfer operation. */
export const narrowConsentWithoutTransfer = (em: EntityManager, canary: Canary): Promise<void> =>
  laterConsent(em, canary, withoutTransfer(), CONSENT_PURPOSES.filter((p) => p !== 'THIRD_PARTY_OBLIGATIONS'));

/** A later consent record that keeps every purpose, P2.6 included, but not the operation of transfer to third parties. */
export const withdrawTransferOperationOnly = (em: EntityManager, canary: Canary): Promise<void> =>
  laterConsent(em, canary, withoutTransfer(), [...CONSENT_PURPOSES]);

export type { LogRow };

export async function logRows(em: EntityManager, where = 'true', params: unknown[] = []): Promise<LogRow[]> {
  return em.getConnection().execute(`select * from disclosure_log where ${where} order by seq`, params);
}

/** A partner's chain, as the log names it. */
export const partnerChain = (partnerId: string): string => `partner:${partnerId}`;

export const requestIdHeader = () => {
  const id = `req-${randomUUID()}`;
  return { id, headers: { 'x-request-id': id } };
};

/** The id the server gave the request (its response header), which is what the log records. */
export function requestIdOf(response: GraphQLResponse): string {
  const id = response.headers.get('x-request-id');
  if (!id) throw new Error('the response names no request id');
  return id;
}

/**
 * Counts INSERT statements into the log, with the rows each added: a statement-level trigger
 * with a transition table, so "one batch" is observed in the database, not inferred.
 */
export async function installInsertCounter(em: EntityManager): Promise<() => Promise<number[]>> {
  const connection = em.getConnection();
  await connection.execute(`create table test_log_inserts (id serial primary key, added int not null)`);
  await connection.execute(`create function test_count_log_insert() returns trigger language plpgsql as $$
    begin insert into test_log_inserts (added) select count(*) from added; return null; end $$`);
  await connection.execute(`create trigger test_count_log_insert after insert on disclosure_log referencing new table as added
    for each statement execute function test_count_log_insert()`);
  let seen = 0;
  /** The INSERT statements since the previous call, as the number of rows each added. */
  return async () => {
    const rows: Array<{ id: number; added: number }> = await connection.execute(`select id, added from test_log_inserts where id > ? order by id`, [seen]);
    if (rows.length) seen = rows[rows.length - 1]!.id;
    return rows.map((r) => r.added);
  };
}

/** Runs SQL as the superuser on a test database, the log's triggers disabled around it (tampering). */
export async function behindTheTriggers(server: TestServer, sql: string): Promise<void> {
  const pg = new PgClient({ connectionString: server.db.url });
  await pg.connect();
  try {
    await pg.query('alter table disclosure_log disable trigger user');
    await pg.query(sql);
  } finally {
    await pg.query('alter table disclosure_log enable trigger user');
    await pg.end();
  }
}

/** The two keys of a chain's advisory lock, as pg_locks shows them (classid, objid: unsigned). */
const lockOf = (chain: string): [number, number] => [CHAIN_LOCK, chainLockKey(chain) >>> 0];

/**
 * How many requests of this database wait for a chain's lock (suites running alongside take the
 * same locks in theirs, so only this database counts).
 */
export async function chainWaiters(pg: PgClient, chain: string): Promise<number> {
  const { rows } = await pg.query(
    `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = $1::bigint::oid and objid = $2::bigint::oid and objsubid = 2
        and not granted and database = (select oid from pg_database where datname = current_database())`,
    lockOf(chain),
  );
  return rows[0].n;
}

/** Takes a chain's lock on this session, as an append does in its transaction: that chain's writes queue behind it. */
export async function holdChain(pg: PgClient, chain: string): Promise<void> {
  await pg.query('select pg_advisory_lock($1, $2)', [CHAIN_LOCK, chainLockKey(chain)]);
}

export async function releaseChain(pg: PgClient, chain: string): Promise<void> {
  await pg.query('select pg_advisory_unlock($1, $2)', [CHAIN_LOCK, chainLockKey(chain)]);
}

/** Polls until `count` requests wait for the chain's lock, or fails. */
export async function untilWaiting(pg: PgClient, chain: string, count = 1): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if ((await chainWaiters(pg, chain)) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${count} request(s) came to wait for chain ${chain}`);
}
