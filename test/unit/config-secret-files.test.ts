/** The *_FILE convention (Docker and compose secrets): a secret variable read from the file it names. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SECRET_FILE_VARIABLES } from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'kzpay-secrets-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};
const SECRET = 'file-secret-0123456789-0123456789-abc';
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

it('JWT_SECRET_FILE, DATABASE_URL_FILE, MIGRATION_DATABASE_URL_FILE and REDIS_URL_FILE are read, one trailing newline dropped', () => {
  expect([...SECRET_FILE_VARIABLES].sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'MIGRATION_DATABASE_URL', 'REDIS_URL']);
  const config = loadConfig({
    NODE_ENV: 'production',
    JWT_SECRET_FILE: file('jwt', `${SECRET}\n`),
    DATABASE_URL_FILE: file('db', 'postgres://api:pw@db:5432/kzpay\n'),
    MIGRATION_DATABASE_URL_FILE: file('owner', 'postgres://owner:pw@db:5432/kzpay'),
    REDIS_URL_FILE: file('redis', 'redis://redis:6379\r\n'),
  });
  expect(config.jwt.secret).toBe(SECRET);
  expect(config.databaseUrl).toBe('postgres://api:pw@db:5432/kzpay');
  expect(config.migrationDatabaseUrl).toBe('postgres://owner:pw@db:5432/kzpay');
  expect(config.redisUrl).toBe('redis://redis:6379');
});

it("a file's value is validated like the variable's, and never echoed", () => {
  const problems = problemsOf({ JWT_SECRET_FILE: file('short', 'short-Zq9secret\n'), DATABASE_URL_FILE: file('mysql', 'mysql://u:Zpw@x/db') });
  expect(problems).toEqual(['DATABASE_URL must be a postgres:// or postgresql:// URL', 'JWT_SECRET must be at least 32 bytes long']);
});

it('refuses both a variable and its file, a missing file and an empty one, naming the variable', () => {
  expect(problemsOf({ JWT_SECRET: SECRET, JWT_SECRET_FILE: file('both', SECRET) })).toEqual(['set JWT_SECRET or JWT_SECRET_FILE, not both']);
  expect(problemsOf({ JWT_SECRET_FILE: join(dir, 'missing') })).toEqual(['JWT_SECRET_FILE cannot be read (ENOENT)']);
  expect(problemsOf({ JWT_SECRET_FILE: file('empty', '\n') })).toEqual(['JWT_SECRET_FILE names an empty file']);
  // Production then still asks for the secret itself.
  expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@db/kzpay', JWT_SECRET_FILE: join(dir, 'missing') })).toEqual([
    'JWT_SECRET_FILE cannot be read (ENOENT)',
    'JWT_SECRET is required when NODE_ENV=production (login and registration sign with it)',
  ]);
});
