/**
 * Writes the request's disclosures to the log before the response leaves: Apollo awaits
 * `willSendResponse` before it serialises the body. If the write fails, the response carries no
 * personal value at all (fail closed): `data` becomes null and an error says why.
 *
 * Past the request deadline (src/http/limits-request.ts) no transaction of the request may start
 * or commit, so the log write fails and nothing is logged: either the deadline has already answered
 * REQUEST_TIMEOUT (the data never left) or this response is the answer, and it is withheld here.
 */
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ErrorCode } from '../errors';
import type { RequestContext } from '../graphql/context';
import type { PendingDisclosure } from './batch';
import { sha256 } from './chain';
import { appendDisclosures } from './disclosure-log';

const UNAVAILABLE: ErrorCode = 'DISCLOSURE_LOG_UNAVAILABLE';
const WITHHELD: GraphQLFormattedError = { message: 'The disclosure log cannot be written: personal data withheld', extensions: { code: UNAVAILABLE } };

/** Replaces the body by one without data, whatever its kind: an incremental body would still stream values. */
export function withholdData(response: GraphQLResponse, why: { error: GraphQLFormattedError; status: number } = { error: WITHHELD, status: 503 }): void {
  const body = response.body;
  const earlier = body.kind === 'single' ? body.singleResult : body.initialResult;
  response.body = { kind: 'single', singleResult: { errors: [...(earlier.errors ?? []), why.error], data: null, ...(earlier.extensions ? { extensions: earlier.extensions } : {}) } };
  response.http.status = why.status;
}

/** The grant ended while the request ran (re-checked by the log's append, src/disclosure/disclosure-log.ts): nothing leaves. */
const revokedMeanwhile = (error: unknown): error is GraphQLError => error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED';

/** The value at a response path ("a.b.0.c"), undefined where the path does not reach. */
function valueAt(data: unknown, path: string): unknown {
  let at: unknown = data;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * Only what the response carries: a resolved value can still be nulled on its way out, when an
 * error in a sibling field propagates to a parent, and the log must not claim it left. An entry
 * opened without fields (an access export) stays while there is data: the export itself is what it
 * records, and its root field is non-null, so a response without data did not carry it.
 */
function servedOnly(pending: PendingDisclosure[], response: GraphQLResponse): PendingDisclosure[] {
  if (response.body.kind !== 'single') return pending;
  const { data, errors } = response.body.singleResult;
  // Only an error nulls a resolved value on its way out (and is reported): without one, all of them left.
  if (!errors?.length) return pending;
  return pending.flatMap((entry) => {
    if (entry.fields.length === 0) return data == null ? [] : [entry];
    const fields = entry.fields.filter((field) => valueAt(data, field.path) != null);
    return fields.length > 0 ? [{ ...entry, fields }] : [];
  });
}

const pastDeadline = (error: unknown) => (error as { extensions?: { code?: unknown } })?.extensions?.code === 'REQUEST_TIMEOUT';

export const disclosurePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      // The source as executed (persisted queries included): the query the log proves by its hash,
      // hashed only when an entry is written (most requests log nothing).
      async didResolveOperation({ contextValue, source, operationName }) {
        let queryHash: string | undefined;
        contextValue.privacy.query = {
          operationName: operationName ?? null,
          get queryHash() {
            return (queryHash ??= sha256(source));
          },
        };
      },
      async willSendResponse({ response, contextValue }) {
        const pending = servedOnly(contextValue.privacy.disclosures.take(), response);
        if (pending.length === 0) return;
        try {
          await appendDisclosures(contextValue.em, pending, { ...contextValue.privacy.query, requestId: contextValue.requestId }, contextValue.config.limits);
          contextValue.metrics.disclosuresLogged(pending);
        } catch (error) {
          const { metrics } = contextValue;
          if (revokedMeanwhile(error)) {
            metrics.disclosureLogFailed('GRANT_ENDED');
            contextValue.log.warn({ entries: pending.length }, 'grant ended during the request; data withheld');
            withholdData(response, { error: { message: error.message, extensions: { code: 'UNAUTHENTICATED' } }, status: 401 });
            return;
          }
          metrics.disclosureLogFailed(pastDeadline(error) ? 'DEADLINE' : 'WRITE_FAILED');
          if (pastDeadline(error)) contextValue.log.warn({ entries: pending.length }, 'disclosure log not written: the request deadline passed; data withheld');
          else contextValue.log.error({ errorName: error instanceof Error ? error.name : typeof error, code: (error as { code?: unknown })?.code, entries: pending.length }, 'disclosure log write failed');
          withholdData(response);
        }
      },
    };
  },
};
