/** Scenario 5, the floor: scenario 1's SQL through `pg`, rows returned as JSON; no GraphQL, no policy. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { announce, serveStats } from './child';
import { FLOOR_SQL } from './queries';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  let statements = 0;
  const query = async (sql: string, params: unknown[]) => {
    statements += 1;
    return (await pool.query(sql, params)).rows as Array<Record<string, unknown>>;
  };
  const server = createServer((req, res) => {
    const first = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('first') ?? 100);
    (async () => {
      const clients = await query(FLOOR_SQL.page, [first + 1]);
      const ids = clients.slice(0, first).map((c) => c.id);
      const orders = await query(FLOOR_SQL.orders, [ids, 20]);
      const byClient = new Map<unknown, unknown[]>();
      for (const order of orders) byClient.set(order.client_id, [...(byClient.get(order.client_id) ?? []), order]);
      const body = clients.slice(0, first).map((c) => ({ ...c, orders: byClient.get(c.id) ?? [] }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: body }));
    })().catch(() => {
      res.statusCode = 500;
      res.end('{"error":"floor failed"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, statsUrl: await serveStats(() => statements) });
}

main().catch((error: unknown) => {
  console.error('floor server failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
