/**
 * Every error the API returns is made here, with a stable `extensions.code`. Messages never carry
 * a personal value: a bad input names the field and the rule, not what was sent.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
  /** Login with the right password after suspected compromise (P7); carries `extensions.resetToken`. */
  'PASSWORD_CHANGE_REQUIRED',
  /** Login refused by brute-force protection, whether or not the login exists. */
  'TOO_MANY_ATTEMPTS',
  /** Hostile-input limits (src/http/limits.ts); HTTP 400 unless noted. */
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_COMPLEX',
  /** HTTP 413. */
  'PAYLOAD_TOO_LARGE',
  /** HTTP 429 with Retry-After, per IP and per principal (src/http/rate-limit.ts). */
  'RATE_LIMITED',
  /** HTTP 503: the request ran out of time and nothing it tried to write was committed. */
  'REQUEST_TIMEOUT',
  /** HTTP 503 with Retry-After: the database cannot be reached. */
  'SERVICE_UNAVAILABLE',
  /** HTTP 503: the disclosure log could not be written, so the response carries no personal value (P5). */
  'DISCLOSURE_LOG_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** BAD_REQUEST is Apollo's code for a request it cannot serve; the HTTP layer uses it too. */
export function apiError(code: ErrorCode | 'BAD_REQUEST', message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extra, code } });
}

export const badInput = (field: string, rule: string, extra: Record<string, unknown> = {}): GraphQLError =>
  apiError('BAD_USER_INPUT', `Invalid value for ${field}: ${rule}`, { ...extra, field });
export const unauthenticated = (message = 'Authentication required'): GraphQLError =>
  apiError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed for this caller'): GraphQLError => apiError('FORBIDDEN', message);
export const notFound = (what: string): GraphQLError => apiError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string): GraphQLError => apiError('CONFLICT', message);

export const RETRY_AFTER_SECONDS = '5';

const unavailable = (message: string): GraphQLError =>
  apiError('SERVICE_UNAVAILABLE', message, { http: { status: 503, headers: new HeaderMap([['retry-after', RETRY_AFTER_SECONDS]]) } });

/** The error for a database that cannot be reached; HTTP 503 is set by `errorStatusPlugin`. */
export const databaseUnavailable = (): GraphQLError => unavailable('The service is temporarily unavailable; retry later');

/** The error for work refused while the server is saturated (the password hashing queue is full). */
export const serviceBusy = (): GraphQLError => unavailable('The service is busy; retry later');
