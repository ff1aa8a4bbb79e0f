/**
 * Every text a caller sends must be well-formed Unicode. A lone UTF-16 surrogate (half an emoji,
 * cut by a UI) has no UTF-8 form: the driver sends U+FFFD in its place, so PostgreSQL would store,
 * and later serve, a value other than the one the API answered with or a hash covered.
 *
 * The check runs once per request, before any resolver, over every variable at every place the
 * operation uses it. The document's own string literals need no check: graphql-js's lexer already
 * refuses a lone surrogate there, written raw or as an escape.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode, type OperationDefinitionNode, type ValueNode } from 'graphql';
import { badInput } from '../errors';

type Segment = string | number;

/** Where a variable stands: its name and the argument path leading to it (`input`, `phones`, 1). */
function variableUsages(value: ValueNode, at: Segment[]): Array<{ name: string; at: Segment[] }> {
  switch (value.kind) {
    case Kind.VARIABLE:
      return [{ name: value.name.value, at }];
    case Kind.LIST:
      return value.values.flatMap((item, i) => variableUsages(item, [...at, i]));
    case Kind.OBJECT:
      return value.fields.flatMap((field) => variableUsages(field.value, [...at, field.name.value]));
    default:
      return [];
  }
}

/** The path to the first ill-formed string (or object key) in a JSON value; null if there is none. */
export function firstIllFormed(value: unknown): Segment[] | null {
  // Iterative: a deeply nested variable must not overflow the stack before graphql-js refuses it.
  const pending: Array<{ value: unknown; at: Segment[] }> = [{ value, at: [] }];
  while (pending.length > 0) {
    const { value: current, at } = pending.pop()!;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return at;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], at: [...at, i] });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      if (entries.some(([key]) => !key.isWellFormed())) return at;
      for (const [key, item] of entries.reverse()) pending.push({ value: item, at: [...at, key] });
    }
  }
  return null;
}

/**
 * A field as the resolvers' own input errors name it: relative to a mutation's `input` object
 * (`phones[1]`, `residenceAddress.city`), else from the argument (`notice`, `filter.surname`).
 */
export function fieldName(path: readonly Segment[]): string {
  const segments = path[0] === 'input' && path.length > 1 ? path.slice(1) : path;
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The field of the first ill-formed text among the variables the operation uses, or null. */
export function illFormedField(document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): string | null {
  const usages: Array<{ name: string; at: Segment[] }> = [];
  const collect = { Argument: (node: { name: { value: string }; value: ValueNode }) => void usages.push(...variableUsages(node.value, [node.name.value])) };
  visit(operation, collect);
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, collect);
  for (const usage of usages) {
    if (!(usage.name in variables)) continue;
    const inner = firstIllFormed(variables[usage.name]);
    if (inner) return fieldName([...usage.at, ...inner]);
  }
  return null;
}

export const wellFormedInputPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request }) {
        // Nearly every request's variables are all well-formed: one pass over them, not a walk of the document.
        if (!operation || !request.variables || firstIllFormed(request.variables) === null) return;
        const field = illFormedField(document, operation, request.variables);
        if (field) throw badInput(field, 'must be well-formed Unicode text (it holds half of a character)', { http: { status: 400 } });
      },
    };
  },
};
