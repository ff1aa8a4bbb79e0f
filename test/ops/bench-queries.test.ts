/**
 * The benchmark measures the guard on every personal field: scenario 1 selects each `@pii` field
 * of a client and its orders, as the printed schema declares them, so a new field cannot make
 * the figures flatter by being left out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isObjectType, parse, TypeInfo, visit, visitWithTypeInfo, type GraphQLObjectType } from 'graphql';
import { ME, OPERATOR_LIST } from '../../bench/queries';
import { PROJECT_ROOT } from '../../src/paths';

const sdl = readFileSync(join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8');
const schema = buildSchema(sdl);

/** `Type.field` for every field of `type` (and of the object types below it) that carries @pii. */
function personalFields(type: GraphQLObjectType, seen = new Set<string>()): string[] {
  if (seen.has(type.name)) return [];
  seen.add(type.name);
  return Object.values(type.getFields()).flatMap((field) => {
    const own = field.astNode?.directives?.some((d) => d.name.value === 'pii') ? [`${type.name}.${field.name}`] : [];
    const below = getNamedType(field.type);
    return [...own, ...(isObjectType(below) ? personalFields(below, seen) : [])];
  });
}

function selected(document: string): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const fields = new Set<string>();
  visit(parse(document), visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (parent) fields.add(`${parent.name}.${node.name.value}`);
    },
  }));
  return fields;
}

it.each([['scenario 1 (operator list)', OPERATOR_LIST], ['scenario 4 (me)', ME]])('%s selects every personal field of a client and of its orders', (_name, document) => {
  const client = schema.getType('Client') as GraphQLObjectType;
  const order = schema.getType('Order') as GraphQLObjectType;
  const wanted = [...personalFields(client), ...personalFields(order)];
  expect(wanted.length).toBeGreaterThan(15);
  const got = selected(document);
  expect(wanted.filter((f) => !got.has(f))).toEqual([]);
});
