/**
 * `npm run audit:verify`: walks the disclosure log's hash chain and names the first broken link.
 * Exit code 0 when intact, 1 when broken, 2 when the check could not run. Uses DATABASE_URL, or the
 * embedded database under DATA_DIR (then the server must not be running on it).
 */
import 'reflect-metadata';
import { openConfiguredDatabase } from '../bootstrap';
import { loadConfig } from '../config';
import { verifyChain } from '../disclosure/disclosure-log';

async function main(): Promise<number> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    const verdict = await verifyChain(database.orm.em.fork());
    if (verdict.ok) {
      console.log(`disclosure log intact: ${verdict.entries} entries, head ${verdict.head}`);
      return 0;
    }
    const { seq, id, reason } = verdict.brokenAt;
    console.error(`disclosure log BROKEN at entry seq=${seq} id=${id ?? '?'}: ${reason} (${verdict.entries} entries before it verified)`);
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('audit:verify could not run:', error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
