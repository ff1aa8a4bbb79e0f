/**
 * The HTTP server: /graphql (Apollo on express), /healthz and /readyz. A request's path:
 * context (who is calling) → shield (may they call this operation) → resolver → per-request
 * loader → @pii guard (what may they see) → redactions in the response.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createAuthenticator } from '../auth/authenticate';
import { limitPasswordHashing } from '../auth/password';
import { serializeCookie } from '../auth/cookies';
import type { Config } from '../config';
import { createRequestContext, type RequestContext } from '../graphql/context';
import { disclosurePlugin } from '../disclosure/disclosure.plugin';
import { compiledExecution } from '../graphql/compiled-execution';
import { createFormatError, errorStatusPlugin } from '../graphql/format-error';
import { redactionsPlugin } from '../graphql/redactions.plugin';
import { buildApiSchema, type SchemaOptions } from '../graphql/schema';
import { apolloLogger } from '../logger';
import { wellFormedInputPlugin } from '../validation/well-formed-input';
import { createMetrics, type Metrics } from '../observability/metrics';
import { exposeMetrics } from '../observability/metrics-endpoint';
import { privacyCenter, PRIVACY_CENTER_PATH } from '../web/privacy-center';
import { createHardening } from './limits';
import { corsMiddleware } from './cors';
import { explorerRouter } from './explorer';
import { answerClientError, sendError } from './limits-response';
import { listen } from './listen';
import { clientAddress } from './rate-limit';
import { inSeries } from './series';

export interface RunningApp {
  readonly url: string;
  readonly server: Server;
  readonly metrics: Metrics;
  /** /metrics on its own listener (METRICS_PORT); null when it is served beside /graphql, or off. */
  readonly metricsUrl: string | null;
  stop(): Promise<void>;
}

/** A caller's own X-Request-Id, kept only as a correlation id for its logs: never as our request id. */
// A UUID only: free text from a header would reach every log line, and could carry anything.
const CORRELATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const READINESS_CACHE_MS = 1000;

async function databaseAnswers(orm: MikroORM): Promise<boolean> {
  const check = orm.em.getConnection().execute('select 1').then(() => true, () => false);
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  return Promise.race([check, timeout]);
}

/** /readyz runs at most one `select 1` per second, however often it is called: it cannot load the database. */
function readiness(orm: MikroORM): () => Promise<boolean> {
  let last: { at: number; answer: Promise<boolean> } | null = null;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= READINESS_CACHE_MS) last = { at: now, answer: databaseAnswers(orm) };
    return last.answer;
  };
}

/** The host part of the server's URL: `localhost` when it listens on every interface. */
function urlHost(host: string | null): string {
  if (host === null || host === '0.0.0.0' || host === '::') return 'localhost';
  return isIP(host) === 6 ? `[${host}]` : host;
}

export async function startApp(options: {
  config: Config;
  orm: MikroORM;
  log: Logger;
  port?: number;
  schema?: SchemaOptions;
  /** Shared with the job scheduler by `npm start`; a fresh registry otherwise. */
  metrics?: Metrics;
}): Promise<RunningApp> {
  const { config, orm, log } = options;
  const metrics = options.metrics ?? createMetrics();
  metrics.observePool('requests', orm);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const server = createServer(app);
  server.on('clientError', answerClientError);
  const hardening = await createHardening({ config, log, orm, metrics });
  limitPasswordHashing(config.passwordHashQueue);
  const schema = await buildApiSchema(options.schema);
  const authenticate = createAuthenticator(config);
  const apollo = new ApolloServer<RequestContext>({
    // The schema comes through the gateway interface, Apollo's only way to replace execution: queries run compiled.
    gateway: compiledExecution(schema),
    introspection: config.env !== 'production',
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries are off (docs/hardening.md): any `persistedQuery` extension is
    // PERSISTED_QUERY_NOT_SUPPORTED, on which Apollo Client's link sends the full query instead.
    persistedQueries: false,
    csrfPrevention: true,
    // main.ts owns shutdown (drain, close the ORM, stop the database): Apollo must not race it.
    stopOnTerminationSignals: false,
    formatError: createFormatError(log, schema, { suggestions: config.env !== 'production' }),
    logger: apolloLogger(log),
    validationRules: hardening.validationRules,
    parseOptions: hardening.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // No cache hints are set anywhere; on by default, it would wrap every field's resolver to read them.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo installs inline tracing (for a federated subgraph, which this is not) unless told: a call per request for nothing.
      ApolloServerPluginInlineTraceDisabled(),
      wellFormedInputPlugin,
      ApolloServerPluginLandingPageDisabled(),
      // The benchmark's baseline (bench/server.ts) also drops the redaction report and the disclosure log.
      ...(options.schema?.enforcement === false ? [] : [redactionsPlugin, disclosurePlugin]),
      errorStatusPlugin,
      ...hardening.plugins,
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(PRIVACY_CENTER_PATH, privacyCenter());
  const ready = readiness(orm);
  app.get('/readyz', async (_req, res) => {
    const ok = await ready();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  app.use('/graphql', corsMiddleware(config.corsOrigins));
  // GraphiQL in development; Apollo's own landing page (loaded from a CDN) is off everywhere.
  if (config.env !== 'production') app.use(explorerRouter());
  app.use(
    '/graphql',
    inSeries(
      (req, res, next) => {
        // The disclosure log and our logs key on this id: always ours, so a caller cannot forge or reuse one.
        res.locals.requestId = randomUUID();
        const given = req.get('x-request-id');
        res.locals.correlationId = given && CORRELATION_ID.test(given) ? given : null;
        res.set({ 'x-request-id': res.locals.requestId, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        next();
      },
      ...hardening.beforeBody,
      hardening.bodyParser,
      hardening.graphql(apollo, {
        context: async ({ req, res }) => {
          const em = orm.em.fork();
          // Resolvers may set a cookie, nothing else on the response.
          const http = { setCookie: (...args: Parameters<typeof serializeCookie>) => void res.append('Set-Cookie', serializeCookie(...args)) };
          const principal = await authenticate({ authorization: req.get('authorization'), cookie: req.get('cookie') }, em, http);
          const requestId = String(res.locals.requestId);
          return createRequestContext({
            principal,
            em,
            requestId,
            origin: { userAgent: req.get('user-agent') ?? null, ip: clientAddress(req) },
            http,
            config,
            metrics,
            log: () => log.child({ requestId, ...(res.locals.correlationId ? { correlationId: res.locals.correlationId } : {}) }),
          });
        },
      }),
    ),
  );

  const metricsEndpoint = await exposeMetrics(app, config, metrics);
  // Express's own 404 is an HTML page quoting the path: a fixed JSON answer instead.
  app.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'Not found', {}, { 'x-content-type-options': 'nosniff' }));
  app.use(hardening.errors);

  await listen(server, options.port ?? config.port, config.host).catch(async (error: unknown) => {
    await apollo.stop();
    await hardening.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(config.host)}:${port}/graphql`,
    server,
    metrics,
    metricsUrl: metricsEndpoint.url,
    stop: async () => {
      await apollo.stop();
      await hardening.close();
      await metricsEndpoint.close();
    },
  };
}
