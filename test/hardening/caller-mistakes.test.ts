/**
 * A caller's mistake gets a client-error code and no error-level log line: those are for faults
 * of the server. Automatic persisted queries are off (docs/hardening.md says why), so any
 * `persistedQuery` extension is PERSISTED_QUERY_NOT_SUPPORTED, whatever version or hash it names.
 */
import { createHash } from 'node:crypto';
import { captureLog } from '../support/logs';
import { errorCodes } from '../support/server';
import { useWorld } from '../support/world';

const { log, lines } = captureLog('info');
const world = useWorld({ log });

beforeEach(() => {
  lines.length = 0;
});
afterEach(() => {
  expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
});

const QUERY = '{ privacyPolicy { version } }';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('automatic persisted queries are off', () => {
  it.each([
    ['a hash alone', { extensions: { persistedQuery: { version: 1, sha256Hash: sha(QUERY) } } }],
    ['a query with its hash', { query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: sha(QUERY) } } }],
    ['a query with a wrong hash', { query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: sha('something else') } } }],
    ['an unknown version', { query: QUERY, extensions: { persistedQuery: { version: 2, sha256Hash: sha(QUERY) } } }],
  ])('%s is PERSISTED_QUERY_NOT_SUPPORTED, and nothing is registered', async (_what, body) => {
    const response = await world.raw(body);
    expect(errorCodes(response.json)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    expect(response.json!.data ?? null).toBeNull();
    const again = await world.raw({ extensions: { persistedQuery: { version: 1, sha256Hash: sha(QUERY) } } });
    expect(errorCodes(again.json)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
  });
});

it('a subscription is BAD_REQUEST (400): the API has none', async () => {
  const response = await world.raw({ query: 'subscription { privacyPolicy { version } }' });
  expect(response.status).toBe(400);
  expect(errorCodes(response.json)).toEqual(['BAD_REQUEST']);
});

it('more than 50 invalid variable values are BAD_USER_INPUT (400), the limit included', async () => {
  const response = await world.raw({
    query: 'mutation($s: [PiiCategory!]!) { issuePartnerToken(contractId: "00000000-0000-0000-0000-000000000000", scopes: $s, ttl: 600) { token } }',
    variables: { s: Array.from({ length: 60 }, (_, i) => `NOT_A_CATEGORY_${i}`) },
  });
  expect(response.status).toBe(400);
  const codes = errorCodes(response.json);
  expect(codes.length).toBeGreaterThan(50);
  expect(new Set(codes)).toEqual(new Set(['BAD_USER_INPUT']));
});
