/**
 * The floor: a bare `node:http` handler with `pg`, rows returned as JSON; no GraphQL, no policy.
 * `/?first=N` runs scenario 1's statements (scenario 5); `/shape?first=N` and `/shape?id=…` return
 * the shapes' rows (bench/queries.ts), one statement each.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce, countedPool, serveStats } from './child';
import { FLOOR_SHAPE_SQL, FLOOR_SQL } from './queries';

async function main(): Promise<void> {
  const { query, statements } = countedPool();
  const scenario5 = async (first: number): Promise<unknown> => {
    const clients = await query(FLOOR_SQL.page, [first + 1]);
    const ids = clients.slice(0, first).map((c) => c.id);
    const orders = await query(FLOOR_SQL.orders, [ids, 20]);
    const byClient = new Map<unknown, unknown[]>();
    for (const order of orders) byClient.set(order.client_id, [...(byClient.get(order.client_id) ?? []), order]);
    return clients.slice(0, first).map((c) => ({ ...c, orders: byClient.get(c.id) ?? [] }));
  };
  const shape = async (params: URLSearchParams): Promise<unknown> => {
    const id = params.get('id');
    if (id) return (await query(FLOOR_SHAPE_SQL.byId, [id]))[0] ?? null;
    return query(FLOOR_SHAPE_SQL.list, [Number(params.get('first') ?? 100)]);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    (async () => {
      const data = url.pathname === '/shape' ? await shape(url.searchParams) : await scenario5(Number(url.searchParams.get('first') ?? 100));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data }));
    })().catch(() => {
      res.statusCode = 500;
      res.end('{"error":"floor failed"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, statsUrl: await serveStats(statements) });
}

main().catch((error: unknown) => {
  console.error('floor server failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
