import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ClientType } from '../clients/client.type';
import { DEFAULT_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { formatTiyn } from './money';
import { OrderStatus } from './order.entity';
import { PlaceOrderInput } from './order.inputs';
import { placeOrder } from './order.service';
import { OrderConnection, OrderType } from './order.type';
import { orderSpec, servedOrderPage } from './served-orders';
import { RELATION_CATEGORY } from '../privacy/decide';
import { uuid } from '../validation/validate';
import { notFound } from '../errors';
import { readOrder } from '../subjects/order-store';
import type { ClientRecord, OrderRecord } from '../subjects/records';

@ArgsType()
class OrdersArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => OrderStatus, { nullable: true }) status?: OrderStatus | null;
}

@Resolver(() => OrderType)
export class OrderResolver {
  @Query(() => OrderType, { nullable: true, description: "An order; a client sees only its own (others read as null)" })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<OrderRecord | null> {
    const principal = principalOf(ctx);
    const order = await readOrder(ctx.em, uuid('id', id), orderSpec(ctx, info, []));
    if (!order) return null;
    if (principal.role === 'client' && order.subject?.id !== principal.sub) return null;
    // The same decision as the client's order list: past its consent, an order is not served at all.
    const decision = await ctx.privacy.decideRelation('ORDERS', order.subject);
    if (decision.access !== 'HIDDEN') return order;
    ctx.privacy.redact(info.path, RELATION_CATEGORY, 'HIDDEN', decision.reason);
    return null;
  }

  @Query(() => OrderConnection, { description: 'Orders, newest first; a client sees only its own; orders the privacy policy withholds are left out (with a redaction)' })
  async orders(@Args() args: OrdersArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<OrderConnection> {
    const principal = principalOf(ctx);
    const first = pageSizeOf(ctx, args.first);
    const scope = { clientId: principal.role === 'client' ? principal.sub : undefined, status: args.status ?? undefined };
    return (await servedOrderPage(ctx, scope, first, args.after, info)) as unknown as OrderConnection;
  }

  @Mutation(() => OrderType, { description: 'Place an order as the calling client (refused once consent is withdrawn or the client erased)' })
  async placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<OrderRecord> {
    const { id } = await placeOrder(ctx.em, principalOf(ctx).sub, input, ctx.privacy.now);
    const order = await readOrder(ctx.em, id, orderSpec(ctx, info, []));
    if (!order) throw notFound('Order');
    return order;
  }

  @FieldResolver(() => String)
  amount(@Root() order: OrderRecord): string {
    return formatTiyn(order.amountTiyn!);
  }

  @FieldResolver(() => String)
  currency(): string {
    return 'KZT';
  }

  @FieldResolver(() => ClientType, { nullable: true, description: 'Null once the client is erased (P4)' })
  async client(@Root() order: OrderRecord, @Ctx() ctx: RequestContext): Promise<ClientRecord | null> {
    return order.subject ? ctx.loaders.client.load(order.subject.id) : null;
  }
}
