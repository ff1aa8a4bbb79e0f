/**
 * The fixed stack alone: Apollo Server on Express, graphql-js executing the shapes' selections over
 * a schema with the same field names, each request answered by the floor's one statement
 * (FLOOR_SHAPE_SQL) with `pg`. No token, no policy, no ORM, no limits, no logs: what a server on
 * this stack pays before a line of the product runs, so the shapes' ratios to the floor can be read
 * against what the stack itself reaches.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { announce, serveStats } from './child';
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
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  let statements = 0;
  const query = async (sql: string, params: unknown[]) => {
    statements += 1;
    return (await pool.query(sql, params)).rows as Array<Record<string, unknown>>;
  };
  const apollo = new ApolloServer({
    typeDefs: TYPE_DEFS,
    resolvers: {
      Query: {
        clients: async (_: unknown, { first }: { first: number }) => ({ edges: (await query(FLOOR_SHAPE_SQL.list, [first])).map((node) => ({ node })) }),
        client: async (_: unknown, { id }: { id: string }) => (await query(FLOOR_SHAPE_SQL.byId, [id]))[0] ?? null,
      },
    },
  });
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
  announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, statsUrl: await serveStats(() => statements) });
}

main().catch((error: unknown) => {
  console.error('stack server failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
