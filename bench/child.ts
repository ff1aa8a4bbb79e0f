/**
 * What the benchmark's server processes share: a stats endpoint (statements run, RSS and its
 * peak since the last reset) on a port of its own, announced to the parent over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

export interface ChildReady {
  readonly url: string;
  readonly statsUrl: string;
}

export interface ChildStats {
  readonly statements: number;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  /** V8 heap in use; after a full collection when asked with `?gc=1` (what is really retained). */
  readonly heapUsedBytes: number;
  /** The monotonic clock in µs, the clock of a `--cpu-prof` profile's timestamps: marks a window in it. */
  readonly monotonicUs: number;
}

export async function serveStats(statements: () => number): Promise<string> {
  let peak = process.memoryUsage.rss();
  setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50).unref();
  const server = createServer((req, res) => {
    if (req.method === 'POST') peak = process.memoryUsage.rss();
    const rssBytes = process.memoryUsage.rss();
    // Children run with --expose-gc: a leak shows as heap that survives a full collection.
    if (req.url?.includes('gc=1')) global.gc?.();
    const stats: ChildStats = {
      statements: statements(),
      rssBytes,
      peakRssBytes: Math.max(peak, rssBytes),
      heapUsedBytes: process.memoryUsage().heapUsed,
      monotonicUs: Number(process.hrtime.bigint() / 1000n),
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats`;
}

export function announce(ready: ChildReady): void {
  // An orderly exit on SIGTERM, so that `--cpu-prof` writes its profile (a signal's default exit does not).
  process.once('SIGTERM', () => process.exit(0));
  process.send?.(ready);
}

/** A `pg` pool on DATABASE_URL whose statements are counted, for the servers that use no ORM (the floor, the bare stack). */
export function countedPool(): { query: (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>; statements: () => number } {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  let statements = 0;
  return {
    query: async (sql, params) => {
      statements += 1;
      return (await pool.query(sql, params)).rows as Array<Record<string, unknown>>;
    },
    statements: () => statements,
  };
}
