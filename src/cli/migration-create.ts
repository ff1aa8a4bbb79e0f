/**
 * Generates a migration from the entities' diff against a fresh database (`npm run migration:create`).
 * `-- --blank` writes an empty one for what no entity states (triggers, functions, roles).
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ormOptions } from '../db/orm';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { PROJECT_ROOT } from '../paths';
import { runCli, type CliSpec } from './cli';

const MIGRATION_CREATE_CLI = {
  command: 'npm run migration:create',
  usage: `
Usage: npm run migration:create [-- --blank]

Applies the committed migrations to a fresh database (a throw-away embedded PostgreSQL, or
DATABASE_URL), diffs the entities against it and writes the difference to migrations/.

  --blank     write an empty migration, for what no entity states (triggers, functions, roles)
  -h, --help  this text
`,
  options: { blank: { type: 'boolean', default: false } },
} as const satisfies CliSpec;

async function main({ values }: { values: { blank?: boolean } }): Promise<number> {
  const dataDir = process.env.DATABASE_URL ? null : await temporaryDataDir('kzpay-mig-');
  const db = dataDir
    ? await startEmbeddedPostgres({ dataDir, persistent: false })
    : { url: process.env.DATABASE_URL!, stop: async () => undefined };
  try {
    // Apply what is committed (compiled), then diff the entities against that schema.
    const applied = await MikroORM.init(ormOptions(db.url));
    const initial = (await applied.getMigrator().up()).length === 0;
    await applied.close(true);
    const base = ormOptions(db.url);
    const orm = await MikroORM.init({ ...base, migrations: { ...base.migrations, path: join(PROJECT_ROOT, 'migrations'), emit: 'ts' } });
    const blank = values.blank;
    const result = await orm.getMigrator().createMigration(undefined, blank, initial && !blank);
    await orm.close(true);
    console.log(result.fileName ? `wrote migrations/${result.fileName}` : 'entities and migrations agree: nothing to write');
    return 0;
  } finally {
    await db.stop();
    if (dataDir) await rm(dirname(dataDir), { recursive: true, force: true });
  }
}

runCli(MIGRATION_CREATE_CLI, main);
