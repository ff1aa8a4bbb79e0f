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
import type { GraphQLFormattedError } from 'graphql';
import type { ErrorCode } from '../errors';
import type { RequestContext } from '../graphql/context';
import { sha256 } from './chain';
import { appendDisclosures } from './disclosure-log';

const UNAVAILABLE: ErrorCode = 'DISCLOSURE_LOG_UNAVAILABLE';
const WITHHELD: GraphQLFormattedError = { message: 'The disclosure log cannot be written: personal data withheld', extensions: { code: UNAVAILABLE } };

/** Replaces the body by one without data, whatever its kind: an incremental body would still stream values. */
export function withholdData(response: GraphQLResponse): void {
  const body = response.body;
  const earlier = body.kind === 'single' ? body.singleResult : body.initialResult;
  response.body = { kind: 'single', singleResult: { errors: [...(earlier.errors ?? []), WITHHELD], data: null, ...(earlier.extensions ? { extensions: earlier.extensions } : {}) } };
  response.http.status = 503;
}

const pastDeadline = (error: unknown) => (error as { extensions?: { code?: unknown } })?.extensions?.code === 'REQUEST_TIMEOUT';

export const disclosurePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      // The source as executed (persisted queries included): the query the log proves by its hash.
      async didResolveOperation({ contextValue, source, operationName }) {
        contextValue.privacy.query = { operationName: operationName ?? null, queryHash: sha256(source) };
      },
      async willSendResponse({ response, contextValue }) {
        const pending = contextValue.privacy.disclosures.take();
        if (pending.length === 0) return;
        try {
          await appendDisclosures(contextValue.em, pending, { ...contextValue.privacy.query, requestId: contextValue.requestId }, contextValue.config.limits);
        } catch (error) {
          if (pastDeadline(error)) contextValue.log.warn({ entries: pending.length }, 'disclosure log not written: the request deadline passed; data withheld');
          else contextValue.log.error({ errorName: error instanceof Error ? error.name : typeof error, code: (error as { code?: unknown })?.code, entries: pending.length }, 'disclosure log write failed');
          withholdData(response);
        }
      },
    };
  },
};
