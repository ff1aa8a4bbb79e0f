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
import { codes } from '../support/server';
import { logRows } from '../support/disclosure';
import { useWorld } from '../support/world';

const LONE = 'Akimat \ud800';
const RECORD = `mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { seq recipient } }`;

const world = useWorld();
let subjectId: string;

beforeAll(async () => {
  subjectId = (await createCanaryClient(world.em(), 'ACTIVE')).client.id;
});

const disclosure = (overrides: Record<string, unknown> = {}) => ({
  subjectId, recipientKind: 'OTHER', recipient: 'Akimat of Almaty', categories: ['PHONE'], purpose: 'a paper request', legalBasis: 'a letter', ...overrides,
});

async function verify(): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditVerify(world.em(), [], { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out, err };
}

describe('text inputs', () => {
  it.each(['recipient', 'purpose', 'legalBasis'])('recordDisclosure with a lone surrogate in %s is BAD_USER_INPUT naming it; nothing is logged', async (field) => {
    const response = await world.gql(RECORD, { input: disclosure({ [field]: LONE }) }, world.tokens.dpo);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe(field);
    expect(response.body.data ?? null).toBeNull();
    expect(await logRows(world.em())).toHaveLength(0);
  });

  it('the field is named wherever the variable stands: inside an object literal, in a list, as a whole argument', async () => {
    const inLiteral = await world.gql(
      `mutation($r: String!, $s: ID!) { recordDisclosure(input: { subjectId: $s, recipientKind: OTHER, recipient: $r, categories: [PHONE], purpose: "p", legalBasis: "l" }) { seq } }`,
      { r: LONE, s: subjectId }, world.tokens.dpo);
    expect(codes(inLiteral)).toEqual(['BAD_USER_INPUT']);
    expect(inLiteral.body.errors![0]!.extensions!.field).toBe('recipient');

    const inList = await world.gql(REGISTER, { input: registration({ phones: ['+77011234567', '+7701\udc00'] }) });
    expect(codes(inList)).toEqual(['BAD_USER_INPUT']);
    expect(inList.body.errors![0]!.extensions!.field).toBe('phones[1]');

    const nested = await world.gql(REGISTER, { input: registration({ residenceAddress: { country: 'KZ', city: 'Алматы\ud83d', street: 'x' } }) });
    expect(nested.body.errors![0]!.extensions!.field).toBe('residenceAddress.city');

    const client = await world.token({ sub: subjectId, role: 'client' });
    const argument = await world.gql(`mutation($n: String!) { requestConsentWithdrawal(notice: $n) { status } }`, { n: 'I withdraw \udfff' }, client);
    expect(codes(argument)).toEqual(['BAD_USER_INPUT']);
    expect(argument.body.errors![0]!.extensions!.field).toBe('notice');
  });

  it('registration with a lone surrogate in a name is refused and writes no client; a whole emoji is text like any other', async () => {
    const input = registration({ surname: 'Нұрланов\ud83d' });
    const refused = await world.gql(REGISTER, { input });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors![0]!.extensions!.field).toBe('surname');
    expect(await world.em().getConnection().execute(`select count(*)::int as n from client where login = ?`, [input.login])).toEqual([{ n: 0 }]);

    const recorded = await world.gql(RECORD, { input: disclosure({ recipient: 'Akimat \ud83d\ude00' }) }, world.tokens.dpo);
    expect(recorded.body.errors).toBeUndefined();
    expect(recorded.body.data!.recordDisclosure.recipient).toBe('Akimat \ud83d\ude00');
  });

  it('the message quotes no value', async () => {
    const response = await world.gql(RECORD, { input: disclosure({ recipient: 'Zcanary \ud800' }) }, world.tokens.dpo);
    expect(JSON.stringify(response.body)).not.toContain('Zcanary');
  });
});

describe('the disclosure log', () => {
  it('audit:verify stays intact after a refused attempt and the entries that follow it', async () => {
    await world.gql(RECORD, { input: disclosure({ recipient: LONE, purpose: 'p \udc00' }) }, world.tokens.dpo);
    expect((await world.gql(RECORD, { input: disclosure() }, world.tokens.dpo)).body.errors).toBeUndefined();
    const result = await verify();
    expect(result.err).toEqual([]);
    expect(result.code).toBe(EXIT.INTACT);
  });

  it('an entry hashes exactly what PostgreSQL stores, even text that reached it ill-formed', async () => {
    const [written] = await appendDisclosures(world.em(), [{
      recipient: {
        kind: RecipientKind.OTHER, label: LONE, partnerId: null, contractId: null, lawfulRequestId: null, tokenId: null,
        actor: 'dpo-1', purpose: 'p \udc00', legalBasis: 'l',
      },
      subjectId,
      fields: [{ path: 'off-system', category: 'PHONE', access: 'FULL' }],
    }], { operationName: null, queryHash: null, requestId: null }, { requestTimeoutMs: 10_000 });
    const stored = (await logRows(world.em())).find((row) => row.id === written!.id)!;
    expect(written!.recipient).toBe(stored.recipient);
    expect(written!.purpose).toBe(stored.purpose);
    const result = await verify();
    expect(result.err).toEqual([]);
    expect(result.code).toBe(EXIT.INTACT);
  });
});
