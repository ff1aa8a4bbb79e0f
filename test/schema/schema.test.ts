import { getDirective } from '@graphql-tools/utils';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { OPERATION_ACCESS } from '../../src/auth/operation-access';
import { printedSchema, SCHEMA_FILE } from '../../src/cli/print-schema';
import { NON_PERSONAL_FIELDS, PERSONAL_VALUE_TYPES } from '../../src/graphql/non-personal-fields';
import { PII_GUARDED } from '../../src/graphql/pii.directive';
import { buildApiSchema, buildDeclaredSchema } from '../../src/graphql/schema';

let declared: GraphQLSchema;
let enforced: GraphQLSchema;
beforeAll(async () => {
  declared = await buildDeclaredSchema();
  enforced = await buildApiSchema();
});

function objectFields(schema: GraphQLSchema): Array<[string, GraphQLField<unknown, unknown>]> {
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.values((t as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()).map(
      (f) => [`${t.name}.${f.name}`, f] as [string, GraphQLField<unknown, unknown>],
    ));
}

const piiOf = (schema: GraphQLSchema, field: GraphQLField<unknown, unknown>) => getDirective(schema, field, 'pii')?.[0];

/**
 * A leaf carries a value of its own: any scalar or enum. A number, a flag or an enum label can be
 * personal too (a notice's length, a client's status), so none is exempt from classification.
 */
function isLeaf(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isScalarType(named) || isEnumType(named);
}

/** Every object type a caller can reach from Query and Mutation (through lists, interfaces and unions). */
function reachableObjectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  const seen = new Map<string, GraphQLObjectType>();
  const queue = [schema.getQueryType(), schema.getMutationType()].filter((t): t is GraphQLObjectType => Boolean(t));
  while (queue.length > 0) {
    const type = queue.shift()!;
    if (seen.has(type.name)) continue;
    seen.set(type.name, type);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named)) queue.push(named);
      else if (isAbstractType(named)) queue.push(...schema.getPossibleTypes(named));
    }
  }
  return [...seen.values()];
}

/**
 * The reachable leaf fields (scalars and enums, the roots' own included) that are neither @pii nor
 * in the allow-list with a reason: what a new field would be if it shipped unclassified. Fields of
 * personal value types are guarded whole by their @pii parent (checked separately below).
 */
function unclassifiedFields(
  schema: GraphQLSchema,
  allowList: Readonly<Record<string, string>>,
  personalValueTypes: readonly string[],
): string[] {
  return reachableObjectTypes(schema)
    .filter((type) => !personalValueTypes.includes(type.name))
    .flatMap((type) => Object.values(type.getFields()).map((field) => [`${type.name}.${field.name}`, field] as const))
    .filter(([name, field]) => isLeaf(field.type) && !piiOf(schema, field) && !allowList[name]?.trim())
    .map(([name]) => name)
    .sort();
}

describe('the classification check itself', () => {
  const tiny = buildSchema(`
    directive @pii(category: String!) on FIELD_DEFINITION
    scalar Day
    enum Mood { CALM, ANGRY }
    type Query { me: Person, search: [Hit!]!, count: Int }
    type Mutation { rename: Person, forget: Boolean! }
    type Person { id: ID!, name: String @pii(category: "FULL_NAME"), phone: String, birthday: Day, age: Int, height: Float, married: Boolean, mood: Mood, moods: [Mood!], pet: Pet, home: Place @pii(category: "RESIDENCE_ADDRESS") }
    type Place { street: String }
    type Pet { nickname: String }
    union Hit = Person | Shop
    type Shop { title: String }
    type Orphan { secret: String, code: Int }
  `);
  const ALL_BUT_ID = ['Mutation.forget', 'Person.age', 'Person.birthday', 'Person.height', 'Person.married', 'Person.mood', 'Person.moods', 'Person.phone', 'Pet.nickname', 'Query.count', 'Shop.title'];

  it('reports every unclassified leaf reachable by any path: text, numbers, flags and enums, the roots\' own too', () => {
    expect(unclassifiedFields(tiny, { 'Person.id': 'random UUID' }, ['Place'])).toEqual(ALL_BUT_ID);
    expect(unclassifiedFields(tiny, { 'Person.id': 'random UUID' }, [])).toContain('Place.street');
  });

  it('accepts @pii fields and allow-listed fields with a reason, but not an entry with a blank reason', () => {
    const allow = Object.fromEntries([['Person.id', 'random UUID'], ...ALL_BUT_ID.map((name) => [name, 'not personal'])]);
    expect(unclassifiedFields(tiny, { ...allow, 'Person.mood': ' ' }, ['Place'])).toEqual(['Person.mood']);
    expect(unclassifiedFields(tiny, allow, ['Place'])).toEqual([]);
  });
});

describe('the schema file and the @pii directive', () => {
  it('schema/schema.graphql is the SDL printed from the code (run `npm run schema` to refresh it)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printedSchema());
  });

  it('the enforced schema keeps every @pii directive of the declared one', () => {
    const declaredPii = objectFields(declared).filter(([, f]) => piiOf(declared, f)).map(([name]) => name);
    const enforcedPii = objectFields(enforced).filter(([, f]) => piiOf(enforced, f)).map(([name]) => name);
    expect(declaredPii.length).toBeGreaterThan(10);
    expect(enforcedPii).toEqual(declaredPii);
  });

  it('every @pii field is wrapped by the enforcement guard, and no other field is', () => {
    for (const [name, field] of objectFields(enforced)) {
      const guarded = Boolean(field.resolve && PII_GUARDED in field.resolve);
      expect({ name, guarded }).toEqual({ name, guarded: Boolean(piiOf(enforced, field)) });
    }
  });

  it('every leaf field (scalar or enum) reachable from Query and Mutation is @pii or listed as non-personal with a reason', () => {
    expect(unclassifiedFields(declared, NON_PERSONAL_FIELDS, PERSONAL_VALUE_TYPES)).toEqual([]);
  });

  it('every allow-list entry names a field that exists and is not @pii (no stale or contradictory entries)', () => {
    const fields = new Map(objectFields(declared));
    const stale = Object.keys(NON_PERSONAL_FIELDS).filter((name) => !fields.has(name) || piiOf(declared, fields.get(name)!));
    expect(stale).toEqual([]);
  });

  it('personal value types (addresses, bank accounts) are reachable only through @pii fields', () => {
    const offenders = objectFields(declared)
      .filter(([, f]) => PERSONAL_VALUE_TYPES.includes(getNamedType(f.type).name) && !piiOf(declared, f))
      .map(([name]) => name);
    expect(offenders).toEqual([]);
  });

  it('every @pii field is nullable, so a hidden value can be null', () => {
    for (const [name, field] of objectFields(declared)) {
      if (piiOf(declared, field)) expect({ name, nonNull: isNonNullType(field.type) }).toEqual({ name, nonNull: false });
    }
  });

  it('the password (or its hash) is in no GraphQL output type', () => {
    const outputs = objectFields(declared).filter(([name]) => !/^(Query|Mutation)\./.test(name));
    // A field holding the password or a hash of it ends in `password` or `passwordHash`; `passwordResets` (times only) does not.
    expect(outputs.filter(([name]) => /password(_?hash)?$/i.test(name)).map(([name]) => name)).toEqual([]);
  });

  it('every root operation has a declared access rule (default deny for anything new)', () => {
    for (const root of ['Query', 'Mutation'] as const) {
      const type = declared.getType(root);
      if (!isObjectType(type)) throw new Error(`${root} missing`);
      expect(Object.keys(type.getFields()).sort()).toEqual(Object.keys(OPERATION_ACCESS[root]).sort());
    }
  });
});
