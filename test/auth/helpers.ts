/** Shared steps for the session, compromise and brute-force tests. */
import { createHash } from 'node:crypto';
import { REGISTER, registration } from '../support/fixtures';
import type { GraphQLResponse, TestServer } from '../support/harness';

export const COOKIE = 'kzp_session';
export const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { clientId token expiresAt } }`;
export const ME = `{ me { id } }`;
export const RANDOM_VALUE = /^[A-Za-z0-9_-]{43}$/;

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface Account {
  readonly input: Record<string, any>;
  readonly clientId: string;
}

export async function registerAccount(server: TestServer, overrides: Record<string, unknown> = {}): Promise<Account> {
  const input = registration(overrides);
  const response = await server.gql(REGISTER, { input });
  if (response.body.errors) throw new Error(`registration failed: ${JSON.stringify(response.body.errors)}`);
  return { input, clientId: response.body.data!.registerClient.clientId };
}

export interface LoginResult {
  readonly response: GraphQLResponse<Record<string, any>>;
  readonly token: string | null;
  readonly setCookies: string[];
  /** The session cookie's value, if one was set. */
  readonly cookie: string | null;
}

export async function login(server: TestServer, account: Pick<Account, 'input'>, password = account.input.password as string): Promise<LoginResult> {
  const response = await server.gql(LOGIN, { l: account.input.login, p: password });
  const setCookies = response.headers.getSetCookie();
  const match = setCookies.map((c) => new RegExp(`^${COOKIE}=([^;]+);`).exec(c)).find(Boolean);
  return { response, token: response.body.data?.login?.token ?? null, setCookies, cookie: match?.[1] ?? null };
}

/** A request authenticated by the session cookie only, as a browser sends it. */
export function withCookie(server: TestServer, query: string, cookie: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<Record<string, any>>> {
  return server.gql(query, variables, null, { cookie: `${COOKIE}=${cookie}` });
}

export async function sql<T = Record<string, any>>(server: TestServer, statement: string, params: unknown[] = []): Promise<T[]> {
  return server.db.orm.em.fork().getConnection().execute(statement, params);
}

/** The JWT's payload, decoded without verifying (the server verifies; tests only read). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
