import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * One statement with bound parameters, in the entity manager's transaction if it has one. knex
 * sends `?` as `$1, $2, …` with the values apart from the text (MikroORM's `execute` inlines them).
 */
export async function pgQuery<T>(em: EntityManager, sql: string, params: readonly Knex.RawBinding[]): Promise<T[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
  const result: { rows: T[] } = await knex.raw(sql, params);
  return result.rows;
}
