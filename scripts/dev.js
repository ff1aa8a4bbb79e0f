#!/usr/bin/env node
/**
 * `npm run dev`: the server restarted on every change. `tsc -b --watch` recompiles what changed
 * into dist/, and `node --watch` restarts the server when a file it loaded changes (it waits for
 * the old one's clean stop, so the embedded PostgreSQL is handed over, not left running).
 * TypeScript's own compiler, not a transpile-only runner: the schema depends on decorator
 * metadata, which esbuild-based runners do not emit.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };

const first = spawnSync(process.execPath, [join(__dirname, 'build.js'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

const children = [
  spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: ROOT, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', join('dist', 'src', 'main.js')], { cwd: ROOT, env, stdio: 'inherit' }),
];

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const child of children) {
  child.on('exit', (code) => {
    // One of the two gone means no more development loop: stop the other, then leave with its code.
    stop('SIGTERM');
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
  });
}
