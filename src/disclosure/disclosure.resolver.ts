import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { edgesOf, pageInfoOf } from '../graphql/connection';
import { DEFAULT_RECORDS_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { decodeSeqCursor, DISCLOSURES_BY_SEQ, encodeSeqCursor } from '../graphql/cursor';
import { text, uuid } from '../validation/validate';
import { RecipientKind } from './disclosure.entity';
import { searchDisclosures, type DisclosureSearch, type LoggedDisclosure } from './disclosure-log';
import { recordDisclosure } from './disclosure.service';
import { DisclosureConnection, DisclosureType, RecordDisclosureInput } from './disclosure.type';

@ArgsType()
class MyDisclosuresArgs {
  @Field(() => Int, { defaultValue: DEFAULT_RECORDS_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' }) after?: string | null;
}

@ArgsType()
class DisclosuresArgs extends MyDisclosuresArgs {
  @Field(() => ID, { nullable: true }) subjectId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A partner, contract or lawful request id' }) recipient?: string | null;
  @Field(() => String, { nullable: true, description: "Part of the recipient's name as the log records it, any case: finds an off-system recipient (OTHER) too" }) recipientName?: string | null;
  @Field(() => ID, { nullable: true, description: 'The acting token (jti)' }) tokenId?: string | null;
  @Field(() => RecipientKind, { nullable: true }) recipientKind?: RecipientKind | null;
  @Field(() => Date, { nullable: true, description: 'Included' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Excluded' }) to?: Date | null;
}

type DisclosurePage = Omit<DisclosureConnection, 'edges'> & { edges: Array<{ cursor: string; node: LoggedDisclosure }> };

/** A keyset page of the log, newest first: `first` entries older than the `after` cursor's. */
async function disclosurePage(em: EntityManager, search: Omit<DisclosureSearch, 'before' | 'limit'>, first: number, after: string | null | undefined): Promise<DisclosurePage> {
  const before = after ? decodeSeqCursor(after, DISCLOSURES_BY_SEQ) : null;
  const entries = await searchDisclosures(em, { ...search, before, limit: first + 1 });
  const edges = edgesOf(entries.slice(0, first), (node) => encodeSeqCursor(DISCLOSURES_BY_SEQ, node.seq));
  return { edges, pageInfo: pageInfoOf(edges, entries.length > first, after) };
}

@Resolver(() => DisclosureType)
export class DisclosureResolver {
  @Query(() => DisclosureConnection, { description: 'Who received my personal data, newest first (P5)' })
  myDisclosures(@Args() args: MyDisclosuresArgs, @Ctx() ctx: RequestContext): Promise<DisclosurePage> {
    return disclosurePage(ctx.em, { subjectId: principalOf(ctx).sub }, pageSizeOf(ctx, args.first, DEFAULT_RECORDS_PAGE_SIZE), args.after);
  }

  @Query(() => DisclosureConnection, { description: 'Search the disclosure log by subject, recipient and period, newest first (DPO)' })
  disclosures(@Args() args: DisclosuresArgs, @Ctx() ctx: RequestContext): Promise<DisclosurePage> {
    const first = pageSizeOf(ctx, args.first, DEFAULT_RECORDS_PAGE_SIZE);
    return disclosurePage(ctx.em, {
      subjectId: args.subjectId ? uuid('subjectId', args.subjectId) : null,
      recipientId: args.recipient ? uuid('recipient', args.recipient) : null,
      recipientName: args.recipientName != null ? text('recipientName', args.recipientName, 1, 200) : null,
      tokenId: args.tokenId ? uuid('tokenId', args.tokenId) : null,
      recipientKind: args.recipientKind,
      from: args.from,
      to: args.to,
    }, first, args.after);
  }

  @Mutation(() => DisclosureType, { description: 'Record a disclosure made outside the system (DPO)' })
  async recordDisclosure(@Arg('input', () => RecordDisclosureInput) input: RecordDisclosureInput, @Ctx() ctx: RequestContext): Promise<LoggedDisclosure> {
    const entry = await recordDisclosure(ctx.em, principalOf(ctx), input, { ...ctx.privacy.query, requestId: ctx.requestId }, ctx.config.limits);
    ctx.metrics.disclosuresLogged([{ recipient: { kind: entry.recipientKind } }]);
    return entry;
  }
}
