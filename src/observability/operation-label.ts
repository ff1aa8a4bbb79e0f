/**
 * What a request did, named from the schema alone: its operation type and root fields
 * (`query clients`, `mutation login`). The caller's operation name and aliases are its own free
 * text (`query Ivanov_870412300123 { … }`), so metrics and traces never use them.
 */
import { collectFields } from '@graphql-tools/utils';
import { variableValuesOf } from '../variable-values';
import { BREAK, Kind, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

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

/** Whether a document holds a @skip or @include anywhere: only then can its root fields depend on the variables. */
const conditional = new WeakMap<DocumentNode, boolean>();
function isConditional(document: DocumentNode): boolean {
  let known = conditional.get(document);
  if (known === undefined) {
    known = false;
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'skip' && node.name.value !== 'include') return undefined;
        known = true;
        return BREAK;
      },
    });
    conditional.set(document, known);
  }
  return known;
}

/** Apollo keeps parsed documents: the label of an operation without conditions is worked out once. */
const labels = new WeakMap<OperationDefinitionNode, { readonly schema: GraphQLSchema; readonly label: string }>();

export function operationLabel(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  const fixed = !isConditional(document);
  const known = fixed ? labels.get(operation) : undefined;
  if (known?.schema === schema) return known.label;
  const names = [...new Set([...rootFieldsOf(schema, document, operation, variables).values()].map((nodes) => nodes[0]!.name.value))].sort();
  const shown = names.slice(0, MAX_NAMED_FIELDS).join(',');
  const label = `${operation.operation} ${names.length > MAX_NAMED_FIELDS ? `${shown},…` : shown}`;
  if (fixed) labels.set(operation, { schema, label });
  return label;
}
