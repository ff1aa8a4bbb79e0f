#!/usr/bin/env node
/**
 * Bundles the development explorer (explorer/: GraphiQL and React from npm) into dist/explorer
 * with esbuild: one script and one stylesheet, fonts and images inlined, nothing fetched from
 * elsewhere at run time. Run by `npm install` / `npm ci` (prepare) and by `npm run build`.
 * esbuild and GraphiQL are dev dependencies: an install without them (`--omit=dev`, production,
 * where the explorer is off) has nothing to bundle and says so. The prepare script skips it where
 * the sources are not there yet (an image's dependency layer, built from package*.json alone).
 */
'use strict';
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'dist', 'explorer');

let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.log('explorer not bundled: esbuild is not installed (dev dependencies omitted); the explorer is for development only');
  process.exit(0);
}

esbuild
  .build({
    entryPoints: [join(ROOT, 'explorer', 'main.tsx')],
    entryNames: 'explorer',
    outdir: OUT,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
