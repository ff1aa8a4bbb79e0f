import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, ORDERS_BY_CREATED_AT } from '../graphql/cursor';
import { Order } from './order.entity';

export interface OrderPage {
  edges: Array<{ node: Order; cursor: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A keyset page of orders, newest first, for whatever `where` a caller may see. */
export async function fetchOrderPage(em: EntityManager, where: FilterQuery<Order>, first: number, after: string | null | undefined): Promise<OrderPage> {
  const scoped: FilterQuery<Order> = after ? { $and: [where, afterCursor(after)] } : where;
  const rows = await em.find(Order, scoped, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 });
  const edges = rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor(ORDERS_BY_CREATED_AT, node.createdAt.toISOString(), node.id) }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

function afterCursor(after: string): FilterQuery<Order> {
  const [key, id] = decodeCursor(after, ORDERS_BY_CREATED_AT);
  const createdAt = new Date(key);
  return { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, id: { $lt: id } }] };
}
