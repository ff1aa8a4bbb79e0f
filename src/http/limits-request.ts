/**
 * Per-request scope: a deadline, the outcome of its writes, and one access-log line. The scope
 * lives in AsyncLocalStorage, so the ORM's transaction hooks see the request they belong to
 * without every resolver passing it along.
 *
 * The deadline's promise: REQUEST_TIMEOUT means nothing was written. Once the deadline passes, no
 * transaction of the request may start or commit (the ORM rolls it back); if a commit was already
 * under way or done, the caller must learn its outcome, so the real answer is awaited instead.
 */
import type { EventSubscriber } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { apiError } from '../errors';
import { trace } from '@opentelemetry/api';
import type { Metrics } from '../observability/metrics';
import { operationLabel } from '../observability/operation-label';
import { requestOutcome } from '../observability/request-outcome';
import { OPERATION_ATTRIBUTE } from '../observability/trace-scrub';
import { sendError } from './limits-response';

interface RequestScope {
  timedOut: boolean;
  writes: 'none' | 'committing' | 'committed';
  operationName: string | null;
  /** The operation by its root fields, for metrics: free of the caller's own text. */
  operation: string | null;
  /** Apollo's answer, read once the request has closed, when every plugin has had its say. */
  response: GraphQLResponse | null;
}

const scopes = new AsyncLocalStorage<RequestScope>();
const SCOPE = 'requestScope';

export const requestTimedOut = () => apiError('REQUEST_TIMEOUT', 'The request ran out of time; nothing was written');

/** Whether the deadline of the request this is called in (if any) has passed, asked later. */
export function deadlineOfThisRequest(): () => boolean {
  const scope = scopes.getStore();
  return () => scope?.timedOut ?? false;
}

/** Refuses to start or commit a transaction for a request past its deadline. */
const deadlineSubscriber: EventSubscriber = {
  beforeTransactionStart() {
    if (scopes.getStore()?.timedOut) throw requestTimedOut();
  },
  beforeTransactionCommit() {
    const scope = scopes.getStore();
    if (!scope) return;
    if (scope.timedOut) throw requestTimedOut();
    scope.writes = 'committing';
  },
  afterTransactionCommit() {
    const scope = scopes.getStore();
    if (scope) scope.writes = 'committed';
  },
  afterTransactionRollback() {
    const scope = scopes.getStore();
    if (scope?.writes === 'committing') scope.writes = 'none';
  },
};

const guarded = new WeakSet<object>();

export function guardTransactions(orm: MikroORM): void {
  const events = orm.em.getEventManager();
  if (guarded.has(events)) return;
  events.registerSubscriber(deadlineSubscriber);
  guarded.add(events);
}

/** Records the resolved operation for the access log (its name) and the metrics (its root fields), and the answer's outcome. */
export const operationNamePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName, schema, document, operation, request }) {
        const scope = scopes.getStore();
        if (!scope) return;
        // The caller's own name: digit runs (an IIN, a phone) are cut before it reaches the log.
        scope.operationName = operationName?.slice(0, 64).replace(/\d{3,}/g, '#') ?? null;
        scope.operation = operation ? operationLabel(schema, document, operation, request.variables ?? {}) : null;
        // On the request's HTTP span, when tracing is on (a no-op otherwise).
        if (scope.operation) trace.getActiveSpan()?.setAttribute(OPERATION_ATTRIBUTE, scope.operation);
      },
      async willSendResponse({ response }) {
        const scope = scopes.getStore();
        if (scope) scope.response = response;
      },
    };
  },
};

export function requestScope(options: { timeoutMs: number; log: Logger; metrics: Pick<Metrics, 'requestFinished'> }): RequestHandler {
  const { timeoutMs, log, metrics } = options;
  return (req, res, next) => {
    const scope: RequestScope = { timedOut: false, writes: 'none', operationName: null, operation: null, response: null };
    const started = performance.now();
    const timer = setTimeout(() => {
      scope.timedOut = true;
      if (scope.writes === 'none') {
        sendError(res, 503, 'REQUEST_TIMEOUT', `The request took longer than ${timeoutMs} ms; nothing was written`, { limit: timeoutMs });
      }
    }, timeoutMs);
    // It answers a request on a listening server, which keeps the process alive anyway; on its own
    // (a server closed with a request in flight) it must not hold a process or a test worker open.
    timer.unref();
    res.on('close', () => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      metrics.requestFinished({ operation: scope.operation, outcome: requestOutcome(res, scope.response), seconds });
      log.info(
        {
          requestId: res.locals.requestId,
          correlationId: res.locals.correlationId ?? undefined,
          method: req.method,
          operation: scope.operationName,
          status: res.writableFinished ? res.statusCode : null,
          aborted: !res.writableFinished,
          timedOut: scope.timedOut,
          durationMs: Math.round(seconds * 10_000) / 10,
        },
        'request',
      );
    });
    res.locals[SCOPE] = scope;
    next();
  };
}

/**
 * Runs `work` inside the request's scope. Entered at the GraphQL handler, not in `requestScope`:
 * body-parser resumes the chain from a stream event, which would have lost the scope.
 */
export function withinScope<T>(res: Response, work: () => Promise<T>): Promise<T> {
  const scope = res.locals[SCOPE] as RequestScope | undefined;
  return scope ? scopes.run(scope, work) : work();
}
