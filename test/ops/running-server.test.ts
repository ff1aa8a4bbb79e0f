/**
 * Commands next to a running `npm start` on the embedded PostgreSQL (built files, as a developer
 * runs them): the CLIs use the server's cluster, a second server says in one line what holds the
 * data folder or the port, and no message reads "undefined" or "unknown error".
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/db/embedded-postgres';
import { cli, ServerProcess, STACK_TRACE, useProcesses } from '../support/processes';

jest.setTimeout(120_000);

const { start, tempDir } = useProcesses();
const GARBLED = /undefined|unknown error/i;

/** Every line a failure path printed: one clear line, no stack, nothing garbled. */
function expectOneClearLine(process: ServerProcess, pattern: RegExp): void {
  const output = process.stdout + process.stderr;
  expect(output).not.toMatch(GARBLED);
  expect(output).not.toMatch(STACK_TRACE);
  expect(process.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

const env = (dataDir: string, port: number) => ({ NODE_ENV: 'development', DEMO_CLIENTS: '5', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOBS_INTERVAL_SECONDS: '0' });

/** Not stopped after each test: the tests below run in order against one server. */
async function startServer(dataDir: string, port: number): Promise<ServerProcess> {
  const server = new ServerProcess(env(dataDir, port));
  await server.waitFor('the banner', (out) => out.includes(`ready at http://localhost:${port}/graphql`));
  return server;
}

describe('a server running on the embedded PostgreSQL in DATA_DIR', () => {
  let dataDir: string;
  let port: number;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = await tempDir('kzpay-running-');
    port = await freePort();
    server = await startServer(dataDir, port);
  });
  afterAll(() => server.kill());

  it('records its connection in DATA_DIR, readable by its own user only', () => {
    const file = join(dataDir, 'embedded-postgres.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: expect.stringMatching(/^postgres:\/\/.*@127\.0\.0\.1:\d+\/postgres$/), pid: server.pid, command: 'npm start' });
  });

  it('`npm run jobs -- --once`, `npm run audit:verify` and `npm run migrate -- status` use its database', async () => {
    const jobs = start(env(dataDir, port), cli('jobs'), ['--once']);
    expect(await jobs.waitForExit(60_000)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(jobs.stdout)).toMatchObject({ failures: 0 });
    expect(jobs.stderr).toBe('');

    const audit = start(env(dataDir, port), cli('audit-verify'));
    expect(await audit.waitForExit(60_000)).toEqual({ code: 0, signal: null });
    expect(audit.stdout).toMatch(/^disclosure log intact: \d+ entries in \d+ chains?\n(head \S+=\d+:[0-9a-f]{64} \(.*\)\n)*$/);

    const migrate = start(env(dataDir, port), cli('migrate'), ['status']);
    expect(await migrate.waitForExit(60_000)).toEqual({ code: 0, signal: null });
    expect(migrate.stdout).toMatch(/\n\d+ executed, 0 pending\n$/);
  });

  it('a second `npm start` on the same DATA_DIR exits 1 with one line naming the running one and what to do', async () => {
    const second = start(env(dataDir, await freePort()));
    expect(await second.waitForExit(60_000)).toEqual({ code: 1, signal: null });
    expectOneClearLine(second, new RegExp(`^Start-up failed: \`npm start\` \\(pid \\d+\\) is running the embedded PostgreSQL in .*; stop it first, or give \`npm start\` its own DATA_DIR \\(and PORT\\)$`));
    // The first one is untouched.
    expect((await fetch(`http://localhost:${port}/readyz`)).status).toBe(200);
  });

  it('a second `npm start` on the same PORT (another DATA_DIR) exits 1 at once with one line, leaving nothing running', async () => {
    const otherDir = await tempDir('kzpay-running-other-');
    const second = start(env(otherDir, port));
    expect(await second.waitForExit(60_000)).toEqual({ code: 1, signal: null });
    expectOneClearLine(second, new RegExp(`^Start-up failed: port ${port} is already in use .*: stop it, or set PORT to a free port$`));
  });

  it('killed without its stop, it leaves PostgreSQL running: the next start names that process, the CLIs still reach it', async () => {
    const recorded = JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8')) as { pid: number };
    process.kill(recorded.pid, 'SIGKILL');
    await server.waitForExit(10_000);
    const postgresPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

    const next = start(env(dataDir, port));
    expect(await next.waitForExit(60_000)).toEqual({ code: 1, signal: null });
    expectOneClearLine(next, new RegExp(`^Start-up failed: an embedded PostgreSQL \\(pid ${postgresPid}\\) is still running in .*, left behind by \`npm start\` \\(pid ${recorded.pid}, which has exited\\): stop it with "kill ${postgresPid}"; `));

    const jobs = start(env(dataDir, port), cli('jobs'), ['--once']);
    expect(await jobs.waitForExit(60_000)).toEqual({ code: 0, signal: null });

    // Done as the line says; then a start works again.
    process.kill(postgresPid, 'SIGINT');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(postgresPid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break;
      }
    }
    server = await startServer(dataDir, port);
  });

  it('removes its record when it stops', async () => {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(() => statSync(join(dataDir, 'embedded-postgres.json'))).toThrow();
  });
});

describe('without a running server', () => {
  it('a CLI starts the embedded PostgreSQL itself and stops it again', async () => {
    const dataDir = await tempDir('kzpay-running-cli-');
    const jobs = start(env(dataDir, await freePort()), cli('jobs'), ['--once']);
    expect(await jobs.waitForExit(60_000)).toEqual({ code: 0, signal: null });
    expect(() => statSync(join(dataDir, 'pg', 'postmaster.pid'))).toThrow();
    expect(() => statSync(join(dataDir, 'embedded-postgres.json'))).toThrow();
  });

  it('a database that cannot be reached is named as such, in one line', async () => {
    const dataDir = await tempDir('kzpay-running-cli-');
    const unreachable = { ...env(dataDir, 0), DATABASE_URL: `postgres://nobody@127.0.0.1:${await freePort()}/none` };
    for (const name of ['jobs', 'audit-verify']) {
      const run = start(unreachable, cli(name), name === 'jobs' ? ['--once'] : []);
      await run.waitForExit(60_000);
      expect(run.exit!.code).not.toBe(0);
      expectOneClearLine(run, /^npm run (jobs|audit:verify) failed: the database cannot be reached \(ECONNREFUSED\); /);
    }
  });
});
