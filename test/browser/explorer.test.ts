/**
 * In a real browser (Debian's chromium, driven by playwright-core): the development explorer
 * loads and runs queries with every request off this machine refused, and a frontend on another
 * origin reaches the API with its session cookie only when CORS_ORIGINS lists it.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { LOGIN, ME } from '../support/sessions';
import { registerClient } from '../support/accounts';
import { startTestServer } from '../support/server';
import { startWorld, type World } from '../support/world';

jest.setTimeout(120_000);

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = process.env.EXPLORER_SCREENSHOTS ?? null;

let browser: Browser;
let world: World;
let frontend: Server;
let frontendOrigin: string;
let stranger: Server;
let strangerOrigin: string;

/** A page of a frontend's own origin (as a Vite dev server would serve it). */
async function servePage(): Promise<[Server, string]> {
  const page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>'));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  return [page, `http://localhost:${(page.address() as AddressInfo).port}`];
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  [frontend, frontendOrigin] = await servePage();
  [stranger, strangerOrigin] = await servePage();
  world = await startWorld({ env: { CORS_ORIGINS: frontendOrigin } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
  for (const s of [frontend, stranger]) await new Promise((resolve) => s?.close(resolve));
});

/** A context whose every request off this machine is refused, and recorded. */
async function offline(): Promise<{ context: BrowserContext; page: Page; attempted: string[]; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const attempted: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['localhost', '127.0.0.1'].includes(url.hostname)) return route.continue();
    attempted.push(url.href);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, attempted, problems };
}

/** The result pane's text, read from its CodeMirror (innerText would carry the gutters). */
const resultText = (page: Page): Promise<string> =>
  page.evaluate("document.querySelector('.result-window .CodeMirror')?.CodeMirror.getValue() ?? ''") as Promise<string>;

/** Types `query` into the editor, runs it, and returns the answer shown. */
async function run(page: Page, query: string): Promise<Record<string, unknown>> {
  const before = await resultText(page);
  await page.locator('.graphiql-query-editor .CodeMirror').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  await page.locator('.graphiql-execute-button').click();
  for (let i = 0; i < 200; i++) {
    const text = await resultText(page);
    if (text !== before && text.trim() !== '') return JSON.parse(text) as Record<string, unknown>;
    await page.waitForTimeout(100);
  }
  throw new Error('no answer shown within 20 s');
}

describe('the explorer (GraphiQL, development only)', () => {
  it('loads with the network cut off, runs a query anonymously and with a pasted token, and tries nothing off this machine', async () => {
    const { context, page, attempted, problems } = await offline();
    try {
      const response = await page.goto(world.app.url);
      expect(response!.headers()['content-security-policy']).toContain("default-src 'none'");
      await page.locator('.graphiql-container').waitFor();

      expect(await run(page, '{ privacyPolicy { version } }')).toMatchObject({ data: { privacyPolicy: { version: expect.any(String) } } });

      // The token as `npm start` prints it; a pasted "Bearer …" works the same.
      const operator = world.tokens.operator;
      await page.locator('#kzpay-token').fill(`Bearer ${operator}`);
      expect(await run(page, '{ clients(first: 1) { totalCount } }')).toMatchObject({ data: { clients: { totalCount: expect.any(Number) } } });
      if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/explorer.png` });

      expect(attempted).toEqual([]);
      expect(problems.filter((p) => /Content Security Policy|Failed to load/i.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is not served in production: GET /graphql from a browser gets no page, and no CDN landing page either', async () => {
    const production = await startTestServer({ env: { NODE_ENV: 'production' } });
    try {
      const response = await fetch(production.app.url, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(await response.text()).not.toMatch(/<script|cdn\./i);
      expect((await fetch(new URL('/explorer/explorer.js', production.app.url))).status).toBe(404);
    } finally {
      await production.close();
    }
  });
});

describe('CORS from a real browser', () => {
  /** In a page of `origin`: login, then `me` with the session cookie only (no Authorization header). */
  async function loginThenMe(origin: string, credentials: { login: string; password: string }): Promise<unknown> {
    const { context, page } = await offline();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ({ api, login, me, credentials }) => {
          const post = (query: string, variables: Record<string, unknown> = {}) =>
            fetch(api, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then((r) => r.json());
          try {
            await post(login, { l: credentials.login, p: credentials.password });
            return await post(me);
          } catch (error) {
            return { refused: String(error) };
          }
        },
        { api: world.app.url, login: LOGIN, me: ME, credentials },
      );
    } finally {
      await context.close();
    }
  }

  it('a listed origin logs in and is then answered for its session cookie; an unlisted one cannot read anything', async () => {
    const account = await registerClient(world);
    const credentials = { login: account.input.login as string, password: account.input.password as string };
    expect(await loginThenMe(frontendOrigin, credentials)).toMatchObject({ data: { me: { id: account.clientId } } });
    expect(await loginThenMe(strangerOrigin, credentials)).toEqual({ refused: expect.stringMatching(/Failed to fetch/) });
  });
});
