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

  it('running the migrations again changes nothing', async () => {
    expect(await db.orm.getMigrator().up()).toEqual([]);
  });
});
