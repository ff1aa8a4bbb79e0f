/** Compiled entry points (built by `pretest`) run as an operator runs them, in child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'src', 'main.js');
export const cli = (name: string): string => join(ROOT, 'dist', 'src', 'cli', `${name}.js`);
export const STACK_TRACE = /^\s+at\s.+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A compiled entry point (`dist/...js`) run as a child process, its output collected. */
export class ServerProcess {
  stdout = '';
  stderr = '';
  exit: Exit | null = null;
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor(env: Record<string, string>, script = MAIN, args: readonly string[] = []) {
    // A clean environment: nothing leaks in from the test run (DATABASE_URL, NODE_ENV=test, ...).
    const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() };
    this.child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === null;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private output(): string {
    return `\n--- stdout ---\n${this.stdout.slice(-3000)}\n--- stderr ---\n${this.stderr.slice(-3000)}`;
  }

  /** Resolves once `test` finds what it looks for in stdout; fails if the process exits first. */
  waitFor<T>(what: string, test: (stdout: string) => T | null | undefined, timeoutMs = 45_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = test(this.stdout);
        if (found) done(() => resolve(found));
        else if (this.exit) done(() => reject(new Error(`server exited (${JSON.stringify(this.exit)}) before printing ${what}${this.output()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${what} within ${timeoutMs} ms${this.output()}`))), timeoutMs);
      const done = (then: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        then();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The exit, or an error if it takes longer than `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server still running after ${timeoutMs} ms${this.output()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(timeoutMs = 10_000): Promise<Exit> {
    if (this.running) this.child.kill('SIGTERM');
    return this.waitForExit(timeoutMs);
  }

  /** Last resort in afterEach: SIGTERM, then SIGKILL. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    await this.waitForExit(10_000).catch(async () => {
      this.child.kill('SIGKILL');
      await this.exited;
    });
  }
}

/** Stops an embedded cluster a failed test left running in `dir`/pg, so that its folder can go. */
export async function stopOrphanCluster(dir: string): Promise<void> {
  const pidFile = join(dir, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 50; i++) {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch {
    // already gone
  }
}

/**
 * For a test file: `start` runs a compiled entry point (the server by default), `tempDir` makes a
 * DATA_DIR; after each test every process still running is stopped, after the file every folder
 * is removed (any cluster still running in it stopped first).
 */
export function useProcesses() {
  const started: ServerProcess[] = [];
  const tempDirs: string[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.kill()));
  });
  afterAll(async () => {
    for (const dir of tempDirs.splice(0)) {
      await stopOrphanCluster(dir);
      await rm(dir, { recursive: true, force: true });
    }
  });
  return {
    start(env: Record<string, string>, script = MAIN, args: readonly string[] = []): ServerProcess {
      const server = new ServerProcess(env, script, args);
      started.push(server);
      return server;
    },
    /** A temp folder; 0755 so the embedded PostgreSQL (run as `postgres` when we are root) can enter it. */
    async tempDir(prefix: string): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      await chmod(dir, 0o755);
      tempDirs.push(dir);
      return dir;
    },
  };
}

