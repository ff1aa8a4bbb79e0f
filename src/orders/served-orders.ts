/**
 * A page of orders with each one served only where the caller gets its client's orders at all, by
 * the same relation decision as `Client.orders` (decideRelation): the root `orders` (staff) and
 * `partnerOrders` (P5.1) alike. An order is information about the client's actions (P1), so a
 * withheld one is left out of the page whole, cursor and id included, and for a P5 recipient a
 * served one is logged as a disclosure like a personal field wherever the response carries it
 * (its edge, or the page's end cursor).
 */
import { responsePathAsArray, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { orderCursorOf, orderPositionAfter } from '../graphql/cursor';
import { selectedAt, subFields } from '../graphql/selection';
import { grantOpensOrders, RELATION_CATEGORY, type RedactionReason } from '../privacy/decide';
import { readOrderPage, type OrderReadSpec, type OrderScope } from '../subjects/order-store';
import type { OrderRecord } from '../subjects/records';
import { edgesOf, pageInfoOf, type PageInfo } from '../graphql/connection';

/** Rows read per round grow up to this, so a long run of withheld orders costs few queries. */
const MAX_SCAN_BATCH = 1000;

export interface OrderPage {
  edges: Array<{ node: OrderRecord; cursor: string }>;
  pageInfo: PageInfo;
}

/** The store's read of the orders a field returns, shaped by what the query selects of them at `path`. */
export function orderSpec(ctx: RequestContext, info: GraphQLResolveInfo, path: readonly string[]): OrderReadSpec {
  return { fields: new Set(selectedAt(info, path).map((s) => s.name)), partnerId: ctx.privacy.partnerId };
}

/**
 * A keyset page of the orders in `scope` with the withheld ones skipped, so `first` counts
 * served orders and `endCursor`/`hasNextPage` continue after the last served one.
 */
export async function servedOrderPage(ctx: RequestContext, scope: OrderScope, first: number, after: string | null | undefined, info: GraphQLResolveInfo): Promise<OrderPage> {
  const caller = ctx.privacy.caller;
  // A grant without ORDER_CONTACT opens no order: nothing to scan, and nothing said about how many there are.
  if (!caller || (caller.grant && !grantOpensOrders(caller))) {
    ctx.privacy.redact(info.path, RELATION_CATEGORY, 'HIDDEN', 'SCOPE', 'edges');
    return { edges: [], pageInfo: pageInfoOf([], false, after) };
  }
  const spec = orderSpec(ctx, info, ['edges', 'node']);
  const served: OrderRecord[] = [];
  /** Each withheld order's reason, and how many served orders come before it. */
  const withheld: Array<{ reason: RedactionReason; after: number }> = [];
  let position = orderPositionAfter(after);
  let batch = first + 1;
  let more = true;
  while (served.length <= first && more) {
    const rows = await readOrderPage(ctx.em, scope, position, batch + 1, spec);
    more = rows.length > batch;
    const scanned = more ? rows.slice(0, batch) : rows;
    for (const order of scanned) {
      const made = ctx.privacy.decideRelation('ORDERS', order.subject);
      const decision = made instanceof Promise ? await made : made;
      if (decision.access === 'HIDDEN') withheld.push({ reason: decision.reason, after: served.length });
      else served.push(order);
    }
    const last = scanned.at(-1);
    if (last) position = { createdAt: last.createdAt, id: last.id };
    batch = Math.min(batch * 2, MAX_SCAN_BATCH);
  }
  const hasNextPage = served.length > first;
  const edges = edgesOf(served.slice(0, first), orderCursorOf);
  // One redaction per reason at the list, as Client.orders reports a withheld list; only for
  // orders before this page's end, so the next page does not report them again.
  const reasons = new Set(withheld.filter((w) => !hasNextPage || w.after < first).map((w) => w.reason));
  for (const reason of reasons) ctx.privacy.redact(info.path, RELATION_CATEGORY, 'HIDDEN', reason, 'edges');
  discloseOrderEdges(ctx, info, edges);
  return { edges, pageInfo: pageInfoOf(edges, hasNextPage, after) };
}

/**
 * For a P5 recipient, logs each served order of a connection wherever the response carries it:
 * an edge, its cursor alone included, carries the order's id and time; so do the start and end cursors.
 */
export function discloseOrderEdges(ctx: RequestContext, info: GraphQLResolveInfo, edges: OrderPage['edges']): void {
  if (!ctx.privacy.logsDisclosures) return;
  const path = responsePathAsArray(info.path).join('.');
  const disclose = (order: OrderRecord, at: string) => ctx.privacy.disclosed(order.subject!.id, { path: at, category: RELATION_CATEGORY, access: 'FULL' });
  const { edgesKeys, startCursorKeys, endCursorKeys } = selectedKeys(info);
  const first = edges[0];
  const last = edges.at(-1);
  for (const edgesKey of edgesKeys) edges.forEach((edge, i) => disclose(edge.node, `${path}.${edgesKey}.${i}`));
  if (first) for (const startCursorKey of startCursorKeys) disclose(first.node, `${path}.${startCursorKey}`);
  if (last) for (const endCursorKey of endCursorKeys) disclose(last.node, `${path}.${endCursorKey}`);
}

/**
 * The response keys (aliases) under which `edges` and `pageInfo { startCursor endCursor }` are
 * selected, fragments and @skip/@include applied: an order is disclosed only where the response
 * carries it, so the log claims no more.
 */
function selectedKeys(info: GraphQLResolveInfo): { edgesKeys: string[]; startCursorKeys: string[]; endCursorKeys: string[] } {
  const selected = selectedAt(info, []);
  const cursorKeys = (name: string) =>
    selected
      .filter((f) => f.name === 'pageInfo')
      .flatMap((f) => subFields(info, f.type as GraphQLObjectType, f.nodes).filter((g) => g.name === name).map((g) => `${f.key}.${g.key}`));
  return { edgesKeys: selected.filter((f) => f.name === 'edges').map((f) => f.key), startCursorKeys: cursorKeys('startCursor'), endCursorKeys: cursorKeys('endCursor') };
}
