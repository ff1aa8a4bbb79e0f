/**
 * /privacy/ serves the built page and nothing else: under a Content-Security-Policy that allows
 * only its own scripts and styles and talks only to this server, with no inline script.
 */
import express from 'express';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIVACY_CENTER_CSP, PRIVACY_CENTER_DIR, privacyCenter } from '../../src/web/privacy-center';
import { useWorld } from '../support/world';

const world = useWorld();
let origin: string;
beforeAll(async () => {
  origin = new URL(world.app.url).origin;
});

const get = (path: string) => fetch(`${origin}${path}`, { redirect: 'manual' });

describe('the built page', () => {
  it('is built (npm install and npm test build it), and its HTML loads only same-origin files, with no inline script or style', () => {
    const html = readFileSync(join(PRIVACY_CENTER_DIR, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/privacy\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="/);
    for (const [, url] of html.matchAll(/\b(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^\/privacy\//);
  });

  it('/privacy/ answers the page with the policy header; /privacy redirects there', async () => {
    const page = await get('/privacy/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(PRIVACY_CENTER_CSP);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const redirect = await get('/privacy');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/privacy/');
  });

  it("the policy allows scripts, styles and connections to this origin only, and nothing inline", () => {
    const directives = new Map(PRIVACY_CENTER_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    for (const name of ['script-src', 'style-src', 'connect-src', 'img-src', 'font-src']) expect(directives.get(name)).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(PRIVACY_CENTER_CSP).not.toMatch(/unsafe-|\*|https?:|data:|blob:/);
  });

  it('assets are served with the same header and cached for good (their names carry their hash)', async () => {
    const html = await (await get('/privacy/')).text();
    const assets = [...html.matchAll(/"(\/privacy\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await get(asset);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(PRIVACY_CENTER_CSP);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('an unknown path under /privacy/ is a plain 404 that quotes nothing', async () => {
    const response = await get('/privacy/%3Cb%3Enurlanov%3C%2Fb%3E');
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).not.toMatch(/nurlanov/i);
    expect(response.headers.get('content-security-policy')).toBe(PRIVACY_CENTER_CSP);
  });
});

it('without a build, /privacy/ says how to build it (503), still under the policy header', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'privacy-center-'));
  const app = express().use('/privacy', privacyCenter(empty));
  const listening = app.listen(0);
  try {
    await new Promise((resolve) => listening.once('listening', resolve));
    const response = await fetch(`http://localhost:${(listening.address() as AddressInfo).port}/privacy/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/npm run build:web/);
    expect(response.headers.get('content-security-policy')).toBe(PRIVACY_CENTER_CSP);
  } finally {
    listening.close();
    rmSync(empty, { recursive: true, force: true });
  }
});
