/**
 * The built server with tracing on, its spans kept in memory (test/ops/tracing.test.ts). A child
 * process: instrumentation patches modules through Node's require, which jest's module registry
 * bypasses. Parent → child messages: 'spans' (answered with the finished spans), 'stop'.
 */
const { tracing } = require('@opentelemetry/sdk-node');
const { startTracing } = require('../../dist/src/observability/tracing');

const exporter = new tracing.InMemorySpanExporter();
const telemetry = startTracing({ exporter });

require('reflect-metadata');
const { loadConfig } = require('../../dist/src/config');
const { openDatabase } = require('../../dist/src/db/orm');
const { startApp } = require('../../dist/src/http/app');
const { createLogger } = require('../../dist/src/logger');

const asJson = (span) => ({
  name: span.name,
  kind: span.kind,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId ?? null,
  scope: span.instrumentationScope.name,
  attributes: span.attributes,
  events: span.events,
  status: span.status,
  links: span.links,
  resource: span.resource.attributes,
});

(async () => {
  const config = loadConfig(process.env);
  const orm = await openDatabase(config.databaseUrl, {}, { requestTimeoutMs: config.limits.requestTimeoutMs });
  const app = await startApp({ config, orm, log: createLogger(config.logLevel) });
  process.on('message', async (message) => {
    if (message === 'spans') {
      await telemetry.forceFlush();
      process.send({ spans: exporter.getFinishedSpans().map(asJson) });
    } else if (message === 'stop') {
      await app.stop();
      await orm.close(true);
      await telemetry.shutdown();
      process.exit(0);
    }
  });
  process.send({ url: app.url });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
