/**
 * One PostgreSQL for the whole run: embedded unless DATABASE_URL names a server. Each test file
 * then creates its own database on it (see harness.ts), so files never see each other's rows.
 */
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
  const db = await startEmbeddedPostgres({ dataDir: await temporaryDataDir('kzpay-test-'), persistent: false });
  globalThis.__embeddedPostgres = db;
  process.env.TEST_SERVER_URL = db.url;
}
