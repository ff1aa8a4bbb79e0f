/**
 * type-graphql gives every plain field (a property, no @FieldResolver, no middleware) a resolver
 * of its own that builds a resolver-data object and runs the middleware chain for each value it
 * reads. Reading a property needs none of that: graphql-js's default resolver reads it the same way.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

export function withPlainFieldsUnwrapped(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const typeNames = new Map<Function, string>(storage.objectTypes.map((t) => [t.target, t.name]));
  const resolved = new Set(storage.fieldResolvers.map((r) => `${typeNames.get(r.getObjectType?.() as Function) ?? '?'}.${r.schemaName}`));
  const plain = new Set(
    storage.objectTypes.flatMap((t) =>
      (t.fields ?? []).filter((f) => (f.middlewares?.length ?? 0) === 0 && f.name === f.schemaName).map((f) => `${t.name}.${f.schemaName}`),
    ),
  );
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const key = `${typeName}.${fieldName}`;
      return plain.has(key) && !resolved.has(key) ? { ...config, resolve: undefined } : config;
    },
  });
}
