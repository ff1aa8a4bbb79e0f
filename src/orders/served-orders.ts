/**
 * A page of orders with each one served only where the caller gets its client's orders at all, by
 * the same relation decision as `Client.orders` (decideRelation): the root `orders` (staff) and
 * `partnerOrders` (P5.1) alike. An order is information about the client's actions (P1), so a
 * withheld one is left out of the page whole, cursor and id included, and for a P5 recipient a
 * served one is logged as a disclosure like a personal field wherever the response carries it
 * (its edge, or the page's end cursor).
 */
import { collectSubFields, type VariableValues } from '@graphql-tools/utils';
import { getNamedType, responsePathAsArray, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../graphql/context';
import type { FilterQuery } from '@mikro-orm/core';
import { fetchOrderPage, type OrderPage } from './order-page';
import type { Order } from './order.entity';
import { decideRelation, grantOpensOrders, RELATION_CATEGORY, type Decision, type RedactionReason } from '../privacy/decide';

/** Rows read per round grow up to this, so a long run of withheld orders costs few queries. */
const MAX_SCAN_BATCH = 1000;

const ERASED: Decision = { access: 'HIDDEN', reason: 'ERASED' };
const ANONYMOUS: Decision = { access: 'FULL', reason: null };

/** Whether this order is served to the caller: its client's orders are (decideRelation). */
export async function orderDecision(ctx: RequestContext, order: Order): Promise<Decision> {
  const caller = ctx.privacy.caller;
  if (!caller) return { access: 'HIDDEN', reason: 'ROLE' };
  // A depersonalised order (P4) has no subject left: an anonymous accounting record for staff,
  // and nothing a partner or authority has a grant for.
  if (!order.client) return caller.grant ? ERASED : ANONYMOUS;
  const id = order.client.id;
  // The client row is what `Order.client` serves next, and it carries the subject's state: read
  // first, so reaches() (which adds the client to the partner's served set, which decideRelation's
  // grant reads) finds that state instead of reading it again.
  await ctx.loaders.client.load(id);
  await ctx.privacy.reaches(id);
  const state = await ctx.loaders.subjectState.load(id);
  return decideRelation('ORDERS', caller, { id, erased: state.erased }, state.consent, ctx.privacy.now);
}

/**
 * A keyset page of the orders `where` selects with the withheld ones skipped, so `first` counts
 * served orders and `endCursor`/`hasNextPage` continue after the last served one.
 */
export async function servedOrderPage(ctx: RequestContext, where: FilterQuery<Order>, first: number, after: string | null | undefined, info: GraphQLResolveInfo): Promise<OrderPage> {
  const path = responsePathAsArray(info.path).join('.');
  const caller = ctx.privacy.caller;
  // A grant without ORDER_CONTACT opens no order: nothing to scan, and nothing said about how many there are.
  if (!caller || (caller.grant && !grantOpensOrders(caller))) {
    ctx.privacy.redact(`${path}.edges`, RELATION_CATEGORY, 'HIDDEN', 'SCOPE');
    return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  }
  const served: OrderPage['edges'] = [];
  /** Each withheld order's reason, and how many served orders come before it. */
  const withheld: Array<{ reason: RedactionReason; after: number }> = [];
  let cursor = after;
  let batch = first + 1;
  let more = true;
  while (served.length <= first && more) {
    const page = await fetchOrderPage(ctx.em, where, batch, cursor);
    const decisions = await Promise.all(page.edges.map((edge) => orderDecision(ctx, edge.node)));
    page.edges.forEach((edge, i) => {
      const decision = decisions[i]!;
      if (decision.access === 'HIDDEN') withheld.push({ reason: decision.reason, after: served.length });
      else served.push(edge);
    });
    more = page.pageInfo.hasNextPage;
    cursor = page.pageInfo.endCursor;
    batch = Math.min(batch * 2, MAX_SCAN_BATCH);
  }
  const hasNextPage = served.length > first;
  const edges = served.slice(0, first);
  // One redaction per reason at the list, as Client.orders reports a withheld list; only for
  // orders before this page's end, so the next page does not report them again.
  const reasons = new Set(withheld.filter((w) => !hasNextPage || w.after < first).map((w) => w.reason));
  for (const reason of reasons) ctx.privacy.redact(`${path}.edges`, RELATION_CATEGORY, 'HIDDEN', reason);
  const last = edges.at(-1);
  if (ctx.privacy.logsDisclosures) {
    // An edge, its cursor alone included, carries the order's id and time; so does the end cursor.
    const disclose = (order: Order, at: string) => ctx.privacy.disclosed(order.client!.id, { path: at, category: RELATION_CATEGORY, access: 'FULL' });
    const { edgesKeys, endCursorKeys } = selectedKeys(info);
    for (const edgesKey of edgesKeys) edges.forEach((edge, i) => disclose(edge.node, `${path}.${edgesKey}.${i}`));
    if (last) for (const endCursorKey of endCursorKeys) disclose(last.node, `${path}.${endCursorKey}`);
  }
  return { edges, pageInfo: { hasNextPage, endCursor: last?.cursor ?? null } };
}

/**
 * The response keys (aliases) under which `edges` and `pageInfo { endCursor }` are selected,
 * fragments and @skip/@include applied: an order is disclosed only where the response carries it,
 * so the log claims no more.
 */
function selectedKeys(info: GraphQLResolveInfo): { edgesKeys: string[]; endCursorKeys: string[] } {
  // The typings describe graphql 17's variable record; on graphql 16 it reads the plain map it is given.
  const variables = info.variableValues as unknown as VariableValues;
  const subFields = (type: GraphQLObjectType, nodes: FieldNode[]) =>
    [...collectSubFields(info.schema, info.fragments, variables, type, nodes).fields].map(([key, fieldNodes]) => ({ key, name: fieldNodes[0]!.name.value, fieldNodes }));
  const connection = getNamedType(info.returnType) as GraphQLObjectType;
  const pageInfo = getNamedType(connection.getFields().pageInfo!.type) as GraphQLObjectType;
  const selected = subFields(connection, [...info.fieldNodes]);
  return {
    edgesKeys: selected.filter((f) => f.name === 'edges').map((f) => f.key),
    endCursorKeys: selected
      .filter((f) => f.name === 'pageInfo')
      .flatMap((f) => subFields(pageInfo, f.fieldNodes).filter((g) => g.name === 'endCursor').map((g) => `${f.key}.${g.key}`)),
  };
}
