/**
 * Ill-formed Unicode (a lone UTF-16 surrogate, what a UI cutting an emoji in half sends): PostgreSQL
 * would store U+FFFD in its place, so the API would answer with, and the disclosure log would hash,
 * a value other than the stored one. Every text input refuses it, naming the field; the log hashes
 * exactly what it stores, so `npm run audit:verify` keeps verifying.
 */
import { auditVerify, EXIT } from '../../src/cli/audit-verify';
import { appendDisclosures } from '../../src/disclosure/disclosure-log';
import { RecipientKind } from '../../src/disclosure/disclosure.entity';
import { createCanaryClient } from '../support/canaries';
import { REGISTER, registration } from '../support/fixtures';
import { codes, startTestServer, type TestServer } from '../support/harness';
import { logRows } from '../disclosure/support';

const LONE = 'Akimat \ud800';
const RECORD = `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq recipient } }`;

let server: TestServer;
let dpo: string;
let subjectId: string;

beforeAll(async () => {
  server = await startTestServer();
  dpo = await server.token({ sub: 'dpo-1', role: 'dpo' });
  subjectId = (await createCanaryClient(server.db.orm.em.fork(), 'ACTIVE')).client.id;
});
afterAll(() => server.close());

const em = () => server.db.orm.em.fork();
const disclosure = (overrides: Record<string, unknown> = {}) => ({
  subjectId, recipientKind: 'OTHER', recipient: 'Akimat of Almaty', categories: ['PHONE'], purpose: 'a paper request', legalBasis: 'a letter', ...overrides,
});

async function verify(): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditVerify(em(), [], { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

describe('text inputs', () => {
  it.each(['recipient', 'purpose', 'legalBasis'])('recordDisclosure with a lone surrogate in %s is BAD_USER_INPUT naming it; nothing is logged', async (field) => {
    const response = await server.gql(RECORD, { input: disclosure({ [field]: LONE }) }, dpo);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe(field);
    expect(response.body.data ?? null).toBeNull();
    expect(await logRows(em())).toHaveLength(0);
  });

  it('the field is named wherever the variable stands: inside an object literal, in a list, as a whole argument', async () => {
    const inLiteral = await server.gql(
      `mutation($r: String!, $s: ID!) { recordDisclosure(input: { subjectId: $s, recipientKind: OTHER, recipient: $r, categories: [PHONE], purpose: "p", legalBasis: "l" }) { seq } }`,
      { r: LONE, s: subjectId }, dpo);
    expect(codes(inLiteral)).toEqual(['BAD_USER_INPUT']);
    expect(inLiteral.body.errors![0]!.extensions!.field).toBe('recipient');

    const inList = await server.gql(REGISTER, { input: registration({ phones: ['+77011234567', '+7701\udc00'] }) });
    expect(codes(inList)).toEqual(['BAD_USER_INPUT']);
    expect(inList.body.errors![0]!.extensions!.field).toBe('phones[1]');

    const nested = await server.gql(REGISTER, { input: registration({ residenceAddress: { country: 'KZ', city: 'Алматы\ud83d', street: 'x' } }) });
    expect(nested.body.errors![0]!.extensions!.field).toBe('residenceAddress.city');

    const client = await server.token({ sub: subjectId, role: 'client' });
    const argument = await server.gql(`mutation($n: String!) { requestConsentWithdrawal(notice: $n) { status } }`, { n: 'I withdraw \udfff' }, client);
    expect(codes(argument)).toEqual(['BAD_USER_INPUT']);
    expect(argument.body.errors![0]!.extensions!.field).toBe('notice');
  });

  it('registration with a lone surrogate in a name is refused and writes no client; a whole emoji is text like any other', async () => {
    const input = registration({ surname: 'Нұрланов\ud83d' });
    const refused = await server.gql(REGISTER, { input });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors![0]!.extensions!.field).toBe('surname');
    expect(await em().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login])).toEqual([{ n: 0 }]);

    const recorded = await server.gql(RECORD, { input: disclosure({ recipient: 'Akimat \ud83d\ude00' }) }, dpo);
    expect(recorded.body.errors).toBeUndefined();
    expect(recorded.body.data!.recordDisclosure.recipient).toBe('Akimat \ud83d\ude00');
  });

  it('the message quotes no value', async () => {
    const response = await server.gql(RECORD, { input: disclosure({ recipient: 'Zcanary \ud800' }) }, dpo);
    expect(JSON.stringify(response.body)).not.toContain('Zcanary');
  });
});

describe('the disclosure log', () => {
  it('audit:verify stays intact after a refused attempt and the entries that follow it', async () => {
    await server.gql(RECORD, { input: disclosure({ recipient: LONE, purpose: 'p \udc00' }) }, dpo);
    expect((await server.gql(RECORD, { input: disclosure() }, dpo)).body.errors).toBeUndefined();
    const result = await verify();
    expect(result.err).toEqual([]);
    expect(result.code).toBe(EXIT.INTACT);
  });

  it('an entry hashes exactly what PostgreSQL stores, even text that reached it ill-formed', async () => {
    const [written] = await appendDisclosures(em(), [{
      recipient: {
        kind: RecipientKind.OTHER, label: LONE, partnerId: null, contractId: null, lawfulRequestId: null, tokenId: null,
        actor: 'dpo-1', purpose: 'p \udc00', legalBasis: 'l',
      },
      subjectId,
      fields: [{ path: 'off-system', category: 'PHONE', access: 'FULL' }],
    }], { operationName: null, queryHash: null, requestId: null }, { requestTimeoutMs: 10_000 });
    const stored = (await logRows(em())).find((row) => row.id === written!.id)!;
    expect(written!.recipient).toBe(stored.recipient);
    expect(written!.purpose).toBe(stored.purpose);
    const result = await verify();
    expect(result.err).toEqual([]);
    expect(result.code).toBe(EXIT.INTACT);
  });
});
