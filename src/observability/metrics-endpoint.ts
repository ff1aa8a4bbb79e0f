/**
 * Where `/metrics` is served: on its own listener when METRICS_PORT is set (never then on the
 * public port), on the public port outside production, and nowhere in production without
 * METRICS_PORT. The metrics carry no personal value, but request counts, refusals and pool
 * figures are for the platform team, not for every caller.
 */
import type { Express, Request, Response } from 'express';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import type { Metrics } from './metrics';

export interface MetricsEndpoint {
  /** The URL of the separate listener; null when /metrics is on the public port or off. */
  readonly url: string | null;
  close(): Promise<void>;
}

async function answer(metrics: Metrics, res: ServerResponse | Response): Promise<void> {
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(text);
}

export async function exposeMetrics(app: Express, config: Pick<Config, 'env' | 'metricsPort'>, metrics: Metrics): Promise<MetricsEndpoint> {
  if (config.metricsPort === null) {
    if (config.env !== 'production') app.get('/metrics', (_req: Request, res: Response) => void answer(metrics, res));
    return { url: null, close: async () => undefined };
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://metrics').pathname === '/metrics') {
      answer(metrics, res).catch(() => {
        res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metricsPort!, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
