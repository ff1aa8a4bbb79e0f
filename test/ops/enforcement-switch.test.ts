/**
 * The benchmark's baseline switches enforcement off; nothing the server runs from `src/` may. The
 * only way to reach `enforcement: false` is a call written in bench/, never configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';
import { TEST_JWT_SECRET } from '../support/server';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('enforcement cannot be switched off in the server', () => {
  it('no source file under src/ passes enforcement: false or reads the bench switch', () => {
    const offenders = sources(join(PROJECT_ROOT, 'src'))
      .filter((file) => /enforcement\s*:\s*(false|[a-z])|[{,]\s*enforcement\s*[,}]|BENCH_ENFORCEMENT/i.test(readFileSync(file, 'utf8')))
      .map((file) => relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('configuration has no setting that names enforcement', () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://x@127.0.0.1/x', BENCH_ENFORCEMENT: 'off' });
    expect(JSON.stringify(config)).not.toMatch(/enforce/i);
  });
});
