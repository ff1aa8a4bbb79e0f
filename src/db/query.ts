/**
 * Read statements with bound parameters, on the connection pool (or the transaction) MikroORM
 * holds. MikroORM's `execute` writes every value into the SQL text (platform.formatQuery): a
 * personal value would then be part of the statement PostgreSQL logs with an error, and no plan
 * could ever be reused. Here the text carries `$1…` and the values travel apart, and each fixed
 * text is a named prepared statement: parsed and planned once per connection.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { Client as PgClient } from 'pg';

interface Prepared {
  readonly text: string;
  /** Absent once the cache is full: the statement is then sent unnamed. */
  readonly name?: string;
}

/**
 * Texts differ only by the selection a query asks for, so there are few; the bound keeps a
 * caller that varies them (a list of values spelled out, say) from filling every connection.
 */
const MAX_PREPARED = 500;
const prepared = new Map<string, Prepared>();

/** `?` (knex-style, as the stores compose their fragments) to `$1…`; the SQL holds no other `?`. */
function prepare(sql: string): Prepared {
  const known = prepared.get(sql);
  if (known) return known;
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (prepared.size >= MAX_PREPARED) return { text };
  const made = { text, name: `kz_read_${prepared.size}` };
  prepared.set(sql, made);
  return made;
}

/**
 * Runs `sql` with `params` bound, through `em`'s transaction when it is in one. The knex client
 * still announces the statement (its 'query' event), so statement counts see it like any other.
 */
export async function query<Row>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  const { text, name } = prepare(sql);
  const trx = em.getTransactionContext<Knex.Transaction>();
  // knex's message for a transaction whose BEGIN failed: format-error reads it as "the database is gone".
  if (trx?.isCompleted()) throw new Error('Transaction query already complete');
  const client = (trx ?? em.getConnection().getKnex()).client;
  const connection = (await client.acquireConnection()) as PgClient & { __knexUid?: string; __knexTxId?: string };
  try {
    client.emit('query', { sql: text, bindings: params, __knexUid: connection.__knexUid, __knexTxId: connection.__knexTxId });
    return (await connection.query<Row & object>({ text, values: params as unknown[], ...(name ? { name } : {}) })).rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
