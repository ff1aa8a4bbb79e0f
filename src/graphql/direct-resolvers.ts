/**
 * type-graphql runs every field through its own pipeline: a resolver-data object and a middleware
 * pass for each plain property, and for a @FieldResolver with an argument an `async` argument
 * validation, which turns the field into a Promise for every object of a list (and graphql-js then
 * completes each of those objects asynchronously). This schema uses no middleware, no auth checker
 * and no validation (`validate: false`), so the pipeline only costs: plain fields get graphql-js's
 * default resolver, and field resolvers whose parameters are the parent, scalar arguments, the
 * context and the info are called directly, with the same parameters.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLScalarType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type Param = { kind: string; index: number; name?: string; getType?: () => unknown; propertyName?: string };
type ParamOf = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/** How to produce one parameter without the pipeline; null where the pipeline would do more. */
function directParam(param: Param): ParamOf | null {
  if (param.propertyName) return null;
  switch (param.kind) {
    case 'root': {
      const type = param.getType?.();
      return type === undefined || type === Object ? (root) => root : null;
    }
    case 'arg': {
      const name = param.name!;
      return param.getType?.() instanceof GraphQLScalarType ? (_root, args) => args[name] : null;
    }
    case 'context':
      return (_root, _args, context) => context;
    case 'info':
      return (_root, _args, _context, info) => info;
    default:
      return null;
  }
}

export function withDirectResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const typeNames = new Map<Function, string>(storage.objectTypes.map((t) => [t.target, t.name]));
  const direct = new Map<string, GraphQLFieldResolver<unknown, unknown>>();
  const resolved = new Set<string>();
  for (const resolver of storage.fieldResolvers) {
    const key = `${typeNames.get(resolver.getObjectType?.() as Function) ?? '?'}.${resolver.schemaName}`;
    resolved.add(key);
    if (resolver.kind !== 'external' || (resolver.middlewares?.length ?? 0) > 0 || resolver.roles) continue;
    const params = [...((resolver.params ?? []) as Param[])].sort((a, b) => a.index - b.index).map(directParam);
    if (params.some((p) => p === null)) continue;
    const instance = new (resolver.target as new () => Record<string, (...values: unknown[]) => unknown>)();
    const method = instance[resolver.methodName]!;
    const makers = params as ParamOf[];
    direct.set(key, (root, args, context, info) => method.apply(instance, makers.map((make) => make(root, args, context, info))));
  }
  const plain = new Set(
    storage.objectTypes.flatMap((t) =>
      (t.fields ?? []).filter((f) => (f.middlewares?.length ?? 0) === 0 && f.name === f.schemaName).map((f) => `${t.name}.${f.schemaName}`),
    ),
  );
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const key = `${typeName}.${fieldName}`;
      if (direct.has(key)) return { ...config, resolve: direct.get(key) };
      return plain.has(key) && !resolved.has(key) ? { ...config, resolve: undefined } : config;
    },
  });
}
