/**
 * The log is a hash chain: concurrent requests extend it linearly, and a row changed or removed
 * behind the triggers' back (superuser, triggers disabled) is named by the verification.
 */
import { entryHash } from '../../src/disclosure/chain';
import type { RecipientKind } from '../../src/disclosure/disclosure.entity';
import { verifyChain } from '../../src/disclosure/disclosure-log';
import { createCanaryClient } from '../support/canaries';
import { startTestServer, type TestServer } from '../support/harness';
import { assignOrder, behindTheTriggers, dpoToken, issuePartnerToken, logRows, registerPartnerWithContract } from './support';

const QUERY = `{ partnerOrders(first: 20) { edges { node { contactPhone client { fullName phones } } } } }`;

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const dpo = await dpoToken(server);
  const partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  const em = server.db.orm.em.fork();
  for (let i = 0; i < 3; i++) await assignOrder(em, await createCanaryClient(em, 'ACTIVE'), partner.partnerId);
  ({ token } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']));
});
afterAll(() => server.close());

const em = () => server.db.orm.em.fork();


it('20 concurrent partner requests each write one batch, and the chain stays linear and valid', async () => {
  const responses = await Promise.all(Array.from({ length: 20 }, () => server.gql(QUERY, {}, token)));
  for (const r of responses) expect(r.body.errors).toBeUndefined();
  const rows = await logRows(em());
  expect(rows).toHaveLength(20 * 3);
  expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
  expect(new Set(rows.map((r) => r.request_id)).size).toBe(20);
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  expect(await verifyChain(em())).toMatchObject({ ok: true, entries: 60 });
});

it('an entry below the chain (seq 0) is refused by the table; slipped in behind its back, verification names it', async () => {
  const columns = `id, at, recipient_kind, recipient, partner_id, contract_id, lawful_request_id, token_id, actor, subject_id, fields, purpose, legal_basis, operation_name, query_hash, request_id, prev_hash`;
  const insert = `insert into disclosure_log (seq, hash, ${columns}) select 0, 'forged', ${columns.replace(/^id,/, 'gen_random_uuid(),')} from disclosure_log where seq = 1`;
  await expect(em().getConnection().execute(insert)).rejects.toMatchObject({ code: '23514' });
  await behindTheTriggers(server, `alter table disclosure_log drop constraint disclosure_log_seq_positive; ${insert}`);
  const [forged] = await logRows(em(), 'seq = 0');
  expect(await verifyChain(em())).toEqual({ ok: false, entries: 0, brokenAt: { seq: 0, id: forged!.id, reason: "an entry below the chain's start (seq under 1)" } });
  await behindTheTriggers(server, 'delete from disclosure_log where seq = 0; alter table disclosure_log add constraint disclosure_log_seq_positive check (seq > 0)');
  expect(await verifyChain(em())).toMatchObject({ ok: true, entries: 60 });
});

it('a changed entry is named by its seq', async () => {
  const [, second] = await logRows(em());
  await behindTheTriggers(server, `update disclosure_log set purpose = 'MARKETING' where seq = ${second!.seq}`);
  expect(await verifyChain(em())).toEqual({
    ok: false,
    entries: 1,
    brokenAt: { seq: 2, id: second!.id, reason: "hash does not match the entry's content" },
  });
  await behindTheTriggers(server, `update disclosure_log set purpose = '${second!.purpose}' where seq = ${second!.seq}`);
  expect(await verifyChain(em())).toMatchObject({ ok: true });
});

it('a removed entry is named: the next one no longer links', async () => {
  await behindTheTriggers(server, `delete from disclosure_log where seq = 7`);
  expect(await verifyChain(em())).toMatchObject({ ok: false, entries: 6, brokenAt: { seq: 8, reason: 'entry 7 is missing (next entry is 8)' } });
});

it('an entry rewritten with a correctly recomputed hash is still caught: the next entry no longer links to it', async () => {
  const [row] = await logRows(em(), 'seq = 3');
  const forged = { ...row!, purpose: 'MARKETING' };
  const hash = entryHash({
    seq: Number(forged.seq), id: forged.id, at: forged.at, recipientKind: forged.recipient_kind as RecipientKind, recipient: forged.recipient,
    partnerId: forged.partner_id, contractId: forged.contract_id, lawfulRequestId: forged.lawful_request_id, tokenId: forged.token_id,
    actor: forged.actor, subjectId: forged.subject_id, fields: forged.fields as never, purpose: forged.purpose,
    legalBasis: forged.legal_basis, operationName: forged.operation_name, queryHash: forged.query_hash, requestId: forged.request_id, prevHash: forged.prev_hash,
  });
  await behindTheTriggers(server, `update disclosure_log set purpose = 'MARKETING', hash = '${hash}' where seq = 3`);
  expect(await verifyChain(em())).toMatchObject({ ok: false, entries: 3, brokenAt: { seq: 4, reason: 'prev_hash is not the hash of the previous entry' } });
});
