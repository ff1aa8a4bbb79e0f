import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';

/** Cells smaller than this are suppressed, so a count never points at a person (P1: anonymous data). */
export const MIN_CELL = 5;

@ObjectType('StatisticCell')
class StatisticCell {
  @Field(() => String) key!: string;
  @Field(() => Int, { nullable: true, description: `Null when fewer than ${MIN_CELL}` }) count!: number | null;
}

@ObjectType('Statistics', { description: 'Anonymous data (P1): aggregates only' })
class Statistics {
  @Field(() => [StatisticCell]) clientsByKind!: StatisticCell[];
  @Field(() => [StatisticCell]) clientsByStatus!: StatisticCell[];
  @Field(() => [StatisticCell]) ordersByStatus!: StatisticCell[];
}

async function cells(ctx: RequestContext, sql: string): Promise<StatisticCell[]> {
  const rows = await ctx.em.getConnection().execute<{ key: string; n: string }[]>(sql);
  return rows.map((r) => ({ key: r.key, count: Number(r.n) >= MIN_CELL ? Number(r.n) : null }));
}

@Resolver()
export class StatisticsResolver {
  @Query(() => Statistics)
  async statistics(@Ctx() ctx: RequestContext): Promise<Statistics> {
    return {
      clientsByKind: await cells(ctx, 'select kind as key, count(*) as n from client group by kind order by kind'),
      clientsByStatus: await cells(ctx, 'select status as key, count(*) as n from client group by status order by status'),
      ordersByStatus: await cells(ctx, 'select status as key, count(*) as n from client_order group by status order by status'),
    };
  }
}
