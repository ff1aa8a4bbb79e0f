/** Whether an error means PostgreSQL cannot be reached (a 503 to retry), not that the query was wrong. */

// SQLSTATE classes and codes that mean "the database is not there", not "the query was wrong":
// 08 connection exception, 57P01-57P03 shutdown / cannot connect now, 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(08(?!P01)...|57P0[1-3]|53300)$/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
// pg's "Client was closed": a transaction's next statement on a connection the database has just terminated;
// "Connection ended unexpectedly": a connection the database closed while it was being opened;
// "Transaction query already complete": knex swallows a failed BEGIN (the connection died under it)
// and hands back a transaction already marked complete, so its first statement fails with this.
const UNAVAILABLE_MESSAGE = /Connection terminated|Connection ended unexpectedly|Transaction query already complete|not currently accepting connections|Client has encountered a connection error|Client was closed and is not queryable|Timeout acquiring a connection|the database system is (starting up|shutting down)/;

export function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    // thrownValue: what graphql-js wraps when a resolver throws something it does not take for an Error.
    const next = current as { originalError?: unknown; cause?: unknown; previous?: unknown; thrownValue?: unknown };
    current = next.originalError ?? next.cause ?? next.previous ?? next.thrownValue;
  }
  return chain;
}

export function sqlState(error: unknown): string | null {
  for (const e of causes(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/** True when the error (or what it wraps) says PostgreSQL cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // By shape, not `instanceof Error`: a socket error is made in Node's own realm, which is not the
  // realm of the code that catches it under a VM sandbox such as jest's.
  return causes(error).some((e) => {
    if (typeof e !== 'object' || e === null) return false;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (name === 'ConnectionException' || name === 'KnexTimeoutError') return true;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
  });
}
