/**
 * The log is one hash chain per recipient: concurrent requests extend each chain linearly, and a
 * row changed or removed behind the triggers' back (superuser, triggers disabled) is named by the
 * verification, in its own chain, while the other chains still verify.
 */
import { entryHash } from '../../src/disclosure/chain';
import { entryOf, verifyChains, type ChainReport } from '../../src/disclosure/disclosure-log';
import { createCanaryClient } from '../support/canaries';
import { assignOrder, behindTheTriggers, dpoToken, issuePartnerToken, logRows, partnerChain, registerPartnerWithContract } from '../support/disclosure';
import { useWorld } from '../support/world';

const QUERY = `{ partnerOrders(first: 20) { edges { node { contactPhone client { fullName phones } } } } }`;

const world = useWorld();
/** Partner A serves three clients (three entries a request), partner B two. */
const partners: Array<{ chain: string; token: string; served: number }> = [];

beforeAll(async () => {
  const dpo = await dpoToken(world);
  const em = world.em();
  for (const served of [3, 2]) {
    const partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
    for (let i = 0; i < served; i++) await assignOrder(em, await createCanaryClient(em, 'ACTIVE'), partner.partnerId);
    const { token } = await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
    partners.push({ chain: partnerChain(partner.partnerId), token, served });
  }
});

const chainA = () => partners[0]!.chain;
const chainB = () => partners[1]!.chain;
const reportOf = (chains: readonly ChainReport[], chain: string) => chains.find((c) => c.chain === chain);

it('20 concurrent requests of two partners: each partner\'s chain is linear and valid, and the log\'s order runs across both', async () => {
  const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => world.gql(QUERY, {}, partners[i % 2]!.token)));
  for (const r of responses) expect(r.body.errors).toBeUndefined();
  for (const { chain, served } of partners) {
    const rows = await logRows(world.em(), 'chain = ?', [chain]);
    expect(rows).toHaveLength(10 * served);
    expect(rows.map((r) => Number(r.chain_seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(10);
  }
  const all = await logRows(world.em());
  expect(new Set(all.map((r) => r.seq)).size).toBe(50);
  const verdict = await verifyChains(world.em());
  expect(verdict).toMatchObject({ ok: true, entries: 50 });
  expect(reportOf(verdict.chains, chainA())).toMatchObject({ entries: 30, brokenAt: null, head: { seq: 30 } });
  expect(reportOf(verdict.chains, chainB())).toMatchObject({ entries: 20, brokenAt: null, head: { seq: 20 } });
  expect(verdict.chains).toHaveLength(2);
});

it('an entry below its chain (position 0) is refused by the table; slipped in behind its back, verification names it', async () => {
  const columns = `chain, at, recipient_kind, recipient, partner_id, contract_id, lawful_request_id, token_id, actor, subject_id, fields, purpose, legal_basis, operation_name, query_hash, request_id, prev_hash`;
  const insert = `insert into disclosure_log (seq, id, chain_seq, hash, ${columns})
    select nextval('disclosure_log_seq_seq'), gen_random_uuid(), 0, 'forged', ${columns} from disclosure_log where chain = '${chainA()}' and chain_seq = 1`;
  await expect(world.em().getConnection().execute(insert)).rejects.toMatchObject({ code: '23514' });
  await behindTheTriggers(world, `alter table disclosure_log drop constraint disclosure_log_chain_seq_positive; ${insert}`);
  const [forged] = await logRows(world.em(), 'chain_seq = 0');
  const verdict = await verifyChains(world.em());
  expect(verdict.ok).toBe(false);
  expect(reportOf(verdict.chains, chainA())).toMatchObject({ entries: 0, brokenAt: { seq: 0, id: forged!.id, reason: "an entry below the chain's start (position under 1)" } });
  expect(reportOf(verdict.chains, chainB())).toMatchObject({ entries: 20, brokenAt: null });
  await behindTheTriggers(world, 'delete from disclosure_log where chain_seq = 0; alter table disclosure_log add constraint disclosure_log_chain_seq_positive check (chain_seq > 0)');
  expect(await verifyChains(world.em())).toMatchObject({ ok: true, entries: 50 });
});

it('a changed entry is named by its chain and position; the other chain still verifies', async () => {
  const [, second] = await logRows(world.em(), 'chain = ?', [chainA()]);
  await behindTheTriggers(world, `update disclosure_log set purpose = 'MARKETING' where seq = ${second!.seq}`);
  const verdict = await verifyChains(world.em());
  expect(verdict.ok).toBe(false);
  expect(reportOf(verdict.chains, chainA())).toEqual({
    chain: chainA(),
    entries: 1,
    head: { seq: 1, hash: (await logRows(world.em(), 'chain = ? and chain_seq = 1', [chainA()]))[0]!.hash },
    brokenAt: { seq: 2, id: second!.id, reason: "hash does not match the entry's content" },
    expected: null,
  });
  expect(reportOf(verdict.chains, chainB())).toMatchObject({ entries: 20, brokenAt: null });
  await behindTheTriggers(world, `update disclosure_log set purpose = '${second!.purpose}' where seq = ${second!.seq}`);
  expect(await verifyChains(world.em())).toMatchObject({ ok: true });
});

it('an entry moved to another chain is caught: its hash covers its chain', async () => {
  const [row] = await logRows(world.em(), 'chain = ? and chain_seq = 20', [chainB()]);
  await behindTheTriggers(world, `update disclosure_log set chain = '${chainA()}', chain_seq = 31 where seq = ${row!.seq}`);
  const verdict = await verifyChains(world.em());
  expect(reportOf(verdict.chains, chainA())).toMatchObject({ entries: 30, brokenAt: { seq: 31, reason: 'prev_hash is not the hash of the previous entry' } });
  await behindTheTriggers(world, `update disclosure_log set chain = '${chainB()}', chain_seq = 20 where seq = ${row!.seq}`);
  expect(await verifyChains(world.em())).toMatchObject({ ok: true });
});

it('a removed entry is named: the next one of its chain no longer links', async () => {
  await behindTheTriggers(world, `delete from disclosure_log where chain = '${chainA()}' and chain_seq = 7`);
  const verdict = await verifyChains(world.em());
  expect(reportOf(verdict.chains, chainA())).toMatchObject({ entries: 6, brokenAt: { seq: 8, reason: 'entry 7 is missing (next entry is 8)' } });
  expect(reportOf(verdict.chains, chainB())).toMatchObject({ entries: 20, brokenAt: null });
});

it('an entry rewritten with a correctly recomputed hash is still caught: the next entry of its chain no longer links to it', async () => {
  const [row] = await logRows(world.em(), 'chain = ? and chain_seq = 3', [chainB()]);
  const hash = entryHash({ ...entryOf(row!), purpose: 'MARKETING' });
  await behindTheTriggers(world, `update disclosure_log set purpose = 'MARKETING', hash = '${hash}' where seq = ${row!.seq}`);
  const verdict = await verifyChains(world.em());
  expect(reportOf(verdict.chains, chainB())).toMatchObject({ entries: 3, brokenAt: { seq: 4, reason: 'prev_hash is not the hash of the previous entry' } });
});
