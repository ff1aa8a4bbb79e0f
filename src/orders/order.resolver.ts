import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Client } from '../clients/client.entity';
import { ClientType, PageInfo } from '../clients/client.type';
import { DEFAULT_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { formatTiyn } from './money';
import { Order, OrderStatus } from './order.entity';
import { PlaceOrderInput } from './order.inputs';
import { placeOrder } from './order.service';
import { OrderType } from './order.type';
import { orderDecision, servedOrderPage } from './served-orders';
import { RELATION_CATEGORY } from '../privacy/decide';
import { uuid } from '../validation/validate';

@ObjectType('OrderEdge')
class OrderEdge {
  @Field(() => String) cursor!: string;
  @Field(() => OrderType) node!: OrderType;
}

@ObjectType('OrderConnection')
export class OrderConnection {
  @Field(() => [OrderEdge]) edges!: OrderEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ArgsType()
class OrdersArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => OrderStatus, { nullable: true }) status?: OrderStatus | null;
}

@Resolver(() => OrderType)
export class OrderResolver {
  @Query(() => OrderType, { nullable: true, description: "An order; a client sees only its own (others read as null)" })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Order | null> {
    const principal = principalOf(ctx);
    const order = await ctx.em.findOne(Order, { id: uuid('id', id) });
    if (!order) return null;
    if (principal.role === 'client' && order.client?.id !== principal.sub) return null;
    // The same decision as the client's order list: past its consent, an order is not served at all.
    const decision = await orderDecision(ctx, order);
    if (decision.access !== 'HIDDEN') return order;
    ctx.privacy.redact(responsePathAsArray(info.path).join('.'), RELATION_CATEGORY, 'HIDDEN', decision.reason);
    return null;
  }

  @Query(() => OrderConnection, { description: 'Orders, newest first; a client sees only its own; orders the privacy policy withholds are left out (with a redaction)' })
  async orders(@Args() args: OrdersArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<OrderConnection> {
    const principal = principalOf(ctx);
    const first = pageSizeOf(ctx, args.first);
    const where: FilterQuery<Order> = {};
    if (principal.role === 'client') where.client = principal.sub;
    if (args.status) where.status = args.status;
    return (await servedOrderPage(ctx, where, first, args.after, info)) as unknown as OrderConnection;
  }

  @Mutation(() => OrderType, { description: 'Place an order as the calling client (refused once consent is withdrawn or the client erased)' })
  placeOrder(@Arg('input', () => PlaceOrderInput) input: PlaceOrderInput, @Ctx() ctx: RequestContext): Promise<Order> {
    return placeOrder(ctx.em, principalOf(ctx).sub, input, ctx.privacy.now);
  }

  @FieldResolver(() => String)
  amount(@Root() order: Order): string {
    return formatTiyn(order.amountTiyn);
  }

  @FieldResolver(() => String)
  currency(): string {
    return 'KZT';
  }

  @FieldResolver(() => ClientType, { nullable: true, description: 'Null once the client is erased (P4)' })
  async client(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<Client | null> {
    return order.client ? ctx.loaders.client.load(order.client.id) : null;
  }
}
