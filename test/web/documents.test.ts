/**
 * The page's GraphQL documents (web/src/api/documents.ts) against the schema: each is valid
 * against schema/schema.graphql, and the real server accepts it within its document limits
 * (depth, tokens, aliases, cost). A schema change that breaks the page fails here.
 */
import { buildSchema, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as documents from '../../web/src/api/documents';
import { PROJECT_ROOT } from '../../src/paths';
import { useWorld } from '../support/world';

const schema = buildSchema(readFileSync(join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8'));
const entries = Object.entries(documents);

const world = useWorld();

it('there are documents to check', () => {
  expect(entries.length).toBeGreaterThan(30);
});

it.each(entries)('%s is valid against the printed schema', (_name, document) => {
  expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
});

it.each(entries)('%s passes the server\'s document limits', async (_name, document) => {
  // No caller and no variables: the answer may be a refusal or a missing variable, never a limit or a validation failure.
  const response = await world.gql(document, {});
  const codes = (response.body.errors ?? []).map((e) => String(e.extensions?.code));
  for (const code of codes) expect(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT']).toContain(code);
});
