/**
 * Imported first by src/main.ts: instrumentation patches `http`, `pg` and `graphql` only when it is
 * in place before they are loaded. With tracing off (the default) the SDK is not even loaded.
 */
import { tracingEnabled, type Tracing } from './tracing-switch';

function start(): Tracing | null {
  if (!tracingEnabled()) return null;
  // Synchronous on purpose: the modules main.ts imports next must find the instrumentation in place.
  const { startTracing, TracingConfigError } = require('./tracing') as typeof import('./tracing');
  try {
    return startTracing();
  } catch (error) {
    if (!(error instanceof TracingConfigError)) throw error;
    console.error(`Invalid configuration:\n  - ${error.message}`);
    process.exit(1);
  }
}

export const tracing = start();
