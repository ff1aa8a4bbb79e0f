/**
 * The development explorer: `GET /graphql` from a browser (it asks for HTML) gets GraphiQL,
 * bundled from npm packages into dist/explorer at install (scripts/build-explorer.js). Everything
 * comes from this server, and the page's Content-Security-Policy lets nothing else load, so it
 * works offline and reports nowhere. Off in production, where introspection is off too.
 */
import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

const BUNDLE = join(PROJECT_ROOT, 'dist', 'explorer');
export const EXPLORER_ASSETS = '/explorer';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set element styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kzpay-privacy-graph · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_ASSETS}/explorer.css">
</head>
<body>
<div id="explorer"></div>
<script src="${EXPLORER_ASSETS}/explorer.js"></script>
</body>
</html>
`;

const NOT_BUILT = 'The explorer is not bundled: run `npm install` (its prepare step bundles it into dist/explorer), or `npm run build`.\n';

/** GraphiQL at GET /graphql for browsers and its files under /explorer; a GraphQL GET (a `query` parameter, JSON accepted) goes on to Apollo. */
export function explorerRouter(): Router {
  const router = express.Router();
  router.get('/graphql', (req, res, next) => {
    const browser = req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    if (!browser || req.query.query !== undefined) return next();
    res.set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': CSP, 'referrer-policy': 'no-referrer' });
    if (!existsSync(join(BUNDLE, 'explorer.js'))) return void res.status(503).type('text/plain').send(NOT_BUILT);
    res.type('html').send(PAGE);
  });
  router.use(EXPLORER_ASSETS, express.static(BUNDLE, { index: false, fallthrough: false, setHeaders: (res) => res.set('x-content-type-options', 'nosniff') }));
  return router;
}
