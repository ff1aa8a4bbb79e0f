#!/usr/bin/env node
/**
 * `npm run build`: TypeScript into dist/ with `tsc -b` (incremental: only what changed is
 * rebuilt), and the development explorer's bundle (scripts/build-explorer.js). With `--if-stale`, the pre-script of `npm start`, `npm test` and every CLI, it first
 * compares modification times and returns at once when dist/ is newer than every input, so a
 * command starts without paying for the compiler when nothing changed.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
/** Written after a build that succeeded: a failed one is tried again next time, errors shown. */
const STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'bench', 'migrations', 'explorer', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/build.js', 'scripts/build-explorer.js'];

/** The newest mtime under `path`; folders count too, so a deleted or renamed file makes the build stale. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of readdirSync(path)) time = Math.max(time, newest(join(path, entry)));
  return time;
}

function isCurrent() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((input) => !existsSync(join(ROOT, input)) || newest(join(ROOT, input)) <= built);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv.includes('--if-stale') && isCurrent()) process.exit(0);
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
run(process.execPath, [join(__dirname, 'build-explorer.js')]);
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
