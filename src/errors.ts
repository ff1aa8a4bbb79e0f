/**
 * Every error the API returns is made here, with a stable `extensions.code`. Messages never carry
 * a personal value: a bad input names the field and the rule, not what was sent.
 */
import { GraphQLError } from 'graphql';

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extra, code } });
}

export const badInput = (field: string, rule: string): GraphQLError =>
  apiError('BAD_USER_INPUT', `Invalid value for ${field}: ${rule}`, { field });
export const unauthenticated = (message = 'Authentication required'): GraphQLError =>
  apiError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed for this caller'): GraphQLError => apiError('FORBIDDEN', message);
export const notFound = (what: string): GraphQLError => apiError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string): GraphQLError => apiError('CONFLICT', message);
