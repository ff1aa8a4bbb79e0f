/** Variable values as @graphql-tools/utils reads them: shared by the API's selections and the metrics' operation labels. */
import type { VariableValues } from '@graphql-tools/utils';

/**
 * @graphql-tools/utils reads graphql 17's variable record (`coerced`), on graphql 16 too: handed
 * graphql 16's plain map, every `@skip`/`@include(if: $var)` failed. One wrapper per request's
 * map, so its memoised collection still hits.
 */
const asVariableValues = new WeakMap<object, VariableValues>();
export function variableValuesOf(values: Readonly<Record<string, unknown>>): VariableValues {
  let wrapped = asVariableValues.get(values);
  if (!wrapped) asVariableValues.set(values, (wrapped = { sources: {}, coerced: values } as unknown as VariableValues));
  return wrapped;
}
