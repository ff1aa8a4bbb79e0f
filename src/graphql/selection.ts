/**
 * What a query selects below a field, fragments and @skip/@include applied: the read paths ask the
 * subject store for exactly these columns and nest lists into the same statement.
 */
import { collectSubFields } from '@graphql-tools/utils';
import { getNamedType, isObjectType, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { ClientReadSpec } from '../subjects/client-store';
import { variableValuesOf } from '../variable-values';
import { pageSizeFor } from './context';

export interface Selected {
  /** Response key (alias) → the field's nodes. */
  readonly key: string;
  readonly name: string;
  readonly nodes: FieldNode[];
  readonly type: GraphQLObjectType | null;
}

export function subFields(info: GraphQLResolveInfo, type: GraphQLObjectType, nodes: readonly FieldNode[]): Selected[] {
  const variables = variableValuesOf(info.variableValues);
  const fields = type.getFields();
  return [...collectSubFields(info.schema, info.fragments, variables, type, [...nodes]).fields].map(([key, fieldNodes]) => {
    const name = fieldNodes[0]!.name.value;
    const named = fields[name] ? getNamedType(fields[name]!.type) : null;
    return { key, name, nodes: fieldNodes, type: named && isObjectType(named) ? named : null };
  });
}

/** The selections reached by following field names from the resolved field (e.g. `edges`, `node`). */
export function selectedAt(info: GraphQLResolveInfo, path: readonly string[]): Selected[] {
  const returned = getNamedType(info.returnType);
  if (!isObjectType(returned)) return [];
  let level: Selected[] = [{ key: info.fieldName, name: info.fieldName, nodes: [...info.fieldNodes], type: returned }];
  for (const name of path) {
    level = level.flatMap((s) => (s.type ? subFields(info, s.type, s.nodes).filter((f) => f.name === name) : []));
  }
  return level.flatMap((s) => (s.type ? subFields(info, s.type, s.nodes) : []));
}

/** The argument values of a selected field, variables and defaults applied. */
export function argumentsOf(info: GraphQLResolveInfo, parent: GraphQLObjectType, field: Selected): Record<string, unknown> {
  const definition = parent.getFields()[field.name];
  if (!definition) return {};
  return getArgumentValues(definition, field.nodes[0]!, info.variableValues);
}

/**
 * What to read of the clients selected at `path` below the resolved field: their selected fields,
 * and their `orders` and `consents` when selected, nested into the same statement. Orders are read
 * up to the largest valid `first` among the aliases (each alias takes its own prefix); a size out
 * of range is left to the field's resolver to refuse.
 */
export function clientReadSpec(info: GraphQLResolveInfo, path: readonly string[], partnerId: string | null, maxPageSize: number): ClientReadSpec {
  const clientType = info.schema.getType('Client') as GraphQLObjectType;
  const selected = selectedAt(info, path);
  const ordersSelected = selected.filter((s) => s.name === 'orders');
  const sizes = ordersSelected.map((s) => pageSizeFor(argumentsOf(info, clientType, s).first, maxPageSize));
  const orders =
    ordersSelected.length > 0 && sizes.every((size): size is number => size !== null)
      ? { first: Math.max(...sizes), fields: new Set(ordersSelected.flatMap((s) => (s.type ? subFields(info, s.type, s.nodes).map((f) => f.name) : []))) }
      : null;
  return { fields: new Set(selected.map((s) => s.name)), partnerId, orders, consents: selected.some((s) => s.name === 'consents') };
}
