/** Whether tracing is on, decided without loading the OpenTelemetry SDK. */
type Env = Record<string, string | undefined>;

export interface Tracing {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * On when an exporter is named (OTEL_TRACES_EXPORTER other than none) or an OTLP endpoint is
 * given; OTEL_SDK_DISABLED=true wins. Unlike the SDK's own default (otlp to localhost), nothing
 * set means no tracing.
 */
export function tracingEnabled(env: Env = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  const exporter = (env.OTEL_TRACES_EXPORTER ?? '').trim();
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}
