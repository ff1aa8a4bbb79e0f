import { getDirective } from '@graphql-tools/utils';
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
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

function isTextual(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
}

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

  it('every String/ID field of a type holding personal data is @pii or listed as non-personal', () => {
    const personalTypes = new Set(
      objectFields(declared).filter(([, f]) => piiOf(declared, f)).map(([name]) => name.split('.')[0]!),
    );
    const unclassified = objectFields(declared)
      .filter(([name]) => personalTypes.has(name.split('.')[0]!))
      .filter(([name, f]) => isTextual(f.type) && !piiOf(declared, f) && !(name in NON_PERSONAL_FIELDS))
      .map(([name]) => name);
    expect(unclassified).toEqual([]);
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
      if (piiOf(declared, field) && isListType(field.type)) expect(isNonNullType(field.type)).toBe(false);
    }
  });

  it('the password (or its hash) is in no GraphQL output type', () => {
    const outputs = objectFields(declared).filter(([name]) => !/^(Query|Mutation)\./.test(name));
    expect(outputs.filter(([name]) => /password/i.test(name))).toEqual([]);
  });

  it('every root operation has a declared access rule (default deny for anything new)', () => {
    for (const root of ['Query', 'Mutation'] as const) {
      const type = declared.getType(root);
      if (!isObjectType(type)) throw new Error(`${root} missing`);
      expect(Object.keys(type.getFields()).sort()).toEqual(Object.keys(OPERATION_ACCESS[root]).sort());
    }
  });
});
