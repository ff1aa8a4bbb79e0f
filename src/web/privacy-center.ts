/**
 * The privacy center (web/, built by `npm run build:web` into web/dist) at /privacy/: static files
 * only, under a Content-Security-Policy that lets the page load nothing but its own bundle and
 * talk to nothing but this server's /graphql.
 */
import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { PROJECT_ROOT } from '../paths';

export const PRIVACY_CENTER_PATH = '/privacy';
export const PRIVACY_CENTER_DIR = join(PROJECT_ROOT, 'web', 'dist');

/** No inline script or style, no other origin, no framing, no plugins, no forms posting anywhere. */
export const PRIVACY_CENTER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'content-security-policy': PRIVACY_CENTER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export function privacyCenter(dir: string = PRIVACY_CENTER_DIR): Router {
  const assets = join(dir, 'assets') + sep;
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set(HEADERS);
    next();
  });
  router.use((_req, res, next) => {
    if (existsSync(join(dir, 'index.html'))) return next();
    res.status(503).type('text/plain').send('The privacy center is not built: run `npm run build:web` (npm install does it).\n');
  });
  router.use(
    express.static(dir, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders: (res, path) => {
        // Vite names assets by content hash: they never change under a name. The page itself must be re-read.
        res.set('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // Hash routes (#/consent) keep screens out of the path: anything else here is simply absent, and the answer quotes nothing.
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  return router;
}
