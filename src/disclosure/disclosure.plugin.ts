/**
 * Writes the request's disclosures to the log before the response leaves: Apollo awaits
 * `willSendResponse` before it serialises the body. If the write fails, the response carries no
 * personal value at all (fail closed): `data` becomes null and an error says why.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorCode } from '../errors';
import type { RequestContext } from '../graphql/context';
import { sha256 } from './chain';
import { appendDisclosures } from './disclosure-log';

const UNAVAILABLE: ErrorCode = 'DISCLOSURE_LOG_UNAVAILABLE';

export const disclosurePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue, request, operationName }) {
        const pending = contextValue.privacy.disclosures.take();
        if (pending.length === 0) return;
        try {
          await appendDisclosures(contextValue.em, pending, {
            operationName: operationName ?? request.operationName ?? null,
            queryHash: request.query ? sha256(request.query) : null,
            requestId: contextValue.requestId,
          });
        } catch (error) {
          contextValue.log.error({ errorName: error instanceof Error ? error.name : typeof error, code: (error as { code?: unknown })?.code, entries: pending.length }, 'disclosure log write failed');
          // Incremental delivery (@defer) is not enabled with graphql 16: every response is single.
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.data = null;
          result.errors = [...(result.errors ?? []), { message: 'The disclosure log cannot be written: personal data withheld', extensions: { code: UNAVAILABLE } }];
          response.http.status = 503;
        }
      },
    };
  },
};
