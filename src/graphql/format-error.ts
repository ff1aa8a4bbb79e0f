/**
 * The one place errors leave the server: a stable code, a message without personal values, no
 * stack trace, no SQL. A database outage becomes SERVICE_UNAVAILABLE (HTTP 503); anything else
 * unexpected becomes INTERNAL_SERVER_ERROR and is logged by name and code only.
 */
import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Logger } from 'pino';
import type { ApolloServerPlugin } from '@apollo/server';
import { causes, isDatabaseUnavailable, sqlState } from '../db/outage';
import { databaseUnavailable, ERROR_CODES, RETRY_AFTER_SECONDS } from '../errors';

const APOLLO_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'INTROSPECTION_DISABLED',
] as const;

/** Every `extensions.code` a client can receive. */
export const KNOWN_CODES: ReadonlySet<string> = new Set<string>([...ERROR_CODES, ...APOLLO_CODES]);

// Class 22 (data exception: a malformed uuid, a number out of range) and 08P01 (a NUL inside a
// parameter) are the caller's value refused by PostgreSQL, not a server fault.
const BAD_VALUE_SQLSTATE = /^(22...|08P01)$/;

/**
 * The names a message may quote: the schema's own vocabulary. graphql-js quotes both schema
 * names and what the caller sent; only the former survive.
 */
export function schemaVocabulary(schema: GraphQLSchema): ReadonlySet<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of 'args' in field ? field.args : []) names.add(arg.name);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
  }
  for (const directive of schema.getDirectives()) {
    names.add(directive.name);
    for (const arg of directive.args) names.add(arg.name);
  }
  return names;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const VARIABLE = /^\$[_A-Za-z][_0-9A-Za-z]{0,63}$/;
// graphql-js 16 spells it "more that".
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

function safeQuoted(content: string, vocabulary: ReadonlySet<string>): boolean {
  // A type reference ("[String!]!") or schema coordinate ("Query.clients", "@pii(category:)").
  const words = content.replace(/^@/, '').replace(/[[\]!():]/g, ' ').split(/[\s.]+/).filter(Boolean);
  if (words.length === 0 || words.length > 4) return false;
  return words.every((word) => NAME.test(word) && vocabulary.has(word));
}

/** A coercion path ("input.phones[0]"): the caller's variable name, then schema fields and indices. */
function safePath(path: string, vocabulary: ReadonlySet<string>): boolean {
  const [head, ...rest] = path.match(/[^.[\]]+/g) ?? [];
  return !!head && NAME.test(head) && rest.every((segment) => /^\d+$/.test(segment) || (NAME.test(segment) && vocabulary.has(segment)));
}

/**
 * graphql-js echoes offending input in coercion, validation and syntax messages; cut the values
 * out. Values follow fixed phrases ("got invalid value", "cannot represent ...:", "found"), and any
 * other quoted text survives only if it is a name from the schema.
 */
export function withoutValues(message: string, vocabulary: ReadonlySet<string> = new Set()): string {
  return message
    .replace(/got invalid value [\s\S]*?(; | at "|$)/g, (_m, tail: string) => `got invalid value${tail === '; ' ? '; ' : tail}`)
    .replace(/(cannot represent[^:]*): [\s\S]*$/i, '$1.')
    .replace(/\bfound [\s\S]*$/, 'found <value>.')
    .replace(/(Variable )?( at )?"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g, (quoted, variable?: string, at?: string, double?: string, single?: string) => {
      // A variable's name ("$input") is the caller's code, not data.
      if (variable) return VARIABLE.test(double ?? '') ? quoted : `${variable}<value>`;
      if (at) return safePath(double ?? '', vocabulary) ? quoted : ' at <value>';
      return safeQuoted(double ?? single ?? '', vocabulary) ? quoted : '<value>';
    })
    .slice(0, 300);
}

// graphql-js ends a message with its suggestions: quoted schema names, an enum value, a fragment type.
const SUGGESTION = /\s*Did you mean (?:the enum value |to use an inline fragment on )?((?:"[^"]*"(?:,? or |, )?)+)\?$/;
const ANY_SUGGESTION = /\s*Did you mean [\s\S]*$/;

/**
 * graphql-js 16's validation messages that quote names only: the schema's, and those of the
 * caller's own document (its fields, arguments, types, fragments, variables, directives). The
 * caller's own document is no one else's personal data: it goes back to the caller, whole.
 */
const NAMED_VALIDATION_KINDS = /^(Argument "|Cannot (query field|spread fragment) "|Directive "@|Enum value "|Field "|Fields "|Fragment "|Fragment cannot |OneOf Input Object "|Subscription "|The directive "@|The \w+ definition is not executable\.$|There can be only one |Unknown (argument|directive|fragment|type) "|Variable "\$|Anonymous operation must be the only defined operation\.$)/;

/** A name as GraphQL spells it, possibly as a type reference ("[String!]!"), coordinate ("Query.clients(first:)"), directive or variable. */
function nameShaped(content: string): boolean {
  const words = content.replace(/^[@$]/, '').replace(/[[\]!():]/g, ' ').split(/[\s.]+/).filter(Boolean);
  return words.length > 0 && words.length <= 4 && words.every((word) => NAME.test(word));
}

const NOT_VALID = 'A value in the query is not valid for its type.';

/** A validation message: names kept, and a literal value (after "found", an enum literal) rebuilt away. */
function validationMessage(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^Expected value of type "([^"]*)", found [\s\S]*$/.exec(message))) return nameShaped(m[1]!) ? `Expected a value of type "${m[1]}".` : NOT_VALID;
  if ((m = /^Value "[\s\S]*" does not exist in "([^"]*)" enum\.$/.exec(message))) return nameShaped(m[1]!) ? `The value does not exist in "${m[1]}" enum.` : NOT_VALID;
  if ((m = /^Enum "([^"]*)" cannot represent non-enum value: /.exec(message))) return nameShaped(m[1]!) ? `Enum "${m[1]}" cannot represent the value.` : NOT_VALID;
  if (!NAMED_VALIDATION_KINDS.test(message)) return NOT_VALID;
  return [...message.matchAll(/"([^"]*)"/g)].every((q) => nameShaped(q[1]!)) ? message : NOT_VALID;
}

const UNPARSABLE = 'Syntax Error: the query cannot be parsed.';

/**
 * A syntax message. graphql-js ends it with the token it met: a Name or a punctuator stays (the
 * caller's own document), a string or a number literal is a value and goes, and so does a
 * character quoted after a colon (it may sit inside a value).
 */
function syntaxMessage(message: string): string {
  if (!message.startsWith('Syntax Error: ')) return UNPARSABLE;
  const text = message
    .replace(/\b(Unexpected|found) (?:String|BlockString) "[\s\S]*"\.$/, '$1 a string.')
    .replace(/\b(Unexpected|found) (?:Int|Float) "[^"]*"\.$/, '$1 a number.')
    .replace(/(, expected [\w ]+?)? but got: (?:"[\s\S]*"|U\+[0-9A-F]{4,6}|<EOF>)\.$/, '$1.')
    .replace(/: (?:"[\s\S]*"|U\+[0-9A-F]{4,6})\.$/, '.');
  const PUNCTUATOR = /^(?:[!$&():=@[\]{}|]|\.\.\.)$/;
  return [...text.matchAll(/"([^"]*)"/g)].every((q) => nameShaped(q[1]!) || PUNCTUATOR.test(q[1]!)) ? text : UNPARSABLE;
}

/** Apollo's refusals of a request's form: fixed texts naming only fixed things (headers, methods, body fields). */
const APOLLO_FIXED = /^(This operation has been blocked as a potential Cross-Site Request Forgery \(CSRF\)\.|GraphQL operations must contain a non-empty|GET requests (only support|may not have)|POST body missing|`(variables|extensions|operationName)` in a POST body|Apollo Server supports only GET\/POST|An 'accept' header was provided|GraphQL queries must be strings|Operation batching disabled\.|No operations found in request\.|Must provide operation name|The '?(query|variables|extensions|operationName)'? search parameter)/;

/** At most `max` characters, cut after a whole sentence (or, failing one, a whole word). */
export function wholeSentences(text: string, max = 300): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '));
  if (sentence > 0) return head.slice(0, sentence + 1);
  return `${head.slice(0, Math.max(head.lastIndexOf(' '), 1))}…`;
}

/** What a scalar or input type said about a variable's value, rebuilt from names only. */
function coercionReason(inner: string, quote: (name: string) => string, vocabulary: ReadonlySet<string>): string {
  let m: RegExpExecArray | null;
  if ((m = /^Field "([^"]*)" of required type "([^"]*)" was not provided\.$/.exec(inner))) return `Field ${quote(m[1]!)} of required type ${quote(m[2]!)} was not provided.`;
  // The field's name is a key of the variable's value: data, not the document, so named only when the schema has it.
  if ((m = /^Field "([^"]*)" is not defined by type "([^"]*)"\.$/.exec(inner))) {
    return safeQuoted(m[1]!, vocabulary) ? `Field "${m[1]}" is not defined by type ${quote(m[2]!)}.` : `The value has a field that type ${quote(m[2]!)} does not define.`;
  }
  if ((m = /^Expected type "([^"]*)" to be an object\.$/.exec(inner))) return `Expected type ${quote(m[1]!)} to be an object.`;
  if ((m = /^Value "[\s\S]*" does not exist in "([^"]*)" enum\.$/.exec(inner))) return `The value does not exist in ${quote(m[1]!)} enum.`;
  if ((m = /^Enum "([^"]*)" cannot represent /.exec(inner))) return `Enum ${quote(m[1]!)} cannot represent the value.`;
  if ((m = /^([_A-Za-z]\w*) cannot represent /.exec(inner)) && vocabulary.has(m[1]!)) return `${m[1]} cannot represent the value.`;
  return 'The value is not accepted for its type.';
}

/**
 * A variable coercion message ("Variable "$t" got invalid value <value> at "t.from"; <reason>")
 * from a fixed template: the variable's name, a path made of schema names, and the reason's kind.
 */
function coercionMessage(message: string, vocabulary: ReadonlySet<string>): string | null {
  const head = /^Variable "\$([_A-Za-z][_0-9A-Za-z]{0,63})" got invalid value /.exec(message);
  if (!head) return null;
  const name = head[1]!;
  const quote = (text: string) => (safeQuoted(text, vocabulary) ? `"${text}"` : '<value>');
  // The path follows the value, which the caller chose: the last well-formed one is graphql-js's.
  const paths = [...message.matchAll(/ at "([^"]+)"; /g)].filter((p) => p[1]!.startsWith(name) && safePath(p[1]!, vocabulary));
  const path = paths.at(-1);
  const inner = path ? message.slice(path.index! + path[0].length) : message.slice(message.lastIndexOf('; ') + 2);
  const reason = message.includes('; ') ? coercionReason(inner, quote, vocabulary) : 'The value is not accepted for its type.';
  return `Variable "$${name}" got invalid value${path ? ` at "${path[1]}"` : ''}; ${reason}`;
}

/**
 * The message a client sees. graphql-js's own messages (syntax, validation, variable coercion)
 * are passed on only in the shapes it is known to use: names come back (the schema's, and the
 * caller's own document's), values never; a shape it does not know gets a fixed message.
 * Suggestions ("Did you mean ...?") name the schema, so production drops them.
 */
export function publicMessage(message: string, code: string, vocabulary: ReadonlySet<string>, options: { suggestions: boolean }): string {
  const suggestion = SUGGESTION.exec(message);
  const main = message.replace(suggestion ? SUGGESTION : ANY_SUGGESTION, '').trim();
  const names = suggestion && options.suggestions ? [...suggestion[1]!.matchAll(/"([^"]*)"/g)].map((q) => q[1]!) : [];
  const tail = names.length > 0 && names.every((n) => safeQuoted(n, vocabulary)) ? ` ${suggestion![0].trim()}` : '';
  let text: string;
  if (code === 'BAD_USER_INPUT' && main.startsWith('Variable "$')) {
    text = coercionMessage(main, vocabulary) ?? withoutValues(main, vocabulary);
  } else if (code === 'GRAPHQL_VALIDATION_FAILED') {
    text = validationMessage(main);
  } else if (code === 'GRAPHQL_PARSE_FAILED') {
    text = syntaxMessage(main);
  } else if (code === 'BAD_REQUEST' && APOLLO_FIXED.test(main)) {
    text = main;
  } else if (code === 'OPERATION_RESOLUTION_FAILURE' && main.startsWith('Unknown operation named ')) {
    // operationName is request data, not the document: not quoted back.
    text = 'The document has no operation of the name given in operationName.';
  } else {
    text = withoutValues(main, vocabulary);
  }
  // Apollo's fixed texts are bounded already; anything built from a document is cut after a sentence. Suggestions go whole or not at all.
  const whole = code === 'BAD_REQUEST' && text === main ? text : wholeSentences(text);
  return `${whole}${tail && whole.length + tail.length <= 400 ? tail : ''}`;
}

/** graphql-js's own request errors that carry no code, each a caller's mistake, by their fixed message. */
const GRAPHQL_JS_CALLER_ERRORS: ReadonlyMap<string, string> = new Map([
  // getVariableValues stops after 50 coercion errors and adds this one.
  ['Too many errors processing variables, error limit reached. Execution aborted.', 'BAD_USER_INPUT'],
]);

/** The innermost stable code in an error's chain: a limit error wrapped by Apollo keeps its own. */
function ownCode(error: unknown): string | null {
  let code: string | null = null;
  for (const e of causes(error)) {
    const candidate = e instanceof GraphQLError ? e.extensions?.code : undefined;
    if (typeof candidate === 'string' && KNOWN_CODES.has(candidate) && candidate !== 'INTERNAL_SERVER_ERROR') code = candidate;
  }
  return code;
}

export function createFormatError(log: Logger, schema?: GraphQLSchema, options: { suggestions: boolean } = { suggestions: false }) {
  const vocabulary = schema ? schemaVocabulary(schema) : new Set<string>();
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const formattedCode = String(formatted.extensions?.code ?? '');
    const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    // graphql-js enforces parseOptions.maxTokens (src/http/limits.ts) with a plain syntax error.
    const tokens = formattedCode === 'GRAPHQL_PARSE_FAILED' ? TOKEN_LIMIT.exec(formatted.message) : null;
    if (tokens) {
      return { message: `Query has more than ${tokens[1]} tokens`, ...where, extensions: { code: 'TOO_MANY_TOKENS', limit: Number(tokens[1]) } };
    }
    const code = ownCode(error)
      ?? (formattedCode !== 'INTERNAL_SERVER_ERROR' && KNOWN_CODES.has(formattedCode) ? formattedCode : null)
      ?? GRAPHQL_JS_CALLER_ERRORS.get(formatted.message)
      ?? null;
    if (code) {
      const { field, reason, limit, retryAfterSeconds, resetToken } = formatted.extensions ?? {};
      return {
        message: publicMessage(formatted.message, code, vocabulary, options),
        ...where,
        extensions: {
          code,
          ...(typeof field === 'string' ? { field } : {}),
          ...(typeof reason === 'string' ? { reason } : {}),
          ...(typeof limit === 'number' ? { limit } : {}),
          ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
          // The one-time secret the password holder needs after suspected compromise (P7).
          ...(code === 'PASSWORD_CHANGE_REQUIRED' && typeof resetToken === 'string' ? { resetToken } : {}),
        },
      };
    }
    const root = causes(error).at(-1);
    const name = root instanceof Error ? root.name : typeof root;
    const rootCode = (root as { code?: unknown } | undefined)?.code;
    // 57014: statement_timeout (src/db/orm.ts) cancelled a statement past the request's deadline.
    if (sqlState(error) === '57014') {
      log.warn({ errorName: name, code: rootCode, path: formatted.path }, 'statement timed out');
      return { message: 'A database statement ran out of time', ...where, extensions: { code: 'REQUEST_TIMEOUT' } };
    }
    if (BAD_VALUE_SQLSTATE.test(sqlState(error) ?? '')) {
      log.warn({ errorName: name, code: rootCode, path: formatted.path }, 'value refused by the database');
      return { message: 'A value is not in an accepted format', ...where, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (isDatabaseUnavailable(error)) {
      log.warn({ errorName: name, code: rootCode, path: formatted.path }, 'database unavailable');
      return { message: databaseUnavailable().message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    log.error({ errorName: name, code: rootCode, path: formatted.path }, 'unexpected error');
    return { message: 'Internal server error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * Execution errors arrive with HTTP 200; a database outage should read as 503 with Retry-After to
 * load balancers and clients, whichever resolver met it.
 */
export const errorStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        if (response.body.singleResult.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
          response.http.status = 503;
          response.http.headers.set('retry-after', RETRY_AFTER_SECONDS);
        }
      },
    };
  },
};
