/** Aggregates over subjects and their orders (P1: anonymous data), read in one statement. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../db/query';

export type StatisticDimension = 'clientsByKind' | 'clientsByStatus' | 'ordersByStatus';

export interface StatisticCount {
  readonly key: string;
  readonly count: number;
}

export async function readStatistics(em: EntityManager): Promise<Record<StatisticDimension, StatisticCount[]>> {
  const rows: Array<{ dimension: StatisticDimension; key: string; n: string }> = await query(
    em,
    `select 'clientsByKind' as dimension, kind as key, count(*) as n from client group by kind
     union all select 'clientsByStatus', status, count(*) from client group by status
     union all select 'ordersByStatus', status, count(*) from client_order group by status
     order by dimension, key`,
  );
  const result: Record<StatisticDimension, StatisticCount[]> = { clientsByKind: [], clientsByStatus: [], ordersByStatus: [] };
  for (const row of rows) result[row.dimension].push({ key: row.key, count: Number(row.n) });
  return result;
}
