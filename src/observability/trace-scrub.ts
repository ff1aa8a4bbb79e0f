/**
 * Spans leave the process only through this exporter, which keeps an allow-list of attributes
 * and rebuilds names, events and statuses from fixed vocabularies. Instrumentations record what
 * the caller sent (URL and query string, user agent, client address, Host header, the GraphQL
 * document, operation name and aliases, exception messages quoting values), and a new version may
 * record more: anything not listed here is dropped (fail closed).
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { core, tracing } from '@opentelemetry/sdk-node';

/** The operation by its schema root fields (src/observability/operation-label.ts), set on the request's HTTP span. */
export const OPERATION_ATTRIBUTE = 'kzpay.graphql.operation';

/** The paths this server answers; any other path is `other`, since a path is caller-chosen text. */
export const KNOWN_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

const SPAN_KIND_CLIENT = 2;

/**
 * SQL with every literal replaced by `?`: string constants ('…', E'…', $$…$$) and numbers. The
 * driver sends values as parameters ($1), so this only guards statements built with literals.
 */
export function scrubSql(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g, '?')
    .replace(/(?:\b[EeBbXxUu]&?)?'(?:[^']|'')*'?/g, '?')
    .replace(/(?<![\w$."])(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b/g, '?')
    .slice(0, 4000);
}

type Transform = (value: AttributeValue, span: tracing.ReadableSpan) => AttributeValue | undefined;
const keep: Transform = (value) => value;
const sql: Transform = (value) => (typeof value === 'string' ? scrubSql(value) : undefined);
/** Where the server itself connects (the database): on a server span the same keys hold the caller's Host header. */
const clientOnly: Transform = (value, span) => (span.kind === SPAN_KIND_CLIENT ? value : undefined);
const route: Transform = (value) => (typeof value === 'string' && KNOWN_ROUTES.has(value) ? value : 'other');

const ALLOWED: Partial<Record<string, Transform>> = {
  // HTTP (old and stable semantic conventions); http.route is set from KNOWN_ROUTES.
  'http.method': keep,
  'http.request.method': keep,
  'http.status_code': keep,
  'http.response.status_code': keep,
  'http.flavor': keep,
  'network.protocol.version': keep,
  'http.scheme': keep,
  'url.scheme': keep,
  'http.route': route,
  'error.type': keep,
  // GraphQL: the operation type; the label from the schema. Never the source, the operation name or paths.
  'graphql.operation.type': keep,
  [OPERATION_ATTRIBUTE]: keep,
  // PostgreSQL: the statement without literals, never the parameters.
  'db.system': keep,
  'db.system.name': keep,
  'db.name': keep,
  'db.namespace': keep,
  'db.user': keep,
  'db.operation': keep,
  'db.operation.name': keep,
  'db.statement': sql,
  'db.query.text': sql,
  'db.postgresql.idle.timeout.millis': keep,
  'db.postgresql.max.clients': keep,
  'net.peer.name': clientOnly,
  'net.peer.port': clientOnly,
  'server.address': clientOnly,
  'server.port': clientOnly,
};

function scrubAttributes(attributes: Attributes, span: tracing.ReadableSpan): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const transform = Object.hasOwn(ALLOWED, key) ? ALLOWED[key] : undefined;
    const scrubbed = transform && value !== undefined ? transform(value, span) : undefined;
    if (scrubbed !== undefined) kept[key] = scrubbed;
  }
  return kept;
}

const GRAPHQL_SPANS = new Set(['graphql.parse', 'graphql.validate', 'graphql.execute', 'graphql.resolve', 'graphql.validateSchema', 'graphql.parseSchema']);
const HTTP_NAME = /^([A-Z]{1,10})(?: (\/\S*))?$/;
const PG_NAME = /^pg(?:-pool)?\.(?:query|connect)(?::[A-Z]{1,12}(?: [A-Za-z0-9_.-]{1,63})?)?$/;

/** A span's name from fixed shapes: graphql-js's execute span is named after the caller's operation name, an HTTP span may carry a path. */
function scrubName(span: tracing.ReadableSpan): string {
  const { name } = span;
  if (GRAPHQL_SPANS.has(name) || PG_NAME.test(name)) return name;
  const operation = /^(query|mutation|subscription)\b/.exec(name);
  if (operation) return `graphql.execute ${operation[1]}`;
  const http = HTTP_NAME.exec(name);
  if (http) return http[2] === undefined ? http[1]! : `${http[1]} ${KNOWN_ROUTES.has(http[2]) ? http[2] : 'other'}`;
  return span.instrumentationScope.name;
}

/** Events keep their name when it is `exception` and only the exception's type: its message and stack quote values. */
function scrubEvents(events: tracing.TimedEvent[]): tracing.TimedEvent[] {
  return events.map((event) => {
    const type = event.attributes?.['exception.type'];
    return event.name === 'exception'
      ? { name: 'exception', time: event.time, attributes: typeof type === 'string' || typeof type === 'number' ? { 'exception.type': type } : {} }
      : { name: 'event', time: event.time };
  });
}

export function scrubSpan(span: tracing.ReadableSpan): tracing.ReadableSpan {
  return {
    name: scrubName(span),
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    // The code only: a status message is an error's text.
    status: { code: span.status.code },
    attributes: scrubAttributes(span.attributes, span),
    links: span.links.map((link) => ({ context: link.context })),
    events: scrubEvents(span.events),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

export class ScrubbingSpanExporter implements tracing.SpanExporter {
  constructor(private readonly inner: tracing.SpanExporter) {}

  export(spans: tracing.ReadableSpan[], done: (result: core.ExportResult) => void): void {
    this.inner.export(spans.map(scrubSpan), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
