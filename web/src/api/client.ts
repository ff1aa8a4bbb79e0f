/**
 * The page's only way to the server: POST /graphql on this origin. The subject is carried by the
 * session cookie (HttpOnly, Path=/graphql), the DPO by the token kept in memory; nothing is stored
 * in the browser and nothing is logged.
 */
export interface Redaction {
  /** A list of keys with list indexes as "*"; older servers send one dotted string. */
  readonly path: string | readonly string[];
  readonly category: string;
  readonly access: string;
  readonly reason: string;
  readonly count?: number;
}

export interface Result<T> {
  readonly data: T;
  readonly redactions: readonly Redaction[];
}

export type Auth = { readonly kind: 'session' } | { readonly kind: 'bearer'; readonly token: string };

export const SESSION: Auth = { kind: 'session' };

/** An error the API answered, by its stable `extensions.code`; the server's message is not shown (it is English). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }

  /** The input field the server named, for BAD_USER_INPUT and CONFLICT. */
  get field(): string | null {
    return typeof this.extensions.field === 'string' ? this.extensions.field : null;
  }
}

const ENDPOINT = '/graphql';

interface Body {
  data?: unknown;
  errors?: Array<{ extensions?: Record<string, unknown> }>;
  extensions?: { redactions?: unknown };
}

function redactionsOf(body: Body): Redaction[] {
  const list = body.extensions?.redactions;
  return Array.isArray(list) ? (list as Redaction[]) : [];
}

/** Runs one GraphQL document. Any error fails the whole call: a partial answer is not shown as a whole one. */
export async function request<T>(document: string, variables: Record<string, unknown> = {}, auth: Auth = SESSION): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      // The DPO's requests carry its token and never a subject's cookie.
      credentials: auth.kind === 'session' ? 'same-origin' : 'omit',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(auth.kind === 'bearer' ? { authorization: `Bearer ${auth.token}` } : {}),
      },
      body: JSON.stringify({ query: document, variables }),
    });
  } catch {
    throw new ApiError('NETWORK');
  }
  let body: Body;
  try {
    body = (await response.json()) as Body;
  } catch {
    throw new ApiError(response.ok ? 'UNKNOWN' : response.status === 429 ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE');
  }
  const first = body.errors?.[0];
  if (first) {
    const extensions = first.extensions ?? {};
    throw new ApiError(typeof extensions.code === 'string' ? extensions.code : 'UNKNOWN', extensions);
  }
  if (body.data == null) throw new ApiError('UNKNOWN');
  return { data: body.data as T, redactions: redactionsOf(body) };
}
