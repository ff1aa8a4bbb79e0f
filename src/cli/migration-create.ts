/** Generates a migration from the entities' diff against a fresh database (`npm run migration:create`). */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { join } from 'node:path';
import { ormOptions } from '../db/orm';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { PROJECT_ROOT } from '../paths';

async function main(): Promise<void> {
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => undefined }
    : await startEmbeddedPostgres({ dataDir: await temporaryDataDir('kzpay-mig-'), persistent: false });
  try {
    // Apply what is committed (compiled), then diff the entities against that schema.
    const applied = await MikroORM.init(ormOptions(db.url));
    const initial = (await applied.getMigrator().up()).length === 0;
    await applied.close(true);
    const base = ormOptions(db.url);
    const orm = await MikroORM.init({ ...base, migrations: { ...base.migrations, path: join(PROJECT_ROOT, 'migrations'), emit: 'ts' } });
    const result = await orm.getMigrator().createMigration(undefined, false, initial);
    await orm.close(true);
    console.log(result.fileName ? `wrote migrations/${result.fileName}` : 'entities and migrations agree: nothing to write');
  } finally {
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
