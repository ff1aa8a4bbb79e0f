/**
 * OpenTelemetry traces (HTTP, GraphQL, PostgreSQL), off unless the standard variables turn them
 * on; loaded by src/observability/tracing-init.ts before anything it instruments. Every span
 * leaves through ScrubbingSpanExporter (src/observability/trace-scrub.ts).
 */
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { IncomingMessage } from 'node:http';
import { KNOWN_ROUTES, ScrubbingSpanExporter } from './trace-scrub';
import type { Tracing } from './tracing-switch';

type Env = Record<string, string | undefined>;

/** Paths probed every few seconds: a span each would drown the traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const pathOf = (request: { url?: string }): string => new URL(request.url ?? '/', 'http://server').pathname;

export class TracingConfigError extends Error {}

/** The exporter OTEL_TRACES_EXPORTER and OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL name; the OTLP exporters read their own endpoint and headers. */
function exporterFromEnv(env: Env): tracing.SpanExporter {
  const name = (env.OTEL_TRACES_EXPORTER ?? '').trim() || 'otlp';
  if (name === 'console') return new tracing.ConsoleSpanExporter();
  if (name !== 'otlp') throw new TracingConfigError('OTEL_TRACES_EXPORTER must be otlp, console or none');
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim() || 'http/protobuf';
  if (protocol === 'http/protobuf') return new ProtobufExporter();
  if (protocol === 'http/json') return new JsonExporter();
  if (protocol === 'grpc') return new GrpcExporter();
  throw new TracingConfigError('OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf, http/json or grpc');
}

/** Starts the SDK; `exporter` replaces the one from the environment (tests pass an in-memory one). */
export function startTracing(options: { env?: Env; exporter?: tracing.SpanExporter } = {}): Tracing {
  const env = options.env ?? process.env;
  const exporter = new ScrubbingSpanExporter(options.exporter ?? exporterFromEnv(env));
  const processor = options.exporter ? new tracing.SimpleSpanProcessor(exporter) : new tracing.BatchSpanProcessor(exporter);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'kzpay-privacy-graph',
    spanProcessors: [processor],
    // Traces only: metrics are Prometheus' (/metrics), logs pino's.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request)),
        requestHook: (span, request) => {
          if (!(request instanceof IncomingMessage)) return;
          const path = pathOf(request);
          span.setAttribute('http.route', KNOWN_ROUTES.has(path) ? path : 'other');
        },
      }),
      // Values, resolver spans (one per field of every row) and the document stay out.
      new GraphQLInstrumentation({ allowValues: false, ignoreResolveSpans: true, ignoreTrivialResolveSpans: true, mergeItems: true, depth: 0 }),
      // Statements without their parameters, and only inside a traced request (not the pool's housekeeping).
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, addSqlCommenterCommentToQueries: false }),
    ],
  });
  sdk.start();
  return { forceFlush: () => processor.forceFlush(), shutdown: () => sdk.shutdown() };
}
