/**
 * The log's append locks, re-checks and reads its heads in one database call
 * (`lock_disclosure_chains`) and inserts the hashed batch with one bound parameter: what it stores
 * verifies whatever its text; the function takes chain.ts's locks, re-checks the grant by the
 * shared contract rule, and fails closed when it cannot take its lock in time.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { RecipientRef } from '../../src/disclosure/batch';
import { chainLockKey } from '../../src/disclosure/chain';
import { RecipientKind, type DisclosedField } from '../../src/disclosure/disclosure.entity';
import { appendDisclosures, entryOf, verifyChains } from '../../src/disclosure/disclosure-log';
import { partnerRecipients } from '../../src/disclosure/recipients/partner';
import { registerContract, registerPartner } from '../../src/partners/partner.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { holdChain, logRows, releaseChain } from '../support/disclosure';
import { testConfig } from '../support/server';

let db: TestDatabase;
const em = (): EntityManager => db.orm.em.fork();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Every kind of text JSON escapes, or that UTF-8 cannot hold (a lone surrogate). */
const AWKWARD = [
  'quote " backslash \\ slash /',
  'controls \b\f\n\r\t \u0001\u001f and DEL \u007f',
  'Қазақстан, Алматы',
  'emoji 🏦 and line separator \u2028',
  'lone surrogate \ud800 here',
  '',
];

const subjectRecipient = (actor: string): RecipientRef => ({
  kind: RecipientKind.SUBJECT, label: 'the data subject (access export)', partnerId: null, contractId: null, lawfulRequestId: null,
  tokenId: null, actor, purpose: 'SUBJECT_ACCESS', legalBasis: "the subject's right of access",
});

const facts = (requestId: string) => ({ operationName: 'Op "x"\n', queryHash: null, requestId });
const LIMITS = { requestTimeoutMs: 10_000 };

it('what the append stores, for any text and several entries and chains in one call, is what it returns, and verifies', async () => {
  const fields: DisclosedField[] = AWKWARD.map((path) => ({ path, category: 'PHONE', access: 'MASKED' }));
  const other: RecipientRef = {
    kind: RecipientKind.OTHER, label: AWKWARD.join(' | '), partnerId: null, contractId: null, lawfulRequestId: null, tokenId: null,
    actor: AWKWARD[2]!, purpose: AWKWARD[0]!, legalBasis: AWKWARD[1]!,
  };
  const [one, two] = [randomUUID(), randomUUID()];
  const written = await appendDisclosures(em(), [
    { recipient: other, subjectId: one, fields },
    { recipient: subjectRecipient(AWKWARD[3]!), subjectId: one, fields: [] },
    { recipient: other, subjectId: two, fields: fields.slice(0, 2) },
    { recipient: subjectRecipient(AWKWARD[4]!), subjectId: two, fields: [{ path: AWKWARD[4]!, category: 'FULL_NAME', access: 'FULL' }] },
  ], facts('batch'), { ...LIMITS, at: new Date('2026-12-06T11:22:33.045Z') });
  // A second call extends the chains from the heads the first left.
  await appendDisclosures(em(), [{ recipient: other, subjectId: one, fields: [] }], facts('batch-2'), LIMITS);

  const rows = await logRows(em());
  expect(rows.map((r) => [r.chain, Number(r.chain_seq), r.request_id]).sort()).toEqual([
    ['other', 1, 'batch'], ['other', 2, 'batch'], ['other', 3, 'batch-2'], [`subject:${one}`, 1, 'batch'], [`subject:${two}`, 1, 'batch'],
  ].sort());
  expect(rows.find((r) => r.chain === 'other' && r.chain_seq === '2')!.subject_id).toBe(two);
  // What the append returns is what was stored: the lone surrogate as U+FFFD, the time as given.
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
  expect([...written].sort(byId)).toEqual(rows.filter((r) => r.request_id === 'batch').map(entryOf).sort(byId));
  expect(written.find((w) => w.chain === `subject:${two}`)!.actor).toBe('lone surrogate \ufffd here');
  expect(written[0]!.at.toISOString()).toBe('2026-12-06T11:22:33.045Z');
  expect(await verifyChains(em())).toMatchObject({ ok: true, entries: 5 });
});

it("the database's lock key of a chain is chain.ts's chainLockKey", async () => {
  const chains = ['other', 'legacy', `partner:${randomUUID()}`, `lawful-request:${randomUUID()}`, 'Қазақстан 🏦'];
  const pg = new PgClient({ connectionString: db.url });
  await pg.connect();
  try {
    const { rows } = await pg.query(`select disclosure_chain_lock_key(c) as key from unnest($1::text[]) with ordinality as x(c, n) order by n`, [chains]);
    expect(rows.map((r: { key: number }) => r.key)).toEqual(chains.map(chainLockKey));
  } finally {
    await pg.end();
  }
});

it('fails closed when its chain stays locked past its lock timeout: the append throws and writes nothing', async () => {
  const subjectId = randomUUID();
  const chain = `subject:${subjectId}`;
  const holder = new PgClient({ connectionString: db.url });
  await holder.connect();
  try {
    await holdChain(holder, chain);
    const started = Date.now();
    const append = appendDisclosures(em(), [{ recipient: subjectRecipient('s'), subjectId, fields: [] }], facts('locked-out'), { requestTimeoutMs: 300 });
    await expect(append).rejects.toMatchObject({ code: '55P03' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await logRows(em(), 'request_id = ?', ['locked-out'])).toEqual([]);
  } finally {
    await releaseChain(holder, chain);
    await holder.end();
  }
  const [entry] = await appendDisclosures(em(), [{ recipient: subjectRecipient('s'), subjectId, fields: [] }], facts('after-release'), LIMITS);
  expect([entry!.chain, entry!.chainSeq]).toEqual([chain, 1]);
});

describe("the grant re-checked in the append, by the shared contract rule (contract_in_force)", () => {
  async function partner(purposes: Array<'CONTRACT_PERFORMANCE' | 'THIRD_PARTY_OBLIGATIONS'>, validTo = '2099-12-31'): Promise<RecipientRef> {
    const config = testConfig(db.url);
    const registered = await registerPartner(em(), { name: 'Courier', bin: '180440000009' }).catch(async () => {
      const [row]: Array<{ id: string }> = await em().getConnection().execute(`select id from partner where bin = '180440000009'`);
      return row!;
    });
    const contract = await registerContract(em(), {
      partnerId: registered.id, number: `AG-${randomUUID().slice(0, 6)}`, validFrom: '2020-01-01', validTo, categories: ['PHONE'], purposes,
    });
    const { tokenId } = await partnerRecipients.issueToken(em(), config.jwt, { grantId: contract.id, scopes: ['PHONE'], ttl: 600, issuedBy: 'dpo-test' });
    return {
      kind: RecipientKind.PARTNER, label: 'Courier, contract AG', partnerId: registered.id, contractId: contract.id, lawfulRequestId: null, tokenId,
      actor: `partner:${registered.id}`, purpose: 'THIRD_PARTY_OBLIGATIONS', legalBasis: 'P5.1',
    };
  }
  const appendFor = (recipient: RecipientRef, requestId: string) =>
    appendDisclosures(em(), [{ recipient, subjectId: randomUUID(), fields: [{ path: 'partnerOrders.edges.0.node.contactPhone', category: 'PHONE', access: 'FULL' }] }], facts(requestId), LIMITS);
  const unauthenticated = (error: unknown) => error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED';

  it('a grant in force is logged', async () => {
    expect(await appendFor(await partner(['THIRD_PARTY_OBLIGATIONS']), 'in-force')).toHaveLength(1);
  });

  it('a revoked token, or a contract that does not name the partner purpose: UNAUTHENTICATED, nothing written', async () => {
    const revoked = await partner(['CONTRACT_PERFORMANCE', 'THIRD_PARTY_OBLIGATIONS']);
    await em().getConnection().execute('update partner_token set revoked_at = now() where jti = ?', [revoked.tokenId]);
    const withoutPurpose = await partner(['THIRD_PARTY_OBLIGATIONS']);
    await em().getConnection().execute(`update contract set purposes = '{CONTRACT_PERFORMANCE}' where id = ?`, [withoutPurpose.contractId]);
    const ended = await partner(['THIRD_PARTY_OBLIGATIONS']);
    await em().getConnection().execute(`update contract set valid_to = '2021-01-01' where id = ?`, [ended.contractId]);
    for (const [recipient, requestId] of [[revoked, 'revoked'], [withoutPurpose, 'without-purpose'], [ended, 'ended']] as const) {
      const error = await appendFor(recipient, requestId).catch((e: unknown) => e);
      expect(unauthenticated(error)).toBe(true);
      expect(await logRows(em(), 'request_id = ?', [requestId])).toEqual([]);
    }
  });
});
