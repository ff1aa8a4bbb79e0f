/**
 * The log written before chains were per recipient stays verifiable: the migration keeps its
 * entries as they were, hashes included, as the chain `legacy`, and a head kept from before
 * (`<seq>:<hash>`) is that chain's head. The entries here are written as the old writer wrote them
 * (version 1 hash, computed below independently of src/), on a database migrated to just before.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { auditVerify, EXIT } from '../../src/cli/audit-verify';
import { RecipientKind } from '../../src/disclosure/disclosure.entity';
import { appendDisclosures, verifyChains } from '../../src/disclosure/disclosure-log';
import { ormOptions } from '../../src/db/orm';
import { adminQuery } from '../support/database';
import { logRows } from '../support/disclosure';

const BEFORE_CHAINS = 'Migration20261201230748';
const CHAINS = 'Migration20261206073908';

let orm: MikroORM;
let url: string;
let name: string;

beforeAll(async () => {
  name = `kzpay_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const server = new URL(process.env.TEST_SERVER_URL!);
  server.pathname = `/${name}`;
  url = server.toString();
  orm = await MikroORM.init(ormOptions(url));
  await orm.getMigrator().up({ to: BEFORE_CHAINS });
});
afterAll(async () => {
  await orm.close(true);
  await adminQuery(`drop database if exists ${name} with (force)`);
});

/** The version 1 entry hash, as the single-chain writer computed it. */
function v1Hash(e: Record<string, unknown>): string {
  const canonical = JSON.stringify([
    'kzpay-disclosure-v1', e.seq, e.id, (e.at as Date).toISOString(), e.recipient_kind, e.recipient, e.partner_id, e.contract_id, e.lawful_request_id,
    e.token_id, e.actor, e.subject_id, (e.fields as Array<Record<string, string>>).map((f) => [f.path, f.category, f.access]), e.purpose,
    e.legal_basis, e.operation_name, e.query_hash, e.request_id, e.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const em = () => orm.em.fork();

it('entries written before the migration verify afterwards as the legacy chain, reaching the head kept from before; new entries start their own chains', async () => {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  let prev = '0'.repeat(64);
  const partnerId = randomUUID();
  try {
    for (let seq = 1; seq <= 3; seq++) {
      const entry: Record<string, unknown> = {
        seq, id: randomUUID(), at: new Date(Date.UTC(2026, 10, 20, 10, seq)), recipient_kind: 'PARTNER', recipient: 'Courier, contract AG-1',
        partner_id: partnerId, contract_id: randomUUID(), lawful_request_id: null, token_id: randomUUID(), actor: 'partner:1', subject_id: randomUUID(),
        fields: [{ path: 'client.phones', category: 'PHONE', access: 'FULL' }], purpose: 'THIRD_PARTY_OBLIGATIONS', legal_basis: 'P5.1: contract AG-1',
        operation_name: null, query_hash: 'q', request_id: `req-${seq}`, prev_hash: prev,
      };
      const hash = v1Hash(entry);
      const columns = Object.keys(entry);
      await pg.query(
        `insert into disclosure_log (${columns.join(', ')}, hash) values (${columns.map((c, i) => `$${i + 1}${c === 'fields' ? '::jsonb' : ''}`).join(', ')}, $${columns.length + 1})`,
        [...columns.map((c) => (c === 'fields' ? JSON.stringify(entry[c]) : entry[c])), hash],
      );
      prev = hash;
    }
  } finally {
    await pg.end();
  }
  const keptHead = `3:${prev}`;

  expect((await orm.getMigrator().up()).map((m) => m.name)).toContain(CHAINS);
  const legacy = await logRows(em());
  expect(legacy.map((r) => [r.chain, Number(r.chain_seq), Number(r.seq)])).toEqual([['legacy', 1, 1], ['legacy', 2, 2], ['legacy', 3, 3]]);
  expect(await verifyChains(em())).toEqual({ ok: true, entries: 3, chains: [{ chain: 'legacy', entries: 3, head: { seq: 3, hash: prev }, brokenAt: null, expected: null }] });

  const out: string[] = [];
  const verify = (...args: string[]) => auditVerify(em(), args, { log: (l) => out.push(l), error: (l) => out.push(l) });
  expect(await verify('--expect-head', keptHead)).toBe(EXIT.INTACT);
  expect(out).toEqual(['disclosure log intact: 3 entries in 1 chain', `head legacy=${keptHead} (3 entries, reaching the expected head 3)`]);

  // The same partner's next disclosure starts the partner's own chain; the log's order continues.
  const [added] = await appendDisclosures(em(), [{
    recipient: {
      kind: RecipientKind.PARTNER, label: 'Courier, contract AG-1', partnerId, contractId: randomUUID(), lawfulRequestId: null, tokenId: null,
      actor: 'dpo-1', purpose: 'THIRD_PARTY_OBLIGATIONS', legalBasis: 'P5.1: contract AG-1',
    },
    subjectId: randomUUID(),
    fields: [{ path: 'off-system', category: 'PHONE', access: 'FULL' }],
  }], { operationName: null, queryHash: null, requestId: null }, { requestTimeoutMs: 10_000 });
  expect(added).toMatchObject({ seq: 4, chain: `partner:${partnerId}`, chainSeq: 1, prevHash: '0'.repeat(64) });
  expect(await verifyChains(em())).toMatchObject({ ok: true, entries: 4, chains: [{ chain: 'legacy', entries: 3 }, { chain: `partner:${partnerId}`, entries: 1 }] });

  // The append-only triggers stayed on through the migration.
  await expect(em().getConnection().execute(`update disclosure_log set purpose = 'MARKETING' where seq = 2`)).rejects.toThrow(/append-only/);

  // Going back to one chain would mean rewriting the new chain's entries: refused, nothing changed.
  await expect(orm.getMigrator().down([CHAINS])).rejects.toThrow(/per-recipient chains/);
  expect(await verifyChains(em())).toMatchObject({ ok: true, entries: 4 });

  // A legacy entry changed behind the triggers' back is caught by its version 1 hash.
  await em().getConnection().execute(`alter table disclosure_log disable trigger user; update disclosure_log set purpose = 'MARKETING' where seq = 2`);
  expect((await verifyChains(em())).chains[0]).toMatchObject({ chain: 'legacy', entries: 1, brokenAt: { seq: 2, reason: "hash does not match the entry's content" } });
});
