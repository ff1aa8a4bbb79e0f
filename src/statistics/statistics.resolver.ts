import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { readStatistics, type StatisticCount } from '../subjects/statistics-store';

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

const suppressed = (counts: StatisticCount[]): StatisticCell[] => counts.map(({ key, count }) => ({ key, count: count >= MIN_CELL ? count : null }));

@Resolver()
export class StatisticsResolver {
  @Query(() => Statistics)
  async statistics(@Ctx() ctx: RequestContext): Promise<Statistics> {
    const counts = await readStatistics(ctx.em);
    return {
      clientsByKind: suppressed(counts.clientsByKind),
      clientsByStatus: suppressed(counts.clientsByStatus),
      ordersByStatus: suppressed(counts.ordersByStatus),
    };
  }
}
