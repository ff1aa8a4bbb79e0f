import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Directive, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Consent } from '../consent/consent.entity';
import { ConsentType } from '../consent/consent.type';
import { conflict, forbidden, notFound } from '../errors';
import { DEFAULT_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { pii } from '../graphql/pii.directive';
import { Order } from '../orders/order.entity';
import { OrderType } from '../orders/order.type';
import { audienceOf, decideRelation, RELATION_CATEGORY, roleSeesInFull, type Relation } from '../privacy/decide';
import { POLICY } from '../privacy/policy';
import { Client } from './client.entity';
import { ClientFilter, ClientOrderBy, UpdateContactsInput } from './client.inputs';
import { buildClientQuery, countClients, cursorOf, fetchClientPage, personalCategoriesOf, restrictPersonalSearch, type ClientQuery } from './client-listing';
import { updateContacts } from './client.service';
import { ClientConnection, ClientType } from './client.type';
import { uuid } from '../validation/validate';
import { normaliseClientFilter } from '../validation/client-filter';

@ArgsType()
class ClientsArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => ClientFilter, { nullable: true }) filter?: ClientFilter | null;
  @Field(() => ClientOrderBy, { nullable: true }) orderBy?: ClientOrderBy | null;
}

/**
 * Whether this caller gets the client's orders or consent history at all (decideRelation); a
 * withheld list is answered as [] and reported in `extensions.redactions` like a hidden field.
 */
async function relationServed(relation: Relation, client: Client, ctx: RequestContext, info: GraphQLResolveInfo): Promise<boolean> {
  const caller = ctx.privacy.caller;
  // For a partner, reaches() also learns whether it serves this client, which its grant needs.
  const [state] = await Promise.all([ctx.loaders.subjectState.load(client.id), ctx.privacy.reaches(client.id)]);
  const decision = caller
    ? decideRelation(relation, caller, { id: client.id, erased: state.erased }, state.consent, ctx.privacy.now)
    : ({ access: 'HIDDEN', reason: 'ROLE' } as const);
  if (decision.access !== 'HIDDEN') return true;
  ctx.privacy.redact(responsePathAsArray(info.path).join('.'), RELATION_CATEGORY, 'HIDDEN', decision.reason);
  return false;
}

/**
 * A client's lists are read by statements of their own, after its row: if an erasure, a withdrawal
 * or any change to the row committed in between, the list may belong to another state than the
 * row beside it. Then the answer is an error (CONFLICT, retry), which the non-null list carries up
 * to the client object: the reader sees the client wholly as it was, or nothing, never half (P4).
 */
async function unchangedSinceRead(ctx: RequestContext, clientId: string): Promise<void> {
  const read = ctx.loaders.knownState(clientId)?.version;
  if (read === undefined || (await ctx.loaders.currentVersion.load(clientId)) !== read) {
    throw conflict('The client changed while it was being read; retry');
  }
}

/** The connection object carries its query, so totalCount runs only when it is selected. */
const QUERY = Symbol('client-query');
type ConnectionSource = Omit<ClientConnection, 'totalCount'> & { [QUERY]: ClientQuery };

@Resolver(() => ClientType)
export class ClientResolver {
  @Query(() => ClientType, { description: 'The calling client' })
  async me(@Ctx() ctx: RequestContext): Promise<Client> {
    const client = await ctx.loaders.client.load(principalOf(ctx).sub);
    if (!client) throw notFound('Client');
    return client;
  }

  @Query(() => ClientType, { nullable: true, description: 'A client by id; a client may ask only for itself' })
  async client(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Client | null> {
    // A partner or authority outside its contract or request learns nothing, not even that the id exists.
    if (!(await ctx.privacy.reaches(uuid('id', id)))) return null;
    return ctx.loaders.client.load(id.toLowerCase());
  }

  @Query(() => ClientConnection, { description: 'Clients, keyset-paginated (operators and the DPO)' })
  async clients(@Args() args: ClientsArgs, @Ctx() ctx: RequestContext): Promise<ConnectionSource> {
    const principal = principalOf(ctx);
    // A filter or sort on personal data is an oracle: only for those who see that data in full,
    // and refused before its values are judged, so how they would be judged tells nothing (P1).
    const denied = personalCategoriesOf(args.filter, args.orderBy).filter((c) => !roleSeesInFull(principal.role, c));
    if (denied.length > 0) throw forbidden(`Filtering or sorting by ${denied.join(', ')} is not allowed for this role`);
    const first = pageSizeOf(ctx, args.first);
    const query = buildClientQuery(normaliseClientFilter(args.filter), args.orderBy);
    // Judged at the request's instant, like every field of the page (P3 dates count as they pass).
    const scoped = restrictPersonalSearch(query, POLICY[audienceOf(principal, null)].basis, ctx.privacy.now);
    const page = await fetchClientPage(ctx.em, scoped, first, args.after);
    for (const found of page.clients) ctx.loaders.prime(found);
    const edges = page.clients.map(({ client: node }) => ({ node, cursor: cursorOf(node, scoped.sort.field) }));
    return {
      edges: edges as ClientConnection['edges'],
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      [QUERY]: scoped,
    };
  }

  @Mutation(() => ClientType, { description: "Update the calling client's own contact data" })
  async updateMyContacts(@Arg('input', () => UpdateContactsInput) input: UpdateContactsInput, @Ctx() ctx: RequestContext): Promise<Client> {
    return updateContacts(ctx.em, principalOf(ctx).sub, input, ctx.privacy.now);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Surname and initials when masked (Иванов И. И.)' })
  @Directive(pii('FULL_NAME', 'FULL_NAME'))
  fullName(@Root() client: Client): string | null {
    const parts = [client.surname, client.firstName, client.patronymic].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : null;
  }

  @FieldResolver(() => [OrderType], { description: 'Newest first; empty (with a redaction) for callers the privacy policy withholds them from' })
  async orders(
    @Root() client: Client,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Order[]> {
    const size = pageSizeOf(ctx, first);
    if (!(await relationServed('ORDERS', client, ctx, info))) return [];
    // A partner sees only the orders assigned to it, not the client's dealings with others (P5.1).
    const partnerId = ctx.principal?.role === 'partner' ? ctx.principal.partnerId : null;
    const orders = await ctx.loaders.orders(size, partnerId).load(client.id);
    await unchangedSinceRead(ctx, client.id);
    // An order is itself information about the client's actions (P1): a P5 recipient's log names
    // each one served, as partnerOrders does, not only the @pii fields selected on it.
    if (ctx.privacy.logsDisclosures) {
      const path = responsePathAsArray(info.path).join('.');
      orders.forEach((_, i) => ctx.privacy.disclosed(client.id, { path: `${path}.${i}`, category: RELATION_CATEGORY, access: 'FULL' }));
    }
    return orders;
  }

  @FieldResolver(() => [ConsentType], {
    description: 'The consent history, oldest first (P2); empty (with a redaction) for callers the privacy policy withholds it from',
  })
  async consents(@Root() client: Client, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Consent[]> {
    if (!(await relationServed('CONSENTS', client, ctx, info))) return [];
    const consents = await ctx.loaders.consents.load(client.id);
    await unchangedSinceRead(ctx, client.id);
    return consents;
  }
}

@Resolver(() => ClientConnection)
export class ClientConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() connection: ConnectionSource, @Ctx() ctx: RequestContext): Promise<number> {
    return countClients(ctx.em, connection[QUERY]);
  }
}
