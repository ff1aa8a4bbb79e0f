import { ConnectionException, TableNotFoundException } from '@mikro-orm/core';
import { describeFailure, parseCli, UsageError } from '../../src/cli/cli';
import { ConfigError } from '../../src/config';
import { StartupError } from '../../src/startup-error';

const GARBLED = /undefined|unknown error|\[object Object\]/i;

describe('describeFailure: one line for the console, whatever was thrown', () => {
  it.each([
    ['nothing', undefined, 'it stopped without giving a reason'],
    ['null', null, 'it stopped without giving a reason'],
    ['a string', 'boom', 'it stopped with a string instead of an error'],
    ['an object', { reason: 'x' }, 'it stopped with a object instead of an error'],
    ['an Error without a message', new RangeError(''), 'RangeError'],
    ['an Error', new Error('first line\nsecond line'), 'Error: first line'],
    ['a start-up error', new StartupError('port 4000 is already in use'), 'port 4000 is already in use'],
    ['a usage error', new UsageError("Unknown option '--x'"), "Unknown option '--x'"],
  ])('%s', (_what, thrown, line) => {
    expect(describeFailure(thrown)).toBe(line);
    expect(describeFailure(thrown)).not.toMatch(GARBLED);
  });

  it('names a database error by kind and SQLSTATE, never by its message (which can quote values)', () => {
    const driver = Object.assign(new Error('insert into client values (\'Нұрланов\') - duplicate key'), { code: '23505', name: 'UniqueConstraintViolationException' });
    expect(describeFailure(driver)).toBe('UniqueConstraintViolationException (SQLSTATE 23505)');
    const wrapped = new TableNotFoundException(Object.assign(new Error("select * from \"secret_value\""), { code: undefined }));
    expect(describeFailure(wrapped)).toBe('TableNotFoundException');
  });

  it('says when the database cannot be reached', () => {
    const refused = new ConnectionException(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    expect(describeFailure(refused)).toMatch(/^the database cannot be reached/);
    expect(describeFailure(refused)).not.toMatch(GARBLED);
  });

  it('passes a configuration error on as written', () => {
    expect(describeFailure(new ConfigError(['PORT must be an integer between 0 and 65535']))).toBe('Invalid configuration:\n  - PORT must be an integer between 0 and 65535');
  });
});

describe('parseCli', () => {
  const spec = { command: 'npm run x', usage: 'Usage: npm run x', options: { once: { type: 'boolean' } } } as const;

  it('takes the declared options and --help', () => {
    expect(parseCli(spec, ['--once']).values).toEqual({ once: true });
    expect(parseCli(spec, ['--help']).values).toEqual({ help: true });
  });

  it('refuses an unknown option or a stray argument with a UsageError naming it', () => {
    expect(() => parseCli(spec, ['--twice'])).toThrow(new UsageError("Unknown option '--twice'"));
    expect(() => parseCli(spec, ['extra'])).toThrow(new UsageError("Unexpected argument 'extra'"));
  });
});
