/**
 * What a query selects below a field, fragments and @skip/@include applied: the read paths ask the
 * subject store for exactly these columns and nest lists into the same statement.
 */
import { collectSubFields } from '@graphql-tools/utils';
import { getNamedType, isObjectType, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { ClientReadSpec } from '../subjects/client-store';
import type { OrderPosition } from '../subjects/records';
import { variableValuesOf } from '../variable-values';
import { pageSizeFor } from './context';
import { orderPositionAfter, sameOrderPosition } from './cursor';

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

/** The names of the fields selected below `field`, following `path` (e.g. `edges`, `node`). */
function namesBelow(info: GraphQLResolveInfo, field: Selected, path: readonly string[]): string[] {
  let level = [field];
  for (const name of path) level = level.flatMap((s) => (s.type ? subFields(info, s.type, s.nodes).filter((f) => f.name === name) : []));
  return level.flatMap((s) => (s.type ? subFields(info, s.type, s.nodes).map((f) => f.name) : []));
}

/** A selected order list of a client: the rows it needs from where it starts, and what of them. */
interface OrderList {
  readonly rows: number;
  readonly after: OrderPosition | null;
  readonly fields: string[];
}

/** A list as `orders` or `ordersConnection` (one row more, for hasNextPage) reads it; null when its arguments are refused. */
function orderListOf(info: GraphQLResolveInfo, clientType: GraphQLObjectType, field: Selected, maxPageSize: number): OrderList | null {
  const args = argumentsOf(info, clientType, field);
  const size = pageSizeFor(args.first, maxPageSize);
  if (size === null) return null;
  if (field.name === 'orders') return { rows: size, after: null, fields: namesBelow(info, field, []) };
  try {
    return { rows: size + 1, after: orderPositionAfter(args.after as string | null | undefined), fields: namesBelow(info, field, ['edges', 'node']) };
  } catch {
    return null;
  }
}

/**
 * What to read of the clients selected at `path` below the resolved field: their selected fields,
 * and their `orders`, `ordersConnection` and `consents` when selected, nested into the same
 * statement. Order lists that start at the same place (the newest, or one `after` cursor) share one
 * read, up to the most rows any of them needs (each takes its own prefix); one that starts
 * elsewhere, or whose arguments are refused, is left to its field's resolver.
 */
export function clientReadSpec(info: GraphQLResolveInfo, path: readonly string[], partnerId: string | null, maxPageSize: number): ClientReadSpec {
  const clientType = info.schema.getType('Client') as GraphQLObjectType;
  const selected = selectedAt(info, path);
  const lists = selected
    .filter((s) => s.name === 'orders' || s.name === 'ordersConnection')
    .map((s) => orderListOf(info, clientType, s, maxPageSize))
    .filter((list): list is OrderList => list !== null);
  const shared = lists.filter((list) => sameOrderPosition(list.after, lists[0]?.after ?? null));
  const orders =
    shared.length > 0
      ? { first: Math.max(...shared.map((l) => l.rows)), after: shared[0]!.after, fields: new Set(shared.flatMap((l) => l.fields)) }
      : null;
  return { fields: new Set(selected.map((s) => s.name)), partnerId, orders, consents: selected.some((s) => s.name === 'consents') };
}
