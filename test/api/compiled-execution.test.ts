/**
 * Queries run compiled by graphql-jit (src/graphql/compiled-execution.ts), and answer exactly as
 * graphql-js would: data, masks, the redaction report, errors with their path and code.
 */
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { TEST_PASSWORD_HASHING } from '../support/server';
import { useWorld } from '../support/world';

// Each compiled query counts its runs, so a test can tell that the compiled path answered.
const mockCompiledRuns = jest.fn();
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof import('graphql-jit')>('graphql-jit');
  return {
    ...actual,
    compileQuery: jest.fn((schema: GraphQLSchema, document: DocumentNode, operationName?: string) => {
      const compiled = actual.compileQuery(schema, document, operationName);
      if (!actual.isCompiledQuery(compiled)) return compiled;
      const run = compiled.query;
      return { ...compiled, query: (...a: Parameters<typeof run>) => (mockCompiledRuns(), run(...a)) };
    }),
  };
});

const compile = compileQuery as jest.MockedFunction<typeof compileQuery>;
const world = useWorld({ seed: { count: 5, seed: 7, passwordHashing: TEST_PASSWORD_HASHING } });

/** The same request answered by graphql-js (compilation refused, as for a document graphql-jit cannot compile) and then compiled. */
async function bothWays(query: string, variables: Record<string, unknown>, token: string | null) {
  compile.mockClear();
  mockCompiledRuns.mockClear();
  // A different text is a different document for Apollo, so each is compiled (or refused) on its own.
  compile.mockReturnValueOnce({ errors: [new GraphQLError('not compiled')] });
  const interpreted = await world.gql(`${query}\n# graphql-js`, variables, token);
  expect(mockCompiledRuns).not.toHaveBeenCalled();
  const compiled = await world.gql(query, variables, token);
  expect(compile).toHaveBeenCalledTimes(2);
  expect(isCompiledQuery(compile.mock.results[1]!.value)).toBe(true);
  expect(mockCompiledRuns).toHaveBeenCalledTimes(1);
  return { interpreted, compiled };
}

const LIST = `query($first: Int!) { clients(first: $first) { totalCount edges { node {
  id surname login iin phones bankAccounts { iban } residenceAddress { city } createdAt
  orders(first: 3) { id status amount createdAt }
} } } }`;

it('a list with masked and hidden fields: the same data and redaction report, compiled once per document', async () => {
  const { interpreted, compiled } = await bothWays(LIST, { first: 5 }, world.tokens.operator);
  expect(compiled.status).toBe(200);
  expect(compiled.body).toEqual(interpreted.body);
  const redactions = compiled.body.extensions!.redactions!.map((r) => `${r.category} ${r.access}`);
  expect(redactions).toEqual(expect.arrayContaining(['LOGIN HIDDEN', 'BANK_ACCOUNT MASKED', 'RESIDENCE_ADDRESS MASKED']));
  expect(compiled.body.data!.clients.edges).toHaveLength(5);

  // The same text again: Apollo's stored document, and the query compiled for it.
  compile.mockClear();
  mockCompiledRuns.mockClear();
  expect((await world.gql(LIST, { first: 2 }, world.tokens.operator)).body.data!.clients.edges).toHaveLength(2);
  expect(compile).not.toHaveBeenCalled();
  expect(mockCompiledRuns).toHaveBeenCalledTimes(1);
});

it('errors keep their message, path, locations, code and status', async () => {
  const query = 'query($id: ID!) { privacyPolicy { version } client(id: $id) { id surname } }';
  const forbidden = await bothWays(query, { id: '00000000-0000-4000-8000-000000000000' }, world.tokens.analyst);
  expect(forbidden.compiled.body).toEqual(forbidden.interpreted.body);
  expect(forbidden.compiled.status).toBe(forbidden.interpreted.status);
  const column = query.indexOf('client(') + 1;
  expect(forbidden.compiled.body.errors).toEqual([expect.objectContaining({ path: ['client'], locations: [{ line: 1, column }], extensions: { code: 'FORBIDDEN' } })]);
  expect(forbidden.compiled.body.data).toEqual({ privacyPolicy: { version: expect.any(String) }, client: null });

  const anonymous = await bothWays('{ clients(first: 1) { totalCount } }', {}, null);
  expect(anonymous.compiled.body).toEqual(anonymous.interpreted.body);
  expect(anonymous.compiled.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
});

it('a refused variable is graphql-js\'s refusal, before any resolver runs', async () => {
  // Another text than the first test's, so that it is compiled anew.
  const { interpreted, compiled } = await bothWays(LIST.replace('query(', 'query Refused('), { first: 'many' }, world.tokens.operator);
  expect(compiled.status).toBe(400);
  expect(compiled.body).toEqual(interpreted.body);
  expect(compiled.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
});
