import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Directive, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConsentType } from '../consent/consent.type';
import { conflict, forbidden, notFound } from '../errors';
import { DEFAULT_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { pii } from '../graphql/pii.directive';
import { OrderConnection, OrderType } from '../orders/order.type';
import { discloseOrderEdges, type OrderPage } from '../orders/served-orders';
import { orderCursorOf, orderPositionAfter, sameOrderPosition } from '../graphql/cursor';
import { audienceOf, RELATION_CATEGORY, roleSeesInFull, type Decision, type Relation } from '../privacy/decide';
import { POLICY } from '../privacy/policy';
import { ClientFilter, ClientOrderBy, UpdateContactsInput } from './client.inputs';
import { buildClientQuery, countClients, cursorOf, fetchClientPage, personalCategoriesOf, restrictPersonalSearch, type ClientQuery } from './client-listing';
import { updateContacts } from './client.service';
import { ClientConnection, ClientType } from './client.type';
import { edgesOf, pageInfoOf } from '../graphql/connection';
import { uuid } from '../validation/validate';
import { normaliseClientFilter } from '../validation/client-filter';
import { clientReadSpec } from '../graphql/selection';
import { readClients, type ClientReadSpec } from '../subjects/client-store';
import type { ClientRecord, ConsentRecord, OrderRecord } from '../subjects/records';

@ArgsType()
class ClientsArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => ClientFilter, { nullable: true }) filter?: ClientFilter | null;
  @Field(() => ClientOrderBy, { nullable: true }) orderBy?: ClientOrderBy | null;
}

/**
 * Whether this caller gets the client's orders or consent history at all (decideRelation); a
 * withheld list is answered empty (`withheld`) and reported in `extensions.redactions` like a
 * hidden field, at the list (plus `below`: a connection's `edges`). Synchronous for a client read
 * with its state, as the subject store reads every client.
 */
function whenServed<T>(
  relation: Relation,
  client: ClientRecord,
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  serve: () => T | Promise<T>,
  withheld: T,
  ...below: string[]
): T | Promise<T> {
  const decided = (decision: Decision): T | Promise<T> => {
    if (decision.access !== 'HIDDEN') return serve();
    ctx.privacy.redact(info.path, RELATION_CATEGORY, 'HIDDEN', decision.reason, ...below);
    return withheld;
  };
  const decision = ctx.privacy.decideRelation(relation, client.subject);
  return decision instanceof Promise ? decision.then(decided) : decided(decision);
}

/**
 * A list read by a statement of its own, after its client's row (a client not read by a page,
 * such as `Order.client`): if an erasure, a withdrawal or any change to the row committed in
 * between, the list may belong to another state than the row beside it. Then the answer is an
 * error (CONFLICT, retry) for that client: the reader sees it wholly as it was, or not at all (P4).
 * Pages and lookups by id nest the lists into the row's own statement and never get here.
 */
async function unchangedSinceRead(ctx: RequestContext, client: ClientRecord): Promise<void> {
  const read = client.subject.state?.version;
  if (read === undefined || (await ctx.loaders.currentVersion.load(client.id)) !== read) {
    throw conflict('The client changed while it was being read; retry');
  }
}

/** The store's read of the clients this field returns, shaped by what the query selects of them. */
function specFor(ctx: RequestContext, info: GraphQLResolveInfo, path: readonly string[]): ClientReadSpec {
  return clientReadSpec(info, path, ctx.privacy.partnerId, ctx.config.limits.maxPageSize);
}

async function readClient(ctx: RequestContext, id: string, info: GraphQLResolveInfo): Promise<ClientRecord | null> {
  const [found] = await readClients(ctx.em, [id], specFor(ctx, info, []));
  return found ?? null;
}

/** The connection object carries its query, so totalCount runs only when it is selected. */
const QUERY = Symbol('client-query');
type ConnectionSource = Omit<ClientConnection, 'totalCount'> & { [QUERY]: ClientQuery };

@Resolver(() => ClientType)
export class ClientResolver {
  @Query(() => ClientType, { description: 'The calling client' })
  async me(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ClientRecord> {
    const client = await readClient(ctx, principalOf(ctx).sub, info);
    if (!client) throw notFound('Client');
    return client;
  }

  @Query(() => ClientType, { nullable: true, description: 'A client by id; a client may ask only for itself' })
  async client(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ClientRecord | null> {
    const subjectId = uuid('id', id).toLowerCase();
    // A partner or authority outside its contract or request learns nothing, not even that the id exists.
    if (!(await ctx.privacy.reaches({ id: subjectId }))) return null;
    return readClient(ctx, subjectId, info);
  }

  @Query(() => ClientConnection, { description: 'Clients, keyset-paginated (operators and the DPO)' })
  async clients(@Args() args: ClientsArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<ConnectionSource> {
    const principal = principalOf(ctx);
    // A filter or sort on personal data is an oracle: only for those who see that data in full,
    // and refused before its values are judged, so how they would be judged tells nothing (P1).
    const denied = personalCategoriesOf(args.filter, args.orderBy).filter((c) => !roleSeesInFull(principal.role, c));
    if (denied.length > 0) throw forbidden(`Filtering or sorting by ${denied.join(', ')} is not allowed for this role`);
    const first = pageSizeOf(ctx, args.first);
    const query = buildClientQuery(normaliseClientFilter(args.filter), args.orderBy);
    // Judged at the request's instant, like every field of the page (P3 dates count as they pass).
    const scoped = restrictPersonalSearch(query, POLICY[audienceOf(principal, null)].basis, ctx.privacy.now);
    const page = await fetchClientPage(ctx.em, scoped, first, args.after, specFor(ctx, info, ['edges', 'node']));
    const edges = edgesOf(page.clients, (node) => cursorOf(node, scoped.sort.field));
    return {
      edges: edges as ClientConnection['edges'],
      pageInfo: pageInfoOf(edges, page.hasNextPage, args.after),
      [QUERY]: scoped,
    };
  }

  @Mutation(() => ClientType, { description: "Update the calling client's own contact data" })
  async updateMyContacts(
    @Arg('input', () => UpdateContactsInput) input: UpdateContactsInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ClientRecord> {
    const { id } = await updateContacts(ctx.em, principalOf(ctx).sub, input, ctx.privacy.now);
    const client = await readClient(ctx, id, info);
    if (!client) throw notFound('Client');
    return client;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Surname and initials when masked (Иванов И. И.)' })
  @Directive(pii('FULL_NAME', 'FULL_NAME'))
  fullName(@Root() client: ClientRecord): string | null {
    const parts = [client.surname, client.firstName, client.patronymic].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : null;
  }

  @FieldResolver(() => [OrderType], {
    description: 'Newest first; empty (with a redaction) for callers the privacy policy withholds them from',
    deprecationReason: 'Use ordersConnection: the same orders, served and withheld alike, with cursors and hasNextPage',
  })
  orders(
    @Root() client: ClientRecord,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): OrderRecord[] | Promise<OrderRecord[]> {
    const size = pageSizeOf(ctx, first);
    return whenServed('ORDERS', client, ctx, info, () => {
      // A partner sees only the orders assigned to it, not the client's dealings with others (P5.1).
      const partnerId = ctx.privacy.partnerId;
      const nested = client.orderList;
      if (nested && nested.first >= size && nested.partnerId === partnerId && !nested.after) {
        return disclosedOrders(ctx, client, info, nested.orders.length > size ? nested.orders.slice(0, size) : nested.orders);
      }
      return ctx.loaders
        .orders(size, partnerId)
        .load(client.id)
        .then(async (orders) => {
          await unchangedSinceRead(ctx, client);
          return disclosedOrders(ctx, client, info, orders);
        });
    }, []);
  }

  @FieldResolver(() => OrderConnection, {
    description: 'Newest first, paged forward; the same orders as `orders`, served and withheld alike (an empty page with a redaction)',
  })
  ordersConnection(
    @Root() client: ClientRecord,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): OrderPage | Promise<OrderPage> {
    const size = pageSizeOf(ctx, first);
    const position = orderPositionAfter(after);
    const page = (orders: OrderRecord[]): OrderPage => {
      const edges = edgesOf(orders.slice(0, size), orderCursorOf);
      discloseOrderEdges(ctx, info, edges);
      return { edges, pageInfo: pageInfoOf(edges, orders.length > size, after) };
    };
    const withheld: OrderPage = { edges: [], pageInfo: pageInfoOf([], false, after) };
    return whenServed('ORDERS', client, ctx, info, () => {
      // As `orders`: a partner sees only the orders assigned to it (P5.1); one row more tells whether a next page exists.
      const partnerId = ctx.privacy.partnerId;
      const nested = client.orderList;
      if (nested && nested.first > size && nested.partnerId === partnerId && sameOrderPosition(nested.after ?? null, position)) return page(nested.orders);
      return ctx.loaders
        .orders(size + 1, partnerId, position)
        .load(client.id)
        .then(async (orders) => {
          await unchangedSinceRead(ctx, client);
          return page(orders);
        });
    }, withheld, 'edges');
  }

  @FieldResolver(() => [ConsentType], {
    description: 'The consent history, oldest first (P2); empty (with a redaction) for callers the privacy policy withholds it from',
  })
  consents(@Root() client: ClientRecord, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): ConsentRecord[] | Promise<ConsentRecord[]> {
    return whenServed('CONSENTS', client, ctx, info, () => {
      if (client.consentList) return client.consentList;
      return ctx.loaders.consents.load(client.id).then(async (consents) => {
        await unchangedSinceRead(ctx, client);
        return consents;
      });
    }, []);
  }
}

/**
 * An order is itself information about the client's actions (P1): a P5 recipient's log names each
 * one served, as partnerOrders does, not only the @pii fields selected on it.
 */
function disclosedOrders(ctx: RequestContext, client: ClientRecord, info: GraphQLResolveInfo, orders: OrderRecord[]): OrderRecord[] {
  if (ctx.privacy.logsDisclosures) {
    const path = responsePathAsArray(info.path).join('.');
    orders.forEach((_, i) => ctx.privacy.disclosed(client.id, { path: `${path}.${i}`, category: RELATION_CATEGORY, access: 'FULL' }));
  }
  return orders;
}

@Resolver(() => ClientConnection)
export class ClientConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: ConnectionSource, @Ctx() ctx: RequestContext): Promise<number> {
    return countClients(ctx.em, connection[QUERY]);
  }
}
