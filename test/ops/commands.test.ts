/** Every command (built files, as npm runs them): `--help`, a bad argument in one line, and no rebuild when the build is current. */
import { spawnSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { cli, MAIN, ROOT, STACK_TRACE } from '../support/processes';

jest.setTimeout(120_000);

const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 });

const COMMANDS: Array<[string, string]> = [
  ['npm start', MAIN],
  ['npm run jobs', cli('jobs')],
  ['npm run audit:verify', cli('audit-verify')],
  ['npm run token', cli('token')],
  ['npm run schema', cli('print-schema')],
  ['npm run policy', cli('print-policy')],
  ['npm run migration:create', cli('migration-create')],
  ['npm run migrate', cli('migrate')],
  ['npm run bench', join(ROOT, 'dist', 'bench', 'run.js')],
];

describe.each(COMMANDS)('%s', (command, script) => {
  it('--help prints its usage and exits 0, doing nothing else', () => {
    const help = run(script, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
    expect(help.stdout).toContain('-h, --help');
    expect(help.stderr).toBe('');
  });

  it('an unknown option exits 2 with one line pointing at --help', () => {
    const bad = run(script, ['--no-such-option']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual([`${command}: Unknown option '--no-such-option' (see ${command} -- --help)`]);
    expect(bad.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('npm run token', () => {
  it('refuses a missing role in one line, and partner tokens with where to get them', () => {
    for (const [args, line] of [
      [['--sub', 'x'], 'npm run token: --role <client|operator|dpo|analyst> and --sub <id> are required (see npm run token -- --help)'],
      [['--role', 'partner', '--sub', 'x'], 'npm run token: partner and authority tokens are issued by the DPO: mutations issuePartnerToken / issueAuthorityToken (see npm run token -- --help)'],
    ] as const) {
      const result = run(cli('token'), [...args], { JWT_SECRET: 'x'.repeat(40) });
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(line);
    }
  });
});

describe('scripts/build.js --if-stale (the pre-script of start, test and every CLI)', () => {
  const stamp = join(ROOT, 'dist', '.build-stamp');

  it('does nothing when dist/ is newer than every source, and rebuilds when it is not', () => {
    const build = () => run(join(ROOT, 'scripts', 'build.js'), ['--if-stale']);
    // Current after this (as `npm test`'s pre-script leaves it); a second run must then do nothing.
    expect(build().status).toBe(0);
    const before = statSync(stamp).mtimeMs;
    expect(build().status).toBe(0);
    expect(statSync(stamp).mtimeMs).toBe(before);
    // A stamp older than the sources (as after an edit): the compiler runs and the stamp moves on.
    const old = new Date('2000-01-01T00:00:00Z');
    utimesSync(stamp, old, old);
    expect(build().status).toBe(0);
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(old.getTime());
  });
});
