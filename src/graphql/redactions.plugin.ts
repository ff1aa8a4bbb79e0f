import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context';

/** Adds `extensions.redactions`: each hidden or masked path with its reason, for frontends to explain; counts them for /metrics. */
export const redactionsPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        contextValue.metrics.redactions(contextValue.privacy.redactions);
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, redactions: contextValue.privacy.redactions };
      },
    };
  },
};
