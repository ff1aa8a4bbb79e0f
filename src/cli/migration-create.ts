/**
 * Generates a migration from the entities' diff against a fresh database (`npm run migration:create`),
 * with the erased-row trigger's function recreated when the personal-column declaration changed.
 * `-- --blank` writes an empty one for what no entity states (triggers, functions, roles).
 */
import 'reflect-metadata';
import { TSMigrationGenerator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ormOptions } from '../db/orm';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { ERASED_ROW_GUARD, erasedRowGuardBody, erasedRowGuardSql } from '../erasure/erased-row';
import { PROJECT_ROOT } from '../paths';
import { runCli, type CliSpec } from './cli';

const MIGRATION_CREATE_CLI = {
  command: 'npm run migration:create',
  usage: `
Usage: npm run migration:create [-- --blank]

Applies the committed migrations to a fresh database (a throw-away embedded PostgreSQL, or
DATABASE_URL), diffs the entities against it and writes the difference to migrations/. When the
personal columns declared in src/privacy/personal-columns.ts differ from those the migrated
erased-row trigger checks, the migration recreates the trigger's function too.

  --blank     write an empty migration, for what no entity states (triggers, functions, roles)
  -h, --help  this text
`,
  options: { blank: { type: 'boolean', default: false } },
} as const satisfies CliSpec;

interface Statements {
  up: string[];
  down: string[];
}

/** The erased-row trigger's function from the declaration, if the migrated one differs (and back to that one). */
async function guardChange(orm: MikroORM): Promise<Statements> {
  const [current] = await orm.em.getConnection().execute<{ body: string }[]>(`select prosrc as body from pg_proc where proname = ?`, [ERASED_ROW_GUARD]);
  if (current?.body === erasedRowGuardBody()) return { up: [], down: [] };
  return { up: [erasedRowGuardSql()], down: current ? [erasedRowGuardSql(current.body)] : [`drop function if exists ${ERASED_ROW_GUARD}();`] };
}

async function main({ values }: { values: { blank?: boolean } }): Promise<number> {
  const dataDir = process.env.DATABASE_URL ? null : await temporaryDataDir('kzpay-mig-');
  const db = dataDir
    ? await startEmbeddedPostgres({ dataDir, persistent: false })
    : { url: process.env.DATABASE_URL!, stop: async () => undefined };
  try {
    // Apply what is committed (compiled), then diff the entities against that schema.
    const applied = await MikroORM.init(ormOptions(db.url));
    const initial = (await applied.getMigrator().up()).length === 0;
    const guard = await guardChange(applied);
    await applied.close(true);
    // The guard's statements go after the entities' (a new column exists before the function reads it) and are undone first.
    class Generator extends TSMigrationGenerator {
      override generateMigrationFile(className: string, diff: Statements): string {
        return super.generateMigrationFile(className, { up: [...diff.up, ...guard.up], down: [...guard.down, ...diff.down] });
      }
    }
    const base = ormOptions(db.url);
    const migrations = { ...base.migrations, path: join(PROJECT_ROOT, 'migrations'), emit: 'ts' as const, generator: Generator };
    const orm = await MikroORM.init({ ...base, migrations });
    const blank = values.blank;
    let { fileName } = await orm.getMigrator().createMigration(undefined, blank, initial && !blank);
    if (!fileName && guard.up.length > 0) {
      [, fileName] = await new Generator(orm.em.getDriver(), orm.config.getNamingStrategy(), orm.config.get('migrations')).generate({ up: [], down: [] });
    }
    await orm.close(true);
    console.log(fileName ? `wrote migrations/${fileName}` : 'entities and migrations agree: nothing to write');
    return 0;
  } finally {
    await db.stop();
    if (dataDir) await rm(dirname(dataDir), { recursive: true, force: true });
  }
}

runCli(MIGRATION_CREATE_CLI, main);
