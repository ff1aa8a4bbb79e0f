/**
 * The stack alone, as the API runs it: Apollo Server on Express, the shapes' selections compiled by
 * graphql-jit through the API's own executor (src/graphql/compiled-execution.ts) over a schema
 * with the same field names, each request answered by the floor's one statement (FLOOR_SHAPE_SQL)
 * with `pg`. No token, no policy, no ORM, no limits, no logs: what a server on this stack pays
 * before a line of the product runs, so the shapes' ratios to the floor can be read against what
 * the stack itself reaches.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import express from 'express';
import { buildSchema, type GraphQLFieldResolver } from 'graphql';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compiledExecution } from '../src/graphql/compiled-execution';
import { announce, countedPool, serveStats } from './child';
import { FLOOR_SHAPE_SQL } from './queries';

const TYPE_DEFS = `
  type Query { clients(first: Int!): ClientConnection! client(id: ID!): Client }
  type ClientConnection { edges: [ClientEdge!]! }
  type ClientEdge { node: Client! }
  type Client {
    id: ID! surname: String firstName: String patronymic: String iin: String phones: [String!] emails: [String!]
    bankAccounts: [BankAccount!] residenceAddress: Address orders(first: Int!): [Order!]!
  }
  type BankAccount { iban: String }
  type Address { city: String }
  type Order { id: ID! status: String! amount: String! createdAt: String! }
`;

async function main(): Promise<void> {
  const { query, statements } = countedPool();
  const schema = buildSchema(TYPE_DEFS);
  const root = schema.getQueryType()!.getFields();
  root.clients!.resolve = (async (_source, { first }) => ({ edges: (await query(FLOOR_SHAPE_SQL.list, [first])).map((node) => ({ node })) })) as GraphQLFieldResolver<unknown, unknown, { first: number }>;
  root.client!.resolve = (async (_source, { id }) => (await query(FLOOR_SHAPE_SQL.byId, [id]))[0] ?? null) as GraphQLFieldResolver<unknown, unknown, { id: string }>;
  const apollo = new ApolloServer({ gateway: compiledExecution(schema) });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), (req, res, next) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    apollo
      .executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: req.method, headers, search: '', body: req.body }, context: async () => ({}) })
      .then((response) => {
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.status(response.status ?? 200).send(response.body.kind === 'complete' ? response.body.string : '');
      }, next);
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, statsUrl: await serveStats(statements) });
}

main().catch((error: unknown) => {
  console.error('stack server failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
