import { ERASED_ROW_GUARD, erasedRowGuardBody } from '../../src/erasure/erased-row';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('migrations', () => {
  it('the committed migrations build exactly the schema the entities describe (no drift)', async () => {
    const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    expect(diff.trim()).toBe('');
  });

  it('leave the erased-row trigger checking the columns the personal-column declaration lists (so migration:create has nothing to add)', async () => {
    const functions = await db.orm.em.fork().getConnection().execute<{ body: string }[]>(`select prosrc as body from pg_proc where proname = ?`, [ERASED_ROW_GUARD]);
    expect(functions).toEqual([{ body: erasedRowGuardBody() }]);
  });

  it('running the migrations again changes nothing', async () => {
    expect(await db.orm.getMigrator().up()).toEqual([]);
  });
});
