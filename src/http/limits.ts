/**
 * Hostile-input limits around /graphql (docs/hardening.md): document size (tokens, depth,
 * aliases, directives, cost), body size, a deadline per request, rate limits per IP and per
 * principal. Every refusal carries a stable `extensions.code`.
 */
import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import {
  Kind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { parse as parseUrl } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { apiError, databaseUnavailable, type ErrorCode } from '../errors';
import { isDatabaseUnavailable } from '../db/outage';
import type { Metrics } from '../observability/metrics';
import { rootFieldsOf } from '../observability/operation-label';
import { guardTransactions, operationNamePlugin, requestScope, withinScope } from './limits-request';
import { noteAnswer, sendError } from './limits-response';
import { createRateLimiter, ipLimitKey, type RateLimiter } from './rate-limit';

type Limits = Config['limits'];

const refuse = (code: ErrorCode, message: string, limit: number) => (context: ValidationContext | null) =>
  context?.reportError(apiError(code, message, { limit, http: { status: 400 } }));

/** Depth, aliases and directives as validation rules. */
function armor(limits: Limits): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin[] } {
  const { validationRules, plugins } = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [refuse('QUERY_TOO_DEEP', `Query depth exceeds the limit of ${limits.maxDepth}`, limits.maxDepth)],
    },
    maxAliases: {
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [refuse('TOO_MANY_ALIASES', `Query has more than ${limits.maxAliases} aliases`, limits.maxAliases)],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [refuse('TOO_MANY_DIRECTIVES', `Query has more than ${limits.maxDirectives} directives`, limits.maxDirectives)],
    },
    // Cost needs the variables (`first: $n`), so it runs once the operation is known: costPlugin.
    costLimit: { enabled: false },
    // graphql-js counts tokens while it parses (parseOptions.maxTokens): one parse, not two.
    maxTokens: { enabled: false },
    // Its pattern misses enum suggestions; formatError drops every "Did you mean ...?" in production.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { validationRules: validationRules as ValidationRule[], plugins: plugins as ApolloServerPlugin[] };
}

const PAGE_ARGUMENTS = new Set(['first', 'last']);

/**
 * The document with every page-size argument spelled out as a literal: from the variables, the
 * variable's default, or the field's default. graphql-armor's cost rule multiplies by literal
 * `first` only, so `first: $n` or an omitted `first` would otherwise count as 1.
 */
export function withPageSizesInlined(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxPageSize: number,
): DocumentNode {
  // What is served, not what is asked: resolvers refuse pages over the maximum, and a value that
  // is no Int fails coercion after this check.
  const literal = (value: unknown): ArgumentNode['value'] | null =>
    Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1 ? { kind: Kind.INT, value: String(Math.min(value as number, maxPageSize)) } : null;
  const defaults = new Map(
    (operation.variableDefinitions ?? []).flatMap((d) => (d.defaultValue?.kind === Kind.INT ? [[d.variable.name.value, Number(d.defaultValue.value)] as const] : [])),
  );
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const definition = typeInfo.getFieldDef();
        if (!definition) return undefined;
        const args: ArgumentNode[] = [];
        for (const arg of definition.args.filter((a) => PAGE_ARGUMENTS.has(a.name))) {
          const given = node.arguments?.find((a) => a.name.value === arg.name)?.value;
          const asked =
            given === undefined ? arg.defaultValue
            : given.kind === Kind.INT ? Number(given.value)
            // A variable left out (or null) in a nullable position leaves the argument's own default.
            : given.kind === Kind.VARIABLE ? (variables[given.name.value] ?? defaults.get(given.name.value) ?? arg.defaultValue)
            : null;
          const value = literal(asked);
          if (value) args.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: arg.name }, value });
        }
        if (args.length === 0) return undefined;
        const kept = (node.arguments ?? []).filter((a) => !args.some((b) => b.name.value === a.name.value));
        return { ...node, arguments: [...kept, ...args] };
      },
    }),
  );
}

function costPlugin(maxCost: number, maxPageSize: number): ApolloServerPlugin {
  // graphql-armor exposes its cost rule through ApolloArmor only: ask for that one rule.
  const off = { enabled: false };
  const [rule] = new ApolloArmor({
    costLimit: {
      maxCost,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [refuse('QUERY_TOO_COMPLEX', `Query cost exceeds the limit of ${maxCost}`, maxCost)],
    },
    maxDepth: off,
    maxAliases: off,
    maxDirectives: off,
    maxTokens: off,
    blockFieldSuggestion: off,
  }).protect().validationRules as ValidationRule[];
  const passed = new WeakMap<DocumentNode, { readonly variables: readonly string[]; readonly keys: Set<string> }>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const variables = request.variables ?? {};
          // The cost of a document Apollo has cached depends only on its page-size variables: an
          // operation that passed once with the same ones passes again, without a walk of the document.
          let known = passed.get(document);
          if (!known) passed.set(document, (known = { variables: pageSizeVariables(document), keys: new Set() }));
          const key = JSON.stringify([operation.name?.value ?? null, ...known.variables.map((name) => variables[name] ?? null)]);
          if (known.keys.has(key)) return;
          const inlined = withPageSizesInlined(schema, document, operation, variables, maxPageSize);
          const [error] = validate(schema, inlined, [rule!]);
          if (error) throw error;
          if (known.keys.size < PASSED_KEYS_PER_DOCUMENT) known.keys.add(key);
        },
      };
    },
  };
}

/** Per document: how many page-size combinations that passed are remembered. */
const PASSED_KEYS_PER_DOCUMENT = 64;

/** The variables a document passes as a page size, anywhere (the key of a cost that passed). */
function pageSizeVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (PAGE_ARGUMENTS.has(node.name.value) && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names].sort();
}

const tooLarge = (res: Response, limit: number, headers: Record<string, string> = {}) =>
  sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${limit} bytes`, { limit }, headers);

/**
 * Refuses a body over REQUEST_MAX_BYTES as soon as that is known, and closes the connection so
 * that nothing more of it is read: a declared Content-Length before a byte of the body, a body
 * without one (chunked) once it grows past the limit. body-parser alone answers only after reading
 * the whole body off the wire, for as long as the caller keeps sending. Its own check remains for
 * the inflated size of a compressed body.
 */
function bodyLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const refuse = () => tooLarge(res, maxBytes, { connection: 'close' });
    if (Number(req.get('content-length')) > maxBytes) return refuse();
    let received = 0;
    // The parser, next and synchronously, adds its own listener before any chunk is emitted.
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) refuse();
    });
    next();
  };
}

/**
 * Every error of the HTTP layer ends here, on every path, never in Express's default handler,
 * which prints the error, its stack and body-parser's `body` (the raw text) to stderr. body-parser's
 * own messages quote the body: the answer has fixed ones, and the log the error's kind.
 */
function httpErrors(log: Logger): ErrorRequestHandler {
  return (error: { type?: unknown; status?: unknown }, req, res, _next) => {
    const callerError = typeof error.status === 'number' && error.status >= 400 && error.status < 500;
    if (res.headersSent) {
      // Answered already (the deadline, a refused size): what was left of the request failed after,
      // such as a body that finished malformed or never finished.
      const kind = typeof error.type === 'string' ? error.type.slice(0, 40) : undefined;
      log[callerError ? 'info' : 'error']({ requestId: res.locals.requestId, kind, err: error }, 'request failed after the answer');
      // A response cut off midway must not leave the caller waiting for the rest.
      if (!res.writableEnded) req.socket.destroy();
      return;
    }
    if (error.type === 'entity.too.large') {
      tooLarge(res, Number((error as { limit?: unknown }).limit));
    } else if (callerError) {
      sendError(res, error.status as number, 'BAD_REQUEST', error.type === 'entity.parse.failed' ? 'The request body is not valid JSON' : 'The request body cannot be read');
    } else {
      log.error({ requestId: res.locals.requestId, err: error }, 'request failed outside GraphQL');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  };
}

interface Principal {
  readonly role: string;
  readonly sub: string;
  readonly tokenId?: string | null;
}

/**
 * The per-principal budget: per token for partners and authorities (each token of one partner has
 * its own; their `jti`s are the DPO's records, so nobody mints budgets), else per role and subject
 * (an identity provider hands out a fresh `jti` on every refresh).
 */
const TOKEN_BUDGET_ROLES = new Set(['partner', 'authority']);
const principalLimitKey = (principal: Principal): string =>
  principal.tokenId && TOKEN_BUDGET_ROLES.has(principal.role) ? `jti:${principal.tokenId}` : `${principal.role}:${principal.sub}`;

/** The keys the request was counted under, kept on its context for the mutation weight. */
const LIMIT_KEYS = Symbol('limit-keys');
interface LimitKeys {
  readonly ip: string;
  readonly principal: string | null;
}

/** Public root fields that hash a password for whoever asks: budgeted per IP (RATE_LIMIT_REGISTRATIONS_PER_IP). */
const REGISTRATION_FIELDS = new Set(['registerClient']);

/**
 * One HTTP request counts once before its body is read; a mutation document with several root
 * fields (aliases included) runs each of them, so it is charged one more per extra field, against
 * the IP and the principal: 15 aliased `registerClient`s are 15 registrations, not one. Each
 * registration also counts against the IP's registration budget, before any of the document runs.
 */
function mutationWeightPlugin(rateLimiter: RateLimiter): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          const keys = (contextValue as { [LIMIT_KEYS]?: LimitKeys })[LIMIT_KEYS];
          if (operation?.operation !== 'mutation' || !keys) return;
          const fields = [...rootFieldsOf(schema, document, operation, request.variables ?? {}).values()];
          const extra = fields.length - 1;
          if (extra > 0) {
            await rateLimiter.consume('ip', keys.ip, extra);
            if (keys.principal) await rateLimiter.consume('principal', keys.principal, extra);
          }
          const registrations = fields.filter(([field]) => REGISTRATION_FIELDS.has(field!.name.value)).length;
          if (registrations > 0) await rateLimiter.consume('registration', keys.ip, registrations);
        },
      };
    },
  };
}

/** The schema has no subscription root, and HTTP would not carry one: refused before anything runs. */
const noSubscriptions: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw apiError('BAD_REQUEST', 'Subscriptions are not supported', { http: { status: 400 } });
        }
      },
    };
  },
};

export interface Hardening {
  /** Spread into the ApolloServer options. */
  readonly validationRules: ValidationRule[];
  readonly parseOptions: { maxTokens: number };
  readonly plugins: ApolloServerPlugin[];
  /** Before the body parser: request scope (deadline, access log), the per-IP limit, the body's size. */
  readonly beforeBody: RequestHandler[];
  readonly bodyParser: RequestHandler;
  /** Serves /graphql (in place of expressMiddleware), adding the per-principal limit. */
  graphql<T extends BaseContext & { principal: Principal | null }>(
    apollo: ApolloServer<T>,
    options: { context: (args: { req: Request; res: Response }) => Promise<T> },
  ): RequestHandler;
  /** The last handler of the app, for every path: no error reaches Express's default handler. */
  readonly errors: ErrorRequestHandler;
  close(): Promise<void>;
}

export async function createHardening(options: { config: Config; log: Logger; orm: MikroORM; metrics: Metrics }): Promise<Hardening> {
  const { config, log, orm, metrics } = options;
  const limits = config.limits;
  const rateLimiter = await createRateLimiter(config, log, metrics);
  guardTransactions(orm);
  const { validationRules, plugins } = armor(limits);
  return {
    validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [...plugins, noSubscriptions, costPlugin(limits.maxCost, limits.maxPageSize), mutationWeightPlugin(rateLimiter), operationNamePlugin],
    beforeBody: [requestScope({ timeoutMs: limits.requestTimeoutMs, log, metrics }), rateLimiter.perIp, bodyLimit(limits.maxBodyBytes)],
    bodyParser: express.json({ limit: limits.maxBodyBytes }),
    graphql(apollo, { context }) {
      return async (req, res) => {
        if (res.headersSent) return;
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        }
        const response = await withinScope(res, () => apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: parseUrl(req.url).search ?? '', body: req.body },
          context: () =>
            (async () => {
              const value = await context({ req, res }).catch((error: unknown) => {
                throw isDatabaseUnavailable(error) ? databaseUnavailable() : error;
              });
              const keys: LimitKeys = { ip: ipLimitKey(req), principal: value.principal ? principalLimitKey(value.principal) : null };
              if (keys.principal) await rateLimiter.consume('principal', keys.principal);
              return Object.assign(value, { [LIMIT_KEYS]: keys });
            })().catch((error: unknown) => {
              // Apollo answers with this error and runs no plugin: the metrics learn the outcome here.
              noteAnswer(res, error);
              throw error;
            }),
        }));
        // The deadline may have answered already; this late result then has nowhere to go.
        if (res.headersSent) return;
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.send(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      };
    },
    errors: httpErrors(log),
    close: () => rateLimiter.close(),
  };
}
