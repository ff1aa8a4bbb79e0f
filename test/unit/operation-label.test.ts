import { buildSchema, getOperationAST, parse } from 'graphql';
import { operationLabel } from '../../src/observability/operation-label';

const schema = buildSchema('type Query { a: Int, b: Int, c: Int }');

function label(document: ReturnType<typeof parse>, variables: Record<string, unknown> = {}): string {
  return operationLabel(schema, document, getOperationAST(document)!, variables);
}

describe('operationLabel: root fields, remembered per parsed document only where no variable can change them', () => {
  it('a document without @skip or @include: the same label on every request', () => {
    const document = parse('query Named { b a alias: a }');
    expect(label(document)).toBe('query a,b');
    expect(label(document, { x: 1 })).toBe('query a,b');
  });

  it("@skip and @include follow each request's variables, on the same parsed document", () => {
    const document = parse('query ($skip: Boolean!, $with: Boolean!) { a b @skip(if: $skip) ...F } fragment F on Query { c @include(if: $with) }');
    expect(label(document, { skip: false, with: true })).toBe('query a,b,c');
    expect(label(document, { skip: true, with: false })).toBe('query a');
    expect(label(document, { skip: false, with: false })).toBe('query a,b');
  });
});
