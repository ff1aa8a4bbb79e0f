import type { GraphQLResponse } from '@apollo/server';
import type { Response } from 'express';
import { ANSWERED_CODE } from '../http/limits-response';

/**
 * How a /graphql request ended: `ok`, the first error's code, `ABORTED` when the caller left first.
 * An answer decided before the operation ran (a limit, the deadline, a refused token) wins: Apollo's
 * plugins never saw it, or their answer never left.
 */
export function requestOutcome(res: Response, response: GraphQLResponse | null): string {
  const answered = res.locals[ANSWERED_CODE] as unknown;
  if (typeof answered === 'string') return answered;
  if (!res.writableFinished) return 'ABORTED';
  // Apollo's own refusals of a malformed HTTP request (CSRF, no query) run no plugin.
  if (!response) return res.statusCode < 400 ? 'ok' : res.statusCode < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
  const body = response.body;
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  const code = errors?.[0]?.extensions?.code;
  return errors?.length ? (typeof code === 'string' ? code : 'OTHER') : 'ok';
}
