/**
 * PostgreSQL goes away under load (connections terminated and refused) and comes back: the
 * server answers SERVICE_UNAVAILABLE (503, Retry-After) without stack or SQL, /readyz goes red,
 * everything recovers without a restart, and no write is left half-done.
 */
import { Client as PgClient } from 'pg';
import { registration, REGISTER } from '../support/fixtures';
import { createCanaryClient } from '../support/canaries';
import { captureLog } from '../support/logs';
import { errorCodes } from '../support/server';
import { startWorld, type World } from '../support/world';

let world: World;
let database: string;
const { log, lines } = captureLog('info');

async function admin(sql: string): Promise<void> {
  const pg = new PgClient({ connectionString: process.env.TEST_SERVER_URL });
  await pg.connect();
  try {
    await pg.query(sql);
  } finally {
    await pg.end();
  }
}

const goDown = async () => {
  await admin(`alter database ${database} with allow_connections false`);
  await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`);
};
const comeBack = () => admin(`alter database ${database} with allow_connections true`);

beforeAll(async () => {
  world = await startWorld({ env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' }, log });
  database = new URL(world.db.url).pathname.slice(1);
});
afterAll(async () => {
  await comeBack().catch(() => undefined);
  await world.close();
});

const readyz = async () => (await fetch(new URL('/readyz', world.app.url))).status;

interface Outcome {
  kind: 'read' | 'order' | 'register';
  status: number;
  codes: string[];
  retryAfter: string | null;
  errors: string;
  orderId?: string;
  clientId?: string;
}

describe('the database goes away mid-load and comes back', () => {
  it('answers SERVICE_UNAVAILABLE meanwhile, /readyz goes red, recovers without restart, leaves no half-done write', async () => {
    const canary = await createCanaryClient(world.em(), 'ACTIVE');
    const client = await world.token({ sub: canary.client.id, role: 'client' });
    const operator = world.tokens.operator;
    const outcomes: Outcome[] = [];
    const one = async (kind: Outcome['kind']): Promise<void> => {
      const [query, variables, token] =
        kind === 'read' ? ['{ clients(first: 20) { edges { node { id surname phones orders { id } } } } }', {}, operator]
        : kind === 'order' ? ['mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }', { i: { items: [{ name: 'Чай', quantity: 2, priceTiyn: 5000 }] } }, client]
        : [REGISTER, { input: registration() }, null];
      const response = await world.raw({ query, variables }, token ? { authorization: `Bearer ${token}` } : {});
      outcomes.push({
        kind,
        status: response.status,
        codes: errorCodes(response.json),
        retryAfter: response.headers.get('retry-after'),
        // The errors, or the whole text when it is not JSON: a successful answer carries tokens,
        // whose base64 can spell anything.
        errors: response.json ? JSON.stringify(response.json.errors ?? []) : response.text,
        orderId: (response.json?.data as any)?.placeOrder?.id,
        clientId: (response.json?.data as any)?.registerClient?.clientId,
      });
    };
    let running = true;
    const worker = async (kinds: Outcome['kind'][]) => {
      for (let i = 0; running; i++) await one(kinds[i % kinds.length]!);
    };
    const workers = [worker(['read', 'order']), worker(['order', 'read']), worker(['register', 'read', 'order'])];

    // Some requests answered before the outage: a loaded machine may take seconds for the first.
    await new Promise((r) => setTimeout(r, 700));
    for (let i = 0; i < 150 && outcomes.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const before = outcomes.length;
    await goDown();
    let red = false;
    for (let i = 0; i < 30 && !red; i++) {
      red = (await readyz()) === 503;
      if (!red) await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const during = outcomes.length;
    await comeBack();
    let green = false;
    for (let i = 0; i < 50 && !green; i++) {
      green = (await readyz()) === 200;
      if (!green) await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await Promise.all(workers);

    expect(red).toBe(true);
    expect(green).toBe(true);
    expect(before).toBeGreaterThan(0);
    const failed = outcomes.filter((o) => o.codes.length > 0);
    expect(failed.length).toBeGreaterThan(0);
    // Every fault was recognised as the outage (the log names what was not: errorName and code).
    expect(lines.filter((l) => l.includes('"unexpected error"'))).toEqual([]);
    for (const o of failed) {
      // Only the outage's code; and, as every answer, no stack trace and no SQL.
      expect({ kind: o.kind, codes: o.codes }).toEqual({ kind: o.kind, codes: o.codes.map(() => 'SERVICE_UNAVAILABLE') });
      expect(o.status).toBe(503);
      expect(o.retryAfter).toMatch(/^\d+$/);
    }
    for (const o of outcomes) expect(o.errors).not.toMatch(/stacktrace|\bat .+\.js:\d+|select |insert into|pg_|terminat/i);
    // Recovered: the last requests of every kind succeeded.
    const after = outcomes.slice(during);
    for (const kind of ['read', 'order'] as const) expect(after.filter((o) => o.kind === kind).at(-1)!.codes).toEqual([]);

    // No half-done write: each reported order exists whole; each registered client has its consent record.
    const pg = new PgClient({ connectionString: world.db.url });
    await pg.connect();
    try {
      const placed = outcomes.flatMap((o) => (o.orderId ? [o.orderId] : []));
      const { rows: orders } = await pg.query('select id, amount_tiyn, items from client_order where client_id = $1', [canary.client.id]);
      const stored = new Set(orders.map((r) => r.id as string));
      expect(placed.filter((id) => !stored.has(id))).toEqual([]);
      for (const row of orders.filter((r) => r.id !== canary.order.id)) {
        expect(Number(row.amount_tiyn)).toBe(10000);
        expect(row.items).toHaveLength(1);
      }
      const { rows: orphans } = await pg.query('select c.id from client c where not exists (select 1 from consent k where k.client_id = c.id)');
      expect(orphans).toEqual([]);
      const registered = outcomes.flatMap((o) => (o.clientId ? [o.clientId] : []));
      const { rows: clients } = await pg.query('select id from client where id = any($1::uuid[])', [registered]);
      expect(clients).toHaveLength(registered.length);
    } finally {
      await pg.end();
    }
    // The outage is logged by kind, not by SQL.
    expect(lines.some((l) => l.includes('database unavailable'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/insert into|select .* from/i);
  }, 30_000);
});
