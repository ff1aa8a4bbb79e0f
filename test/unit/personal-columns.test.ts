/**
 * The personal-column declaration (src/privacy/personal-columns.ts) against what it describes:
 * the entities' metadata, the @pii marks of the API, the client filters and the erased-row
 * trigger's latest migration. A personal field added anywhere without its entry fails here.
 */
import { getDirective } from '@graphql-tools/utils';
import type { Migration } from '@mikro-orm/migrations';
import { MikroORM, type EntityProperty } from '@mikro-orm/postgresql';
import { isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ormOptions } from '../../src/db/orm';
import { ERASED_ROW_GUARD, erasedRowGuardSql } from '../../src/erasure/erased-row';
import { ERASED_CATEGORIES } from '../../src/erasure/erasure.entity';
import { buildDeclaredSchema } from '../../src/graphql/schema';
import { PROJECT_ROOT } from '../../src/paths';
import { CLIENT_PERSONAL_COLUMNS, emptyValue, holdsValue, PERSONAL_FILTERS, PERSONAL_TABLES } from '../../src/privacy/personal-columns';

let orm: MikroORM;
let schema: GraphQLSchema;
beforeAll(async () => {
  // Metadata only: no connection is opened.
  orm = await MikroORM.init({ ...ormOptions('postgres://nobody@127.0.0.1:1/none'), connect: false });
  schema = await buildDeclaredSchema();
});
afterAll(() => orm.close(true));

const propertyOf = (entity: string, property: string): EntityProperty | undefined => orm.getMetadata().get(entity).properties[property as never];

/** Every `@pii` field of a GraphQL type, with its category. */
function piiFields(typeName: string): Array<[string, string]> {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields()).flatMap((f) => {
    const pii = getDirective(schema, f, 'pii')?.[0];
    return pii ? [[f.name, pii.category as string] as [string, string]] : [];
  });
}

describe.each(PERSONAL_TABLES.map((t) => [t.entity, t] as const))('the declaration of %s', (entity, table) => {
  it('names its table and, for each entry, a stored property with that column, nullable exactly when erasure empties it to null', () => {
    expect(orm.getMetadata().get(entity).tableName).toBe(table.table);
    for (const c of table.columns) {
      const property = propertyOf(entity, c.property);
      expect({ property: c.property, column: property?.fieldNames }).toEqual({ property: c.property, column: [c.column] });
      expect({ property: c.property, nullable: Boolean(property!.nullable) }).toEqual({ property: c.property, nullable: c.emptied === 'null' });
    }
  });

  it('has an entry, of the same category, for every @pii field the API serves from a stored property; the rest are computed from declared ones', () => {
    const declared = new Map(table.columns.map((c) => [c.property, c.category as string]));
    for (const [field, category] of piiFields(entity)) {
      const from = table.computed[field] ?? [field];
      expect({ field, from: from.map((p) => declared.get(p)) }).toEqual({ field, from: from.map(() => category) });
    }
    for (const field of Object.keys(table.computed)) expect(propertyOf(entity, field)).toBeUndefined();
  });

  it('lists each property once, and marks every served entry @pii (only the password hash is never served)', () => {
    expect(new Set(table.columns.map((c) => c.property)).size).toBe(table.columns.length);
    const served = new Set(piiFields(entity).map(([field]) => field));
    expect(table.columns.filter((c) => !served.has(c.property)).map((c) => c.property)).toEqual(entity === 'Client' ? ['passwordHash'] : []);
  });
});

describe('list columns', () => {
  it.each(CLIENT_PERSONAL_COLUMNS.filter((c) => c.emptied !== 'null').map((c) => [c.property, c.emptied] as const))(
    '%s is stored as %s',
    (property, emptied) => {
      const stored = propertyOf('Client', property)!;
      expect(stored.columnTypes).toEqual([emptied === 'text[]' ? 'text[]' : 'jsonb']);
    },
  );

  it('are emptied to a new list each time, and hold a value only when not empty', () => {
    const phones = CLIENT_PERSONAL_COLUMNS.find((c) => c.property === 'phones')!;
    expect(emptyValue(phones)).toEqual([]);
    expect(emptyValue(phones)).not.toBe(emptyValue(phones));
    expect([holdsValue(phones, []), holdsValue(phones, ['+77010000000'])]).toEqual([false, true]);
    const login = CLIENT_PERSONAL_COLUMNS.find((c) => c.property === 'login')!;
    expect([emptyValue(login), holdsValue(login, null), holdsValue(login, 'a')]).toEqual([null, false, true]);
  });
});

describe('categories', () => {
  it('every category an erasure receipt can name, but the sessions, is the category of some declared column', () => {
    const declared = new Set<string>(PERSONAL_TABLES.flatMap((t) => t.columns.map((c) => c.category)));
    expect(ERASED_CATEGORIES.filter((c) => c !== 'SESSIONS' && !declared.has(c))).toEqual([]);
    expect([...declared].filter((c) => !(ERASED_CATEGORIES as readonly string[]).includes(c))).toEqual([]);
  });
});

describe('personal client filters', () => {
  it('are fields of ClientFilter, each reading columns of one category, named in the order of P1', () => {
    const input = schema.getType('ClientFilter');
    if (!isInputObjectType(input)) throw new Error('ClientFilter is not an input type');
    expect(PERSONAL_FILTERS.map((f) => f.name)).toEqual(['surname', 'phone', 'email', 'iinOrBin']);
    for (const filter of PERSONAL_FILTERS) {
      expect(Object.keys(input.getFields())).toContain(filter.name);
      expect(filter.columns.map((c) => c.category)).toEqual(filter.columns.map(() => filter.category));
    }
    expect(PERSONAL_FILTERS.find((f) => f.name === 'iinOrBin')!.columns.map((c) => c.column)).toEqual(['iin', 'bin']);
  });
});

describe('the erased-row trigger', () => {
  /** The SQL each migration's `up` adds, in the order the migrator runs them. */
  async function migrationStatements(): Promise<Array<[string, string[]]>> {
    const dir = join(PROJECT_ROOT, 'migrations');
    const files = readdirSync(dir).filter((f) => /^Migration\d+\.ts$/.test(f)).sort();
    return Promise.all(
      files.map(async (file) => {
        const module = require(join(dir, file)) as Record<string, new (driver: null, config: null) => Migration>;
        const migration = new module[file.replace(/\.ts$/, '')]!(null, null);
        await migration.up();
        return [file, migration.getQueries().map(String)] as [string, string[]];
      }),
    );
  }

  it("is last defined by a migration whose text is the function the declaration derives (npm run migration:create writes it)", async () => {
    const definitions = (await migrationStatements()).flatMap(([file, statements]) =>
      statements.filter((sql) => sql.includes(`function ${ERASED_ROW_GUARD}()`)).map((sql) => [file, sql] as const),
    );
    expect(definitions.length).toBeGreaterThan(0);
    expect(definitions.at(-1)![1]).toBe(erasedRowGuardSql());
  });

  it('checks every declared client column, each in one line', () => {
    const sql = erasedRowGuardSql();
    for (const c of CLIENT_PERSONAL_COLUMNS) expect(sql.split('\n').filter((line) => line.includes(`new.${c.column} `) || line.includes(`new.${c.column})`))).toHaveLength(1);
  });
});
