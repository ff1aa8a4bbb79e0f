/**
 * `npm run audit:verify`: every chain is verified and its head printed; what the hash does not
 * cover is refused; and heads kept elsewhere catch the newest entries of a chain being cut off, or
 * a whole chain removed. The CLI's function runs here on the test database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { auditVerify, EXIT } from '../../src/cli/audit-verify';
import { verifyChains } from '../../src/disclosure/disclosure-log';
import { createCanaryClient } from '../support/canaries';
import { assignOrder, behindTheTriggers, dpoToken, issuePartnerToken, logRows, partnerChain, registerPartnerWithContract } from '../support/disclosure';
import { useWorld } from '../support/world';

const QUERY = `{ partnerOrders(first: 20) { edges { node { contactPhone client { fullName phones } } } } }`;

const world = useWorld();
let dir: string;
/** A: three requests of two entries each (positions 1 to 6); B: two requests of one entry. Sorted by name, as printed. */
let chains: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kzpay-heads-'));
  const dpo = await dpoToken(world);
  const em = world.em();
  const named: Array<[string, number]> = [];
  for (const [served, requests] of [[2, 3], [1, 2]] as const) {
    const partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
    for (let i = 0; i < served; i++) await assignOrder(em, await createCanaryClient(em, 'ACTIVE'), partner.partnerId);
    const { token } = await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
    for (let i = 0; i < requests; i++) expect((await world.gql(QUERY, {}, token)).body.errors).toBeUndefined();
    named.push([partnerChain(partner.partnerId), served * requests]);
  }
  chains = named.map(([chain]) => chain);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [A, B] = [() => chains[0]!, () => chains[1]!];
const chainRows = (chain: string) => logRows(world.em(), 'chain = ?', [chain]);
/** Lines as printed, chains in name order. */
const sorted = (lines: string[]) => [...lines].sort((x, y) => (x < y ? -1 : 1));

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditVerify(world.em(), args, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

describe('the CLI verification', () => {
  it('an intact log exits 0 and prints each chain\'s head as <chain>=<seq>:<hash>; those heads, passed back, verify', async () => {
    const [a, b] = [await chainRows(A()), await chainRows(B())];
    expect([a.length, b.length]).toEqual([6, 2]);
    const heads = { [A()]: `${A()}=6:${a[5]!.hash}`, [B()]: `${B()}=2:${b[1]!.hash}` };
    const result = await run();
    expect(result).toEqual({
      code: EXIT.INTACT,
      out: ['disclosure log intact: 8 entries in 2 chains', ...sorted([`head ${heads[A()]} (6 entries)`, `head ${heads[B()]} (2 entries)`])],
      err: [],
    });
    expect(await run('--expect-head', heads[A()]!, '--expect-head', heads[B()]!)).toMatchObject({
      code: 0,
      out: ['disclosure log intact: 8 entries in 2 chains', ...sorted([`head ${heads[A()]} (6 entries, reaching the expected head 6)`, `head ${heads[B()]} (2 entries, reaching the expected head 2)`])],
    });
    // The printed output, kept as a file, is the heads file.
    const file = join(dir, 'heads.txt');
    writeFileSync(file, `> npm's own banner line\n${result.out.join('\n')}\n`);
    expect((await run('--expect-heads', file)).code).toBe(EXIT.INTACT);
    // An older head also verifies: the chain has grown past it; a chain given no head is verified all the same.
    expect(await run('--expect-head', `${A()}=4:${a[3]!.hash}`)).toMatchObject({ code: 0, out: expect.arrayContaining([`head ${heads[A()]} (6 entries, reaching the expected head 4)`]) });
  });

  it('a head whose hash differs at its position exits 1 and names the chain and the entry; the other chain\'s head is still printed', async () => {
    const [a, b] = [await chainRows(A()), await chainRows(B())];
    const result = await run('--expect-head', `${A()}=5:${a[3]!.hash}`);
    expect(result.code).toBe(EXIT.BROKEN);
    expect(result.err).toEqual([
      'disclosure log BROKEN: 1 of 2 chains',
      `chain ${A()} BROKEN at entry 5 id=${a[4]!.id}: hash is not the expected head's hash (4 entries before it verified)`,
    ]);
    expect(result.out).toEqual([`head ${B()}=2:${b[1]!.hash} (2 entries)`]);
  });

  it('bad arguments exit 2 without verifying anything', async () => {
    const hash = 'a'.repeat(64);
    const noHeads = join(dir, 'no-heads.txt');
    writeFileSync(noHeads, 'disclosure log intact: 0 entries in 0 chains\n');
    for (const args of [
      ['--expect-head', '6'], ['--expect-head', `${A()}=6:xyz`], ['--expect-head', `-1:${hash}`], ['--expect-head', `Partner:x=1:${hash}`],
      ['--expect-head', `${A()}=1:${hash}`, '--expect-head', `${A()}=2:${hash}`], ['--head', '1'],
      ['--expect-heads', join(dir, 'missing.txt')], ['--expect-heads', noHeads],
    ]) {
      const result = await run(...args);
      expect(result.code).toBe(EXIT.NOT_RUN);
      expect(result.out).toEqual([]);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(/^audit:verify could not run: /);
    }
  });

  it('a database it cannot read exits 2', async () => {
    const pg = new PgClient({ connectionString: world.db.url });
    await pg.connect();
    try {
      await pg.query('alter table disclosure_log rename to disclosure_log_away');
      const result = await run();
      expect(result.code).toBe(EXIT.NOT_RUN);
      expect(result.err[0]).toMatch(/^audit:verify could not run: .*disclosure_log/);
    } finally {
      await pg.query('alter table disclosure_log_away rename to disclosure_log');
      await pg.end();
    }
  });
});

const VERIFY = `query($heads: [String!]) {
  verifyDisclosureLog(expectHeads: $heads) { intact entries verifiedAt chains { chain intact entries head expectedSeq brokenAtSeq brokenAtId reason } }
}`;

describe("the DPO's verification through the API (verifyDisclosureLog)", () => {
  const verify = async (heads?: string[]) => (await world.gql(VERIFY, heads ? { heads } : {}, await dpoToken(world))).body;

  it('runs the check of the CLI and returns the same heads, which verify when passed back', async () => {
    const cli = await run();
    const { verifyDisclosureLog } = (await verify()).data!;
    expect(verifyDisclosureLog).toMatchObject({ intact: true, entries: 8 });
    const heads = verifyDisclosureLog.chains.map((c: { head: string }) => c.head);
    expect(cli.out.slice(1).map((line) => line.split(' ')[1])).toEqual(heads);
    expect(verifyDisclosureLog.chains.map((c: Record<string, unknown>) => [c.chain, c.intact, c.brokenAtSeq, c.reason])).toEqual([A(), B()].sort().map((chain) => [chain, true, null, null]));
    const again = (await verify(heads)).data!.verifyDisclosureLog;
    expect(again.intact).toBe(true);
    expect(again.chains.map((c: { expectedSeq: number }) => c.expectedSeq)).toEqual(verifyDisclosureLog.chains.map((c: { entries: number }) => c.entries));
  });

  it('names the chain and its first broken link; a head whose hash differs breaks there', async () => {
    const a = await chainRows(A());
    const wrongHead = (await verify([`${A()}=5:${a[3]!.hash}`])).data!.verifyDisclosureLog;
    expect(wrongHead.intact).toBe(false);
    expect(wrongHead.chains.find((c: { chain: string }) => c.chain === A())).toMatchObject({
      intact: false, entries: 4, head: null, expectedSeq: 5, brokenAtSeq: 5, brokenAtId: a[4]!.id, reason: "hash is not the expected head's hash",
    });
    expect(wrongHead.chains.find((c: { chain: string }) => c.chain === B())).toMatchObject({ intact: true, entries: 2 });
    await behindTheTriggers(world, `update disclosure_log set purpose = 'MARKETING' where seq = ${a[2]!.seq}`);
    try {
      const tampered = (await verify()).data!.verifyDisclosureLog;
      expect(tampered.chains.find((c: { chain: string }) => c.chain === A())).toMatchObject({ intact: false, entries: 2, brokenAtSeq: 3, brokenAtId: a[2]!.id, reason: "hash does not match the entry's content" });
    } finally {
      await behindTheTriggers(world, `update disclosure_log set purpose = '${a[2]!.purpose}' where seq = ${a[2]!.seq}`);
    }
    expect((await verify()).data!.verifyDisclosureLog.intact).toBe(true);
  });

  it('a head that is not <chain>=<seq>:<hash>, or two for one chain, is BAD_USER_INPUT naming expectHeads, quoting nothing', async () => {
    const hash = 'b'.repeat(64);
    for (const heads of [['6:xyz'], [`${A()}=1:${hash}`, `${A()}=2:${hash}`]]) {
      const body = await verify(heads);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expectHeads' });
      expect(JSON.stringify(body.errors)).not.toContain(A());
    }
  });
});

describe('tampering the chains alone cannot show', () => {
  it('a value smuggled into an entry\'s fields (outside the hashed path, category, access) is refused', async () => {
    const [, row] = await chainRows(A());
    const original = JSON.stringify(row!.fields);
    const smuggled = JSON.stringify(row!.fields.map((f, i) => (i === 0 ? { ...f, value: '+77011234567' } : f)));
    await behindTheTriggers(world, `update disclosure_log set fields = '${smuggled}'::jsonb where seq = ${row!.seq}`);
    try {
      expect((await verifyChains(world.em())).chains.find((c) => c.chain === A())).toMatchObject({
        entries: 1,
        brokenAt: { seq: 2, id: row!.id, reason: 'fields[0] has keys other than path, category and access: content outside the hash' },
      });
      const cli = await run();
      expect(cli.code).toBe(EXIT.BROKEN);
      expect(cli.err.join('\n')).not.toContain('+77011234567');
    } finally {
      await behindTheTriggers(world, `update disclosure_log set fields = '${original}'::jsonb where seq = ${row!.seq}`);
    }
    expect(await verifyChains(world.em())).toMatchObject({ ok: true, entries: 8 });
  });

  it('the newest entries of a chain cut off: the chain alone still verifies, the head kept elsewhere does not', async () => {
    const a = await chainRows(A());
    const head = `${A()}=6:${a[5]!.hash}`;
    await behindTheTriggers(world, `delete from disclosure_log where chain = '${A()}' and chain_seq > 4`);
    expect((await run()).code).toBe(EXIT.INTACT);
    expect(await run('--expect-head', head)).toMatchObject({
      code: EXIT.BROKEN,
      err: ['disclosure log BROKEN: 1 of 2 chains', `chain ${A()} BROKEN at entry 6 id=?: the chain ends at entry 4, before the expected head: newer entries were removed (4 entries before it verified)`],
    });
  });

  it('a whole chain removed: the others still verify, the head kept elsewhere names the missing chain', async () => {
    const b = await chainRows(B());
    const head = `${B()}=2:${b[1]!.hash}`;
    await behindTheTriggers(world, `delete from disclosure_log where chain = '${B()}'`);
    expect(await run()).toMatchObject({ code: EXIT.INTACT, out: ['disclosure log intact: 4 entries in 1 chain', expect.stringMatching(`^head ${A()}=4:`)] });
    expect(await run('--expect-head', head)).toMatchObject({
      code: EXIT.BROKEN,
      err: ['disclosure log BROKEN: 1 of 2 chains', `chain ${B()} BROKEN at entry 2 id=?: the log has no entry of this chain, which the expected head names: the chain was removed (0 entries before it verified)`],
    });
  });
});
