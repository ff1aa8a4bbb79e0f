/** What `npm start` prints (built server): the banner whole, then the logs; pretty logs in development, JSON in production. */
import { freePort } from '../../src/db/embedded-postgres';
import { useEmptyDatabases } from '../support/database';
import { useProcesses } from '../support/processes';

jest.setTimeout(120_000);

const { start, tempDir } = useProcesses();
const createDatabase = useEmptyDatabases('kzpay_banner');

const ROLES = ['client', 'operator', 'dpo', 'analyst', 'partner', 'authority'];

describe('npm start output', () => {
  it('development: log lines are pretty, and the banner (URL, login, a token per role) is printed whole, logs only after it', async () => {
    const port = await freePort();
    // The job runner's first run logs right after the start: it must come after the banner.
    const server = start({ NODE_ENV: 'development', DATABASE_URL: await createDatabase(), DEMO_CLIENTS: '5', PORT: String(port), DATA_DIR: await tempDir('kzpay-banner-'), LOG_LEVEL: 'info', JOBS_INTERVAL_SECONDS: '60' });
    await server.waitFor('the job runner after the banner', (out) => /ready at[\s\S]*lifecycle jobs ran/.test(out));
    await fetch(`http://localhost:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    await server.stop();
    const lines = server.stdout.split('\n');
    const at = lines.findIndex((l) => l === `kzpay-privacy-graph ready at http://localhost:${port}/graphql`);
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe('');
    expect(lines[at + 1]).toBe('GraphiQL: open that URL in a browser, and paste a token below into its Token field.');
    expect(lines[at + 2]).toMatch(/^Demo login: demo\.client \/ demo-password\. Tokens/);
    expect(lines.slice(at + 3, at + 3 + ROLES.length).map((l) => l.trim().split(/\s+/)[0]).sort()).toEqual([...ROLES].sort());
    expect(lines[at + 3 + ROLES.length]).toBe('');
    // Before and after the banner: pino-pretty's lines ("[12:00:00] INFO: message"), not JSON.
    const logs = lines.filter((l, i) => (i < at - 1 || i > at + 3 + ROLES.length) && l.trim() !== '');
    expect(logs.some((l) => /^\[\d\d:\d\d:\d\d\] INFO: seeded demo data/.test(l))).toBe(true);
    expect(lines.slice(at + 4 + ROLES.length).some((l) => /INFO: lifecycle jobs ran/.test(l))).toBe(true);
    expect(logs.filter((l) => l.startsWith('{'))).toEqual([]);
  });

  it('production: one JSON object a line, and the banner without tokens', async () => {
    const port = await freePort();
    const server = start({ NODE_ENV: 'production', DATABASE_URL: await createDatabase(), JWT_SECRET: 'x'.repeat(40), PORT: String(port), DATA_DIR: await tempDir('kzpay-banner-'), LOG_LEVEL: 'info', JOBS_INTERVAL_SECONDS: '60' });
    await server.waitFor('the job runner after the banner', (out) => /ready at[\s\S]*lifecycle jobs ran/.test(out));
    await server.stop();
    const lines = server.stdout.split('\n').filter((l) => l.trim() !== '');
    const banner = lines.filter((l) => !l.startsWith('{'));
    expect(banner).toEqual([`kzpay-privacy-graph ready at http://localhost:${port}/graphql`]);
    for (const line of lines.filter((l) => l.startsWith('{'))) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
  });
});
