/**
 * The HTTP server: /graphql (Apollo on express), /healthz and /readyz. A request's path:
 * context (who is calling) → shield (may they call this operation) → resolver → per-request
 * loader → @pii guard (what may they see) → redactions in the response.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createTokenVerifier } from '../auth/tokens';
import type { Config } from '../config';
import { apiError } from '../errors';
import { createRequestContext, type RequestContext } from '../graphql/context';
import { createFormatError } from '../graphql/format-error';
import { redactionsPlugin } from '../graphql/redactions.plugin';
import { buildApiSchema, type SchemaOptions } from '../graphql/schema';

export interface RunningApp {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

async function databaseAnswers(orm: MikroORM): Promise<boolean> {
  const check = orm.em.getConnection().execute('select 1').then(() => true, () => false);
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  return Promise.race([check, timeout]);
}

export async function startApp(options: {
  config: Config;
  orm: MikroORM;
  log: Logger;
  port?: number;
  schema?: SchemaOptions;
}): Promise<RunningApp> {
  const { config, orm, log } = options;
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  const verify = createTokenVerifier(config.jwt);
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildApiSchema(options.schema),
    introspection: config.env !== 'production',
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    formatError: createFormatError(log),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server }), redactionsPlugin],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await databaseAnswers(orm);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  app.use(
    '/graphql',
    (req, res, next) => {
      const given = req.get('x-request-id');
      res.locals.requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
      res.set({ 'x-request-id': res.locals.requestId, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      next();
    },
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const header = req.get('authorization');
        let principal = null;
        if (header) {
          const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
          if (!match?.[1]) throw apiError('UNAUTHENTICATED', 'Malformed Authorization header', { http: { status: 401 } });
          principal = await verify(match[1]).catch(() => {
            throw apiError('UNAUTHENTICATED', 'Invalid or expired token', { http: { status: 401 } });
          });
        }
        const requestId = String(res.locals.requestId);
        return createRequestContext({
          principal,
          em: orm.em.fork(),
          requestId,
          origin: { userAgent: req.get('user-agent') ?? null, ip: req.socket.remoteAddress ?? null },
          config,
          log: log.child({ requestId }),
        });
      },
    }),
  );

  await new Promise<void>((resolve) => server.listen(options.port ?? config.port, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    server,
    stop: () => apollo.stop(),
  };
}
