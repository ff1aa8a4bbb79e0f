/**
 * Queries run as functions compiled by graphql-jit instead of graphql-js's interpreter
 * (docs/bench.md). Wired through Apollo's gateway interface, its only way to replace execution:
 * unlike a plugin's `responseForOperation`, Apollo then still maps, reports and formats the
 * result's errors (formatError, the HTTP status) exactly as for its own execution.
 */
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema, type Source, type SourceLocation } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<Record<string, unknown>>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** `null`: the operation runs on graphql-js (a mutation, or a document graphql-jit refused). */
type Compiled = CompiledQuery | null;

/** Whether OpenTelemetry's graphql instrumentation wraps `execute`: its span must stay in the trace. */
const instrumented = (fn: unknown): boolean => (fn as { __wrapped?: unknown }).__wrapped === true;

/** The character offset of a line and column in the document's text (graphql-js's getLocation, inverted). */
function offsetOf(body: string, { line, column }: SourceLocation): number {
  const lineStart = /\r\n|[\n\r]/g;
  let start = 0;
  for (let n = 1; n < line && lineStart.exec(body); n += 1) start = lineStart.lastIndex;
  return start + column - 1;
}

/**
 * graphql-jit's error as graphql-js's `locatedError` would have made it: a GraphQLError whose
 * original error is what the resolver threw (or the plain Error graphql-js raises for a null in a
 * non-null field), so formatError and Apollo see the same chain, extensions and locations.
 */
function asGraphQLJsError(error: GraphQLError, source: Source | undefined): GraphQLError {
  const original = error.originalError;
  if (original instanceof GraphQLError && Array.isArray(original.path)) return original;
  return new GraphQLError(error.message, {
    source,
    positions: source ? error.locations?.map((location) => offsetOf(source.body, location)) : undefined,
    path: error.path,
    originalError: original ?? new Error(error.message),
  });
}

/** A document graphql-jit cannot compile (it throws on some) is left to graphql-js. */
function compileOrNull(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult | null {
  try {
    return compileQuery(schema, document, operationName ?? undefined);
  } catch {
    return null;
  }
}

export function compiledExecution(schema: GraphQLSchema): Gateway {
  // Apollo hands every request of one query text the same parsed document (its document store),
  // so a compiled query lives exactly as long as its document; keyed further by operation name.
  const compiled = new WeakMap<DocumentNode, Map<string | null, Compiled>>();
  const compile = (document: DocumentNode, operationName: string | null, kind: string): Compiled => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let query = byName.get(operationName);
    if (query === undefined) {
      // Mutations and subscriptions keep graphql-js: they are not the read path this is for.
      const result = kind === 'query' ? compileOrNull(schema, document, operationName) : null;
      query = result && isCompiledQuery(result) ? result : null;
      byName.set(operationName, query);
    }
    return query;
  };

  const executor: Executor = async ({ document, operation, operationName, request, context }) => {
    const variableValues = request.variables;
    const graphqlJs = () => execute({ schema, document, contextValue: context, variableValues, operationName: request.operationName });
    // No operation resolved (a wrong operationName): graphql-js's refusal is the answer Apollo expects.
    const resolved = operation as typeof operation | undefined;
    const query = resolved && !instrumented(execute) ? compile(document, operationName, resolved.operation) : null;
    if (!query) return graphqlJs();
    const result: ExecutionResult = await query.query(undefined, context, variableValues);
    // No data: the variables were refused before any resolver ran; graphql-js words that refusal.
    if (result.data === undefined) return graphqlJs();
    if (!result.errors) return result;
    return { data: result.data, errors: result.errors.map((error) => asGraphQLJsError(error, document.loc?.source)) };
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}
