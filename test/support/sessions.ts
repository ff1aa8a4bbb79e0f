/** Logging in and sessions: the login mutation, the session cookie, the JWT's payload. */
import { createHash } from 'node:crypto';
import type { Registered } from './accounts';
import type { GraphQLResponse, TestServer } from './server';

export const COOKIE = 'kzp_session';
export const LOGIN = `mutation($l: String!, $p: String!) { login(login: $l, password: $p) { clientId token expiresAt } }`;
export const ME = `{ me { id } }`;
export const RANDOM_VALUE = /^[A-Za-z0-9_-]{43}$/;

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface LoginResult {
  readonly response: GraphQLResponse<Record<string, any>>;
  readonly token: string | null;
  readonly setCookies: string[];
  /** The session cookie's value, if one was set. */
  readonly cookie: string | null;
}

export async function login(server: TestServer, account: Pick<Registered, 'input'>, password = account.input.password as string): Promise<LoginResult> {
  const response = await server.gql(LOGIN, { l: account.input.login, p: password });
  const setCookies = response.headers.getSetCookie();
  const match = setCookies.map((c) => new RegExp(`^${COOKIE}=([^;]+);`).exec(c)).find(Boolean);
  return { response, token: response.body.data?.login?.token ?? null, setCookies, cookie: match?.[1] ?? null };
}

/** A request authenticated by the session cookie only, as a browser sends it. */
export function withCookie(server: TestServer, query: string, cookie: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<Record<string, any>>> {
  return server.gql(query, variables, null, { cookie: `${COOKIE}=${cookie}` });
}

/** The JWT's payload, decoded without verifying (the server verifies; tests only read). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
