/**
 * A partner's page of each client's orders, newest first: only the orders assigned to that
 * partner (P5.1), chosen in SQL, so a client's newer orders with others never crowd the partner's
 * own out of the page. Per request and batched like src/graphql/loaders.ts: one statement per
 * page size, whatever the number of clients.
 */
import DataLoader from 'dataloader';
import { placeholders } from '../db/sql';
import { Order } from '../orders/order.entity';
import type { RequestContext } from './context';

// Keyed by the request's context: the loaders die with the request, nothing is shared across callers.
const perRequest = new WeakMap<RequestContext, Map<string, DataLoader<string, Order[]>>>();

export function partnerOrders(ctx: RequestContext, partnerId: string, first: number): DataLoader<string, Order[]> {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = new Map();
    perRequest.set(ctx, loaders);
  }
  const { em } = ctx;
  const key = `${partnerId}:${first}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader(async (clientIds) => {
      const rows: Record<string, unknown>[] = await em.execute(
        `select t.* from (
           select o.*, row_number() over (partition by o.client_id order by o.created_at desc, o.id desc) as page_rank
             from client_order o where o.partner_id = ? and o.client_id in (${placeholders(clientIds)})) t
          where t.page_rank <= ? order by t.created_at desc, t.id desc`,
        [partnerId, ...clientIds, first],
      );
      const byClient = new Map<string, Order[]>(clientIds.map((id) => [id, []]));
      for (const { page_rank: _rank, ...row } of rows) {
        const order = em.map(Order, row);
        if (order.client) byClient.get(order.client.id)?.push(order);
      }
      return clientIds.map((id) => byClient.get(id) ?? []);
    });
    loaders.set(key, loader);
  }
  return loader;
}
