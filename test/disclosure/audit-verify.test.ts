/**
 * `npm run audit:verify`: what the hash does not cover is refused, and a head kept elsewhere
 * catches the newest entries being cut off. The CLI's function runs here on the test database.
 */
import { Client as PgClient } from 'pg';
import { auditVerify, EXIT } from '../../src/cli/audit-verify';
import { verifyChain } from '../../src/disclosure/disclosure-log';
import { createCanaryClient } from '../support/canaries';
import { startTestServer, type TestServer } from '../support/harness';
import { assignOrder, behindTheTriggers, dpoToken, issuePartnerToken, logRows, registerPartnerWithContract } from './support';

const QUERY = `{ partnerOrders(first: 20) { edges { node { contactPhone client { fullName phones } } } } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const dpo = await dpoToken(server);
  const partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  const em = server.db.orm.em.fork();
  for (let i = 0; i < 2; i++) await assignOrder(em, await createCanaryClient(em, 'ACTIVE'), partner.partnerId);
  const { token } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  // Three requests of two entries each: seq 1 to 6.
  for (let i = 0; i < 3; i++) expect((await server.gql(QUERY, {}, token)).body.errors).toBeUndefined();
});
afterAll(() => server.close());

const em = () => server.db.orm.em.fork();


async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditVerify(em(), args, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

describe('the CLI verification', () => {
  it('an intact log exits 0 and prints the head as <seq>:<hash>; that head, passed back, verifies', async () => {
    const rows = await logRows(em());
    expect(rows).toHaveLength(6);
    const head = `6:${rows[5]!.hash}`;
    expect(await run()).toEqual({ code: EXIT.INTACT, out: [`disclosure log intact: 6 entries, head ${head}`], err: [] });
    expect(await run('--expect-head', head)).toMatchObject({ code: 0, out: [`disclosure log intact: 6 entries, head ${head}, reaching the expected head 6`] });
    // An older head also verifies: the chain has grown past it.
    expect((await run('--expect-head', `4:${rows[3]!.hash}`)).code).toBe(0);
  });

  it('a head whose hash differs at its seq exits 1 and names the entry', async () => {
    const rows = await logRows(em());
    const result = await run('--expect-head', `5:${rows[3]!.hash}`);
    expect(result.code).toBe(EXIT.BROKEN);
    expect(result.err).toEqual([`disclosure log BROKEN at entry seq=5 id=${rows[4]!.id}: hash is not the expected head's hash (4 entries before it verified)`]);
  });

  it('bad arguments exit 2 without verifying anything', async () => {
    for (const args of [['--expect-head', '6'], ['--expect-head', '6:xyz'], ['--expect-head', `-1:${'a'.repeat(64)}`], ['--head', '1']]) {
      const result = await run(...args);
      expect(result.code).toBe(EXIT.NOT_RUN);
      expect(result.out).toEqual([]);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(/^audit:verify could not run: /);
    }
  });

  it('a database it cannot read exits 2', async () => {
    const pg = new PgClient({ connectionString: server.db.url });
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

const VERIFY = `query($head: String) { verifyDisclosureLog(expectHead: $head) { intact entries head brokenAtSeq brokenAtId reason verifiedAt } }`;

describe("the DPO's verification through the API (verifyDisclosureLog)", () => {
  it('runs the check of the CLI and returns the same head, which verifies when passed back', async () => {
    const dpo = await dpoToken(server);
    const cli = await run();
    const { verifyDisclosureLog } = (await server.gql(VERIFY, {}, dpo)).body.data!;
    expect(verifyDisclosureLog).toMatchObject({ intact: true, entries: 6, brokenAtSeq: null, brokenAtId: null, reason: null });
    expect(cli.out[0]).toBe(`disclosure log intact: 6 entries, head ${verifyDisclosureLog.head}`);
    expect((await server.gql(VERIFY, { head: verifyDisclosureLog.head }, dpo)).body.data!.verifyDisclosureLog.intact).toBe(true);
  });

  it('names the first broken link, and a head whose hash differs breaks there', async () => {
    const dpo = await dpoToken(server);
    const rows = await logRows(em());
    const wrongHead = await server.gql(VERIFY, { head: `5:${rows[3]!.hash}` }, dpo);
    expect(wrongHead.body.data!.verifyDisclosureLog).toMatchObject({ intact: false, entries: 4, head: null, brokenAtSeq: 5, brokenAtId: rows[4]!.id, reason: "hash is not the expected head's hash" });
    await behindTheTriggers(server, `update disclosure_log set purpose = 'MARKETING' where seq = 3`);
    try {
      const tampered = await server.gql(VERIFY, {}, dpo);
      expect(tampered.body.data!.verifyDisclosureLog).toMatchObject({ intact: false, entries: 2, brokenAtSeq: 3, brokenAtId: rows[2]!.id, reason: "hash does not match the entry's content" });
    } finally {
      await behindTheTriggers(server, `update disclosure_log set purpose = '${rows[2]!.purpose}' where seq = 3`);
    }
  });

  it('a head that is not <seq>:<hash> is BAD_USER_INPUT naming expectHead, and nothing is verified', async () => {
    const response = await server.gql(VERIFY, { head: '6:xyz' }, await dpoToken(server));
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expectHead' });
  });
});

describe('tampering the chain alone cannot show', () => {
  it('a value smuggled into an entry\'s fields (outside the hashed path, category, access) is refused', async () => {
    const [row] = await logRows(em(), 'seq = 2');
    const original = JSON.stringify(row!.fields);
    const smuggled = JSON.stringify(row!.fields.map((f, i) => (i === 0 ? { ...f, value: '+77011234567' } : f)));
    await behindTheTriggers(server, `update disclosure_log set fields = '${smuggled}'::jsonb where seq = 2`);
    try {
      expect(await verifyChain(em())).toEqual({
        ok: false,
        entries: 1,
        brokenAt: { seq: 2, id: row!.id, reason: 'fields[0] has keys other than path, category and access: content outside the hash' },
      });
      const cli = await run();
      expect(cli.code).toBe(EXIT.BROKEN);
      expect(cli.err[0]).not.toContain('+77011234567');
    } finally {
      await behindTheTriggers(server, `update disclosure_log set fields = '${original}'::jsonb where seq = 2`);
    }
    expect(await verifyChain(em())).toMatchObject({ ok: true, entries: 6 });
  });

  it('the newest entries cut off: the chain alone still verifies, the head kept elsewhere does not', async () => {
    const rows = await logRows(em());
    const head = `6:${rows[5]!.hash}`;
    await behindTheTriggers(server, `delete from disclosure_log where seq > 4`);
    expect((await run()).code).toBe(EXIT.INTACT);
    expect(await run('--expect-head', head)).toEqual({
      code: EXIT.BROKEN,
      out: [],
      err: ['disclosure log BROKEN at entry seq=6 id=?: the log ends at entry 4, before the expected head: newer entries were removed (4 entries before it verified)'],
    });
  });
});
