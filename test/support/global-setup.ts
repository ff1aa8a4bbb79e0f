/**
 * One PostgreSQL for the whole run: embedded unless DATABASE_URL names a server. Each test file
 * then creates its own database on it (see database.ts), so files never see each other's rows.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startEmbeddedPostgres, temporaryDataDir, type EmbeddedDatabase } from '../../src/db/embedded-postgres';

declare global {
  // eslint-disable-next-line no-var
  var __embeddedPostgres: EmbeddedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = await temporaryDataDir('kzpay-test-');
  const db = await startEmbeddedPostgres({ dataDir, persistent: false });
  globalThis.__embeddedPostgres = { url: db.url, stop: async () => {
    await db.stop();
    // The cluster folder goes with stop(); its temporary parent is ours to remove.
    await rm(dirname(dataDir), { recursive: true, force: true });
  } };
  process.env.TEST_SERVER_URL = db.url;
}
