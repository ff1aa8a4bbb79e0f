/**
 * What every command shares: `--help`, a bad argument in one line (exit 2), and a failure in one
 * line that says what went wrong without quoting a database value.
 */
import { DriverException } from '@mikro-orm/core';
import { parseArgs, types, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config';
import { StartupError } from '../startup-error';
import { isDatabaseUnavailable } from '../db/outage';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends Options = Options> {
  /** As a person types it: `npm run jobs`. */
  readonly command: string;
  /** The help text: a usage line, then what the command does and its options. */
  readonly usage: string;
  readonly options: O;
  readonly positionals?: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_USAGE = 2;

export function parseCli<O extends Options>(spec: CliSpec<O>, args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: spec.positionals ?? false, strict: true });
  } catch (error) {
    // node:util's first sentence names the option ("Unknown option '--x'"); the rest is advice about `--`.
    throw new UsageError(isError(error) ? error.message.split(/\.\s|\n/)[0]! : 'the arguments are not valid');
  }
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Also an error made in Node's own realm (under jest's VM sandbox `instanceof Error` misses those). */
const isError = (value: unknown): value is Error => value instanceof Error || types.isNativeError(value);

/**
 * One line about a failure, for the console. A database error's message can quote a statement
 * with its values: it is named by its kind and SQLSTATE only. Never reads "undefined".
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError || error instanceof UsageError) return error.message;
  if (isDatabaseUnavailable(error)) {
    const code = (error as { code?: unknown }).code;
    return `the database cannot be reached${typeof code === 'string' && code !== '' ? ` (${code})` : ''}; check DATABASE_URL, or that the server holding the embedded one is up`;
  }
  if (!isError(error)) {
    return error === undefined || error === null ? 'it stopped without giving a reason' : `it stopped with a ${typeof error} instead of an error`;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SQLSTATE.test(code)) return `${error.name} (SQLSTATE ${code})`;
  if (error instanceof DriverException) return error.name;
  const message = error.message.split('\n')[0]!.trim();
  return message === '' ? error.name : `${error.name}: ${message.slice(0, 300)}`;
}

type Parsed<O extends Options> = ReturnType<typeof parseCli<O>>;

/** The arguments, or the process ends here: `--help` prints the usage (exit 0), a bad argument one line (exit 2). */
export function parseCliOrExit<O extends Options>(spec: CliSpec<O>, args: readonly string[] = process.argv.slice(2)): Parsed<O> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${spec.usage.trim()}\n`);
    process.exit(0);
  }
  try {
    return parseCli(spec, args);
  } catch (error) {
    console.error(`${spec.command}: ${describeFailure(error)} (see ${spec.command} -- --help)`);
    process.exit(EXIT_USAGE);
  }
}

/** Runs `main` with the parsed arguments; its number is the exit code (null: keep running), a failure one line. */
export function runCli<O extends Options>(spec: CliSpec<O>, main: (parsed: Parsed<O>) => Promise<number | null>, failureCode = 1): void {
  const parsed = parseCliOrExit(spec);
  main(parsed).then(
    (code) => {
      if (code !== null) process.exit(code);
    },
    (error: unknown) => {
      const usage = error instanceof UsageError;
      console.error(`${spec.command}${usage ? ':' : ' failed:'} ${describeFailure(error)}${usage ? ` (see ${spec.command} -- --help)` : ''}`);
      process.exit(usage ? EXIT_USAGE : failureCode);
    },
  );
}
