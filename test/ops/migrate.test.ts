/** `npm run migrate -- status|up|down` (the built CLI) against a fresh database. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useEmptyDatabases } from '../support/database';
import { cli, ROOT, STACK_TRACE } from '../support/processes';

jest.setTimeout(120_000);

const MIGRATIONS = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const createDatabase = useEmptyDatabases('kzpay_mig');
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createDatabase();
});

function migrate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli('migrate'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'development', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
  expect(result.stderr).not.toMatch(STACK_TRACE);
  return { code: result.status, out: result.stdout.trim().split('\n'), err: result.stderr.trim() };
}

const pending = (names: string[]) => names.map((n) => `pending   ${n}`);

describe('npm run migrate', () => {
  it('status on an empty database lists every migration as pending', () => {
    expect(migrate(['status'])).toEqual({ code: 0, out: [...pending(MIGRATIONS), `0 executed, ${MIGRATIONS.length} pending`], err: '' });
  });

  it('up applies them all, then has nothing to apply; status shows when each ran', () => {
    expect(migrate(['up'])).toEqual({ code: 0, out: [...MIGRATIONS.map((n) => `applied   ${n}`), `${MIGRATIONS.length} applied`], err: '' });
    expect(migrate(['up']).out).toEqual(['nothing to apply']);
    const status = migrate(['status']).out;
    expect(status.slice(0, -1)).toEqual(MIGRATIONS.map((n) => expect.stringMatching(new RegExp(`^executed  ${n}  \\d{4}-\\d\\d-\\d\\dT`))));
    expect(status.at(-1)).toBe(`${MIGRATIONS.length} executed, 0 pending`);
  });

  it('down reverts the last one only, and up applies it again', async () => {
    const last = MIGRATIONS.at(-1)!;
    expect(migrate(['down'])).toEqual({ code: 0, out: [`reverted  ${last}`, '1 reverted'], err: '' });
    expect(migrate(['status']).out.slice(-2)).toEqual([`pending   ${last}`, `${MIGRATIONS.length - 1} executed, 1 pending`]);
    expect(migrate(['up']).out).toEqual([`applied   ${last}`, '1 applied']);
  });

  it('refuses down in production without --allow-production, and a missing action, in one line', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    expect(migrate(['down'], production)).toEqual({
      code: 2,
      out: [''],
      err: 'npm run migrate: down in production drops legally kept records: add --allow-production if that is meant (see npm run migrate -- --help)',
    });
    expect(migrate(['status']).out.at(-1)).toBe(`${MIGRATIONS.length} executed, 0 pending`);
    expect(migrate([])).toMatchObject({ code: 2, err: 'npm run migrate: give one action: status, up or down (see npm run migrate -- --help)' });
  });
});
