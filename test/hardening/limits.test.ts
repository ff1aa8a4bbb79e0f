/**
 * Hostile-input limits: each refusal is a GraphQL error with a stable code, decided before any
 * resolver runs; the deadline answers REQUEST_TIMEOUT and then nothing of the request is written.
 */
import { Client as PgClient } from 'pg';
import { createCanaryClient, type Canary } from '../support/canaries';
import { captureLog } from '../support/logs';
import { errorCodes, startTestServer, type TestServer } from '../support/server';
import { useWorld } from '../support/world';

const LIMITS = {
  QUERY_MAX_DEPTH: '6',
  QUERY_MAX_ALIASES: '5',
  QUERY_MAX_DIRECTIVES: '4',
  QUERY_MAX_TOKENS: '300',
  QUERY_MAX_COST: '5000',
  REQUEST_MAX_BYTES: '4096',
  REQUEST_TIMEOUT_MS: '600',
};

const { log, lines } = captureLog('info');
const world = useWorld({ env: LIMITS, log });
let canary: Canary;
let client: string;

beforeAll(async () => {
  canary = await createCanaryClient(world.em(), 'ACTIVE');
  client = await world.token({ sub: canary.client.id, role: 'client' });
});

describe('document limits', () => {
  it('a query deeper than QUERY_MAX_DEPTH is QUERY_TOO_DEEP (400), fragments flattened or not', async () => {
    const deep = `{ order(id: "x") { client { orders { client { orders { client { id } } } } } } }`;
    const response = await world.gql(deep, {}, world.tokens.operator);
    expect(response.status).toBe(400);
    expect(errorCodes(response.body)).toEqual(['QUERY_TOO_DEEP']);
    expect(response.body.errors![0]!.extensions!.limit).toBe(6);
    const viaFragments = `{ order(id: "x") { ...A } } fragment A on Order { client { ...B } } fragment B on Client { orders { client { orders { client { id } } } } }`;
    expect(errorCodes((await world.gql(viaFragments, {}, world.tokens.operator)).body)).toEqual(['QUERY_TOO_DEEP']);
    const shallow = `{ order(id: "00000000-0000-0000-0000-000000000000") { client { orders { id } } } }`;
    expect((await world.gql(shallow, {}, world.tokens.operator)).body.errors).toBeUndefined();
  });

  it('more than QUERY_MAX_ALIASES aliases is TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: privacyPolicy { version }`).join(' ');
    const response = await world.gql(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response.body)).toEqual(['TOO_MANY_ALIASES']);
  });

  it('more than QUERY_MAX_DIRECTIVES directives is TOO_MANY_DIRECTIVES', async () => {
    const fields = Array.from({ length: 5 }, () => `version @include(if: true)`).join(' ');
    expect(errorCodes((await world.gql(`{ privacyPolicy { ${fields} } }`)).body)).toEqual(['TOO_MANY_DIRECTIVES']);
  });

  it('more than QUERY_MAX_TOKENS tokens is TOO_MANY_TOKENS, before the document is fully parsed', async () => {
    const response = await world.gql(`{ privacyPolicy { ${'version '.repeat(400)} } }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response.body)).toEqual(['TOO_MANY_TOKENS']);
    expect(response.body.errors![0]!.extensions!.limit).toBe(300);
  });

  it('cost counts page sizes from literals, variables, variable defaults and field defaults: QUERY_TOO_COMPLEX', async () => {
    const nested = (first: string) => `clients(first: ${first}) { edges { node { id orders { id amount contactPhone } } } }`;
    // 100 clients x 20 orders (the field's default) is over 5000; 2 clients is not.
    expect(errorCodes((await world.gql(`{ ${nested('100')} }`, {}, world.tokens.operator)).body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(errorCodes((await world.gql(`query($n: Int!) { ${nested('$n')} }`, { n: 100 }, world.tokens.operator)).body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(errorCodes((await world.gql(`query($n: Int! = 100) { ${nested('$n')} }`, {}, world.tokens.operator)).body)).toEqual(['QUERY_TOO_COMPLEX']);
    // Nullable variables left out leave the fields' defaults (100 x 20): counted as those, not as 1.
    const omitted = `query($a: Int, $b: Int) { clients(first: $a) { edges { node { id orders(first: $b) { id amount contactPhone } } } } }`;
    expect(errorCodes((await world.gql(omitted, { a: 100 }, world.tokens.operator)).body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(errorCodes((await world.gql(omitted, { a: 100, b: null }, world.tokens.operator)).body)).toEqual(['QUERY_TOO_COMPLEX']);
    const small = await world.gql(`query($n: Int!) { ${nested('$n')} }`, { n: 2 }, world.tokens.operator);
    expect(small.body.errors).toBeUndefined();
  });

  it('a page larger than MAX_PAGE_SIZE is BAD_USER_INPUT naming the argument', async () => {
    const response = await world.gql(`{ clients(first: 101) { edges { node { id } } } }`, {}, world.tokens.operator);
    expect(errorCodes(response.body)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0]!.extensions!.field).toBe('first');
  });
});

describe('HTTP limits', () => {
  it('a body over REQUEST_MAX_BYTES is PAYLOAD_TOO_LARGE (413), as a GraphQL error', async () => {
    const response = await world.raw({ query: '{ privacyPolicy { version } }', variables: { pad: 'x'.repeat(5000) } });
    expect(response.status).toBe(413);
    expect(errorCodes(response.json)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  it('a body that is not JSON is BAD_REQUEST (400) and its text is not echoed', async () => {
    const response = await world.raw('{"query": "{ me { id } }", "secretvalue');
    expect(response.status).toBe(400);
    expect(errorCodes(response.json)).toEqual(['BAD_REQUEST']);
    expect(response.text).not.toContain('secretvalue');
  });

  it('batched requests are refused', async () => {
    const response = await world.raw([{ query: '{ privacyPolicy { version } }' }, { query: '{ privacyPolicy { version } }' }]);
    expect(response.status).toBe(400);
    expect(errorCodes(response.json)).toEqual(['BAD_REQUEST']);
  });

  it('CSRF prevention: a simple cross-site request (text/plain, or GET without a preflight header) is refused', async () => {
    const plain = await world.raw(JSON.stringify({ query: '{ privacyPolicy { version } }' }), { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    expect(errorCodes(plain.json)).toEqual(['BAD_REQUEST']);
    const get = await fetch(`${world.app.url}?query=${encodeURIComponent('{ privacyPolicy { version } }')}`);
    expect(get.status).toBe(400);
    const allowed = await fetch(`${world.app.url}?query=${encodeURIComponent('{ privacyPolicy { version } }')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(allowed.status).toBe(200);
  });
});

describe('unknown routes', () => {
  it('get a JSON 404 that quotes nothing of the request, whatever the method and path', async () => {
    const origin = new URL(world.app.url).origin;
    for (const [method, path] of [['POST', '/nope/<b>x</b>'], ['GET', '/'], ['GET', '/graphq?<script>=1'], ['DELETE', '/healthz']]) {
      const response = await fetch(`${origin}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      const text = await response.text();
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    }
  });
});

describe('requests Node refuses before any handler', () => {
  it('a GET whose URL is over the head size limit is 431 in GraphQL\'s shape, and the server keeps serving', async () => {
    const huge = `{ privacyPolicy { version } }${' '.repeat(20_000)}`;
    const response = await fetch(`${world.app.url}?query=${encodeURIComponent(huge)}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(response.status).toBe(431);
    expect(errorCodes((await response.json()) as never)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect((await world.gql('{ privacyPolicy { version } }')).body.errors).toBeUndefined();
  });
});

describe('production mode', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ env: { NODE_ENV: 'production' }, db: world.db });
  });
  afterAll(() => production.close());

  it('introspection is off', async () => {
    const response = await production.gql('{ __schema { types { name } } }');
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(errorCodes(response.body)[0]).toMatch(/GRAPHQL_VALIDATION_FAILED|INTROSPECTION_DISABLED/);
  });

  it('field suggestions are off (they would map the schema for an attacker)', async () => {
    const typo = await production.gql('{ privacyPolicy { versio } }');
    expect(errorCodes(typo.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(typo.body.errors![0]!.message).not.toMatch(/Did you mean/);
    const development = await world.gql('{ privacyPolicy { versio } }');
    expect(development.body.errors![0]!.message).toMatch(/Did you mean "version"/);
  });
});

describe('the request deadline (REQUEST_TIMEOUT_MS)', () => {
  async function admin(): Promise<PgClient> {
    const pg = new PgClient({ connectionString: world.db.url });
    await pg.connect();
    return pg;
  }

  it('a read stuck behind a lock is answered REQUEST_TIMEOUT (503) at the deadline', async () => {
    const pg = await admin();
    try {
      await pg.query('begin');
      await pg.query('lock table client in access exclusive mode');
      const started = Date.now();
      const response = await world.gql('{ me { id surname } }', {}, client);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.status).toBe(503);
      expect(errorCodes(response.body)).toEqual(['REQUEST_TIMEOUT']);
    } finally {
      await pg.query('rollback');
      await pg.end();
    }
  });

  it('a write past the deadline is rolled back: REQUEST_TIMEOUT means nothing was written', async () => {
    const pg = await admin();
    const phone = '+77015550001';
    try {
      await pg.query('begin');
      await pg.query('select 1 from client where id = $1 for update', [canary.client.id]);
      const response = await world.gql('mutation($p: [String!]) { updateMyContacts(input: { phones: $p }) { id } }', { p: [phone] }, client);
      expect(response.status).toBe(503);
      expect(errorCodes(response.body)).toEqual(['REQUEST_TIMEOUT']);
    } finally {
      await pg.query('rollback');
    }
    try {
      // The blocked transaction now proceeds to its commit, which the deadline refuses.
      await new Promise((r) => setTimeout(r, 500));
      const { rows } = await pg.query('select phones from client where id = $1', [canary.client.id]);
      expect(rows[0].phones).toEqual(canary.client.phones);
      const again = await world.gql('{ me { phones } }', {}, client);
      expect(again.body.data!.me.phones).toEqual(canary.client.phones);
    } finally {
      await pg.end();
    }
  });

  it('within the deadline, the same write succeeds', async () => {
    const response = await world.gql('mutation($p: [String!]) { updateMyContacts(input: { phones: $p }) { phones } }', { p: ['+77015550002'] }, client);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.updateMyContacts.phones).toEqual(['+77015550002']);
  });
});

describe('the access log', () => {
  it('has one line per request: method, operation, status, duration, request id; never variables', async () => {
    lines.length = 0;
    const response = await world.raw(
      { query: 'query FindBySurname($s: String) { clients(filter: { surname: $s }) { totalCount } }', variables: { s: 'variable-value-canary' }, operationName: 'FindBySurname' },
      { 'x-request-id': '0b7c4d2e-9f1a-4c3b-8d5e-6f7a8b9c0d1e', authorization: `Bearer ${world.tokens.operator}` },
    );
    await new Promise((r) => setTimeout(r, 50));
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');
    expect(entries).toHaveLength(1);
    // The request id is the server's own; the caller's header is kept only as a correlation id.
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entries[0]).toMatchObject({ method: 'POST', operation: 'FindBySurname', status: 200, requestId, correlationId: '0b7c4d2e-9f1a-4c3b-8d5e-6f7a8b9c0d1e', aborted: false });
    expect(typeof entries[0]!.durationMs).toBe('number');
    expect(lines.join('\n')).not.toContain('variable-value-canary');
  });

  it('what the caller names itself never carries a personal value into the log: a correlation id is a UUID or nothing, digit runs leave the operation name', async () => {
    lines.length = 0;
    await world.raw(
      { query: 'query Iin870412300123 { privacyPolicy { version } }', operationName: 'Iin870412300123' },
      { 'x-request-id': '870412300123-77015550001' },
    );
    await new Promise((r) => setTimeout(r, 50));
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.msg === 'request');
    expect(entry).toMatchObject({ operation: 'Iin#' });
    expect(entry!.correlationId).toBeUndefined();
    for (const value of ['870412300123', '77015550001']) expect(lines.join('\n')).not.toContain(value);
  });

  it('a caller cannot choose the request id, nor pass an oversized correlation id', async () => {
    const first = await world.raw({ query: '{ privacyPolicy { version } }' }, { 'x-request-id': 'req-same-id-0001' });
    const second = await world.raw({ query: '{ privacyPolicy { version } }' }, { 'x-request-id': 'req-same-id-0001' });
    expect(first.headers.get('x-request-id')).not.toBe('req-same-id-0001');
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    lines.length = 0;
    await world.raw({ query: '{ privacyPolicy { version } }' }, { 'x-request-id': 'x'.repeat(65) });
    await new Promise((r) => setTimeout(r, 50));
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.msg === 'request');
    expect(entry).toBeDefined();
    expect(entry!.correlationId).toBeUndefined();
  });
});
