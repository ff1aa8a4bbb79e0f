/**
 * What a request did, named from the schema alone: its operation type and root fields
 * (`query clients`, `mutation login`). The caller's operation name and aliases are its own free
 * text (`query Ivanov_870412300123 { … }`), so metrics and traces never use them.
 */
import { collectFields } from '@graphql-tools/utils';
import { variableValuesOf } from '../variable-values';
import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/** Root fields shown in a label; more are summed up as `…`. */
const MAX_NAMED_FIELDS = 3;

/** The operation's root fields by response key (aliases included), fragments and @skip/@include applied. */
export function rootFieldsOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Map<string, FieldNode[]> {
  const root = schema.getRootType(operation.operation);
  if (!root) return new Map();
  const fragments: Record<string, FragmentDefinitionNode> = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  return collectFields(schema, fragments, variableValuesOf(variables), root, operation.selectionSet).fields;
}

export function operationLabel(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  const names = [...new Set([...rootFieldsOf(schema, document, operation, variables).values()].map((nodes) => nodes[0]!.name.value))].sort();
  const shown = names.slice(0, MAX_NAMED_FIELDS).join(',');
  return `${operation.operation} ${names.length > MAX_NAMED_FIELDS ? `${shown},…` : shown}`;
}
