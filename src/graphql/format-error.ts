/**
 * The one place errors leave the server: a stable code, a message without personal values, no
 * stack trace, no SQL. Anything unexpected becomes INTERNAL_SERVER_ERROR and is logged by name only.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ERROR_CODES } from '../errors';

const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'INTROSPECTION_DISABLED',
]);
const KNOWN_CODES = new Set<string>([...ERROR_CODES, ...APOLLO_CODES]);

/** graphql-js echoes offending input in coercion and validation messages; cut the values out. */
export function withoutValues(message: string): string {
  return message
    .replace(/got invalid value [\s\S]*?(; | at "|$)/g, (_m, tail: string) => `got invalid value${tail === '; ' ? '; ' : tail}`)
    .replace(/(cannot represent[^:]*): [\s\S]*$/i, '$1.')
    .replace(/(found|value) "(?:[^"\\]|\\.)*"/g, '$1 <value>')
    .replace(/(found|value) [^\s.;,]+(?=[.;,]|$)/g, '$1 <value>')
    .slice(0, 300);
}

export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = String(formatted.extensions?.code ?? '');
    if (original instanceof GraphQLError && KNOWN_CODES.has(code)) {
      const field = formatted.extensions?.field;
      return {
        message: withoutValues(formatted.message),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code, ...(typeof field === 'string' ? { field } : {}), ...(formatted.extensions?.reason ? { reason: formatted.extensions.reason } : {}) },
      };
    }
    const name = original instanceof Error ? original.name : typeof original;
    log.error({ errorName: name, code: (original as { code?: unknown })?.code, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
