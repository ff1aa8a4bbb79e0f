/**
 * Structured logs that never carry personal data. By design nothing logs request bodies,
 * variables, queries or error messages (which may quote SQL and the values in it); redaction and
 * the serializers below are the net for whatever slips into these paths anyway.
 */
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import pino, { type DestinationStream, type Logger } from 'pino';
import { CLIENT_COMPUTED_FIELDS, CLIENT_PERSONAL_COLUMNS, ORDER_PERSONAL_COLUMNS } from './privacy/personal-columns';

/** Keys that carry the caller's text, credentials or network identity, or a value's usual name. */
const SENSITIVE_KEYS = ['password', 'token', 'resetToken', 'variables', 'query', 'body', 'input', 'phone', 'email', 'iban', 'address', 'ip', 'userAgent'];

/** With every personal column's property (src/privacy/personal-columns.ts): a field added there is redacted here too. */
const PERSONAL_KEYS = [
  ...new Set([
    ...SENSITIVE_KEYS,
    ...[...CLIENT_PERSONAL_COLUMNS, ...ORDER_PERSONAL_COLUMNS].map((c) => c.property),
    ...Object.keys(CLIENT_COMPUTED_FIELDS),
  ]),
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((key) => `*.${key}`),
];

/** An error is logged by what it is, never by what it says. */
function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code, sqlState } = error as Error & { code?: unknown; sqlState?: unknown };
  return { type: error.name, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), ...(typeof sqlState === 'string' ? { sqlState } : {}) };
}

/**
 * PostgreSQL's messages quote statements and key values after these labels, and the offending
 * value itself in quotes ('invalid input syntax for type uuid: "..."') or as `(column)=(value)`:
 * cut all of it. Identifiers are quoted the same way, so they go too.
 */
export function scrubPostgresLine(line: string): string {
  return line
    .replace(/\b(DETAIL|STATEMENT|CONTEXT|QUERY|HINT|LINE \d+|statement|execute [^:]*|parameters):[\s\S]*$/, '$1: [redacted]')
    .replace(/"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.|'')*'?/g, '<value>')
    .replace(/=\([\s\S]*$/, '=(<value>)')
    .slice(0, 500);
}

/** Keys whose string is a line from PostgreSQL or its driver, scrubbed before it is written. */
const DATABASE_LINE_KEYS = ['postgres', 'knex'] as const;

export type LogFormat = 'json' | 'pretty';

/**
 * Human-readable lines for a developer's terminal (pino-pretty, in-process and synchronous, so a
 * line printed with console.log never overtakes or splits a log line). The redaction and the
 * serializers above run first either way. Loaded only when asked for.
 */
function prettyStream(): DestinationStream {
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' });
}

export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'kzpay-privacy-graph' },
      serializers: { err: errorSummary, error: errorSummary },
      formatters: {
        log: (object) => {
          const scrubbed = { ...object };
          for (const key of DATABASE_LINE_KEYS) if (typeof scrubbed[key] === 'string') scrubbed[key] = scrubPostgresLine(scrubbed[key] as string);
          return scrubbed;
        },
      },
    },
    destination ?? (format === 'pretty' ? prettyStream() : undefined),
  );
}

/**
 * Apollo's own log lines end with an error's text ("Unexpected error processing request: ..."):
 * keep the event, drop the text.
 */
export function apolloLogger(log: Logger): NonNullable<ApolloServerOptions<BaseContext>['logger']> {
  const event = (message: unknown) => ({ apollo: String(message).split(':')[0]!.slice(0, 120) });
  return {
    debug: (message) => log.debug(event(message), 'apollo'),
    info: (message) => log.info(event(message), 'apollo'),
    warn: (message) => log.warn(event(message), 'apollo'),
    error: (message) => log.error(event(message), 'apollo'),
  };
}

type KnexLog = (message: unknown) => void;

/**
 * knex's own warnings ("Connection Error: ...") go to the console unless given a logger: route
 * them to pino, as text, scrubbed like PostgreSQL's lines (an object is logged by its type only).
 */
export function knexLogger(log: Logger): { warn: KnexLog; error: KnexLog; deprecate: KnexLog; debug: KnexLog } {
  const line = (message: unknown) => (typeof message === 'string' ? { knex: message } : { knex: `[${typeof message}]` });
  return {
    warn: (message) => log.warn(line(message), 'database driver'),
    error: (message) => log.error(line(message), 'database driver'),
    deprecate: (message) => log.debug(line(message), 'database driver'),
    debug: (message) => log.debug(line(message), 'database driver'),
  };
}
