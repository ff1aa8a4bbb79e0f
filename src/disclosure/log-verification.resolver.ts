import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { badInput } from '../errors';
import type { RequestContext } from '../graphql/context';
import { formatHead, HeadError, parseHeads } from './chain-head';
import { verifyChains, type ChainHead, type ChainReport } from './disclosure-log';

@ObjectType('DisclosureChainVerification', { description: "One recipient's hash chain, walked from its first entry" })
class DisclosureChainVerification {
  @Field(() => String, { description: 'partner:<id>, lawful-request:<id>, subject:<id>, other, or legacy' }) chain!: string;
  @Field(() => Boolean) intact!: boolean;
  @Field(() => Int, { description: 'Entries verified: all of them when intact, those before the first broken link otherwise' }) entries!: number;
  @Field(() => String, { nullable: true, description: 'The last verified entry as <chain>=<seq>:<hash>: keep it outside the database and pass it back in expectHeads' })
  head!: string | null;
  @Field(() => Int, { nullable: true, description: 'The expected head this chain was held to, by its position' }) expectedSeq!: number | null;
  @Field(() => Int, { nullable: true, description: 'Position of the first broken entry in the chain' }) brokenAtSeq!: number | null;
  @Field(() => ID, { nullable: true }) brokenAtId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why that link is broken' }) reason!: string | null;
}

@ObjectType('DisclosureLogVerification', { description: 'The disclosure log verified as `npm run audit:verify` does: every chain, and every expected head' })
class DisclosureLogVerification {
  @Field(() => Boolean, { description: 'Every chain intact and every expected head reached' }) intact!: boolean;
  @Field(() => Int, { description: 'Entries verified, over every chain' }) entries!: number;
  @Field(() => [DisclosureChainVerification], { description: 'By chain name' }) chains!: DisclosureChainVerification[];
  @Field(() => Date) verifiedAt!: Date;
}

const chainOf = (report: ChainReport): DisclosureChainVerification => ({
  chain: report.chain,
  intact: report.brokenAt === null,
  entries: report.entries,
  head: report.brokenAt === null && report.head ? formatHead(report.chain, report.head) : null,
  expectedSeq: report.expected?.seq ?? null,
  brokenAtSeq: report.brokenAt?.seq ?? null,
  brokenAtId: report.brokenAt?.id ?? null,
  reason: report.brokenAt?.reason ?? null,
});

@Resolver()
export class DisclosureLogVerificationResolver {
  @Query(() => DisclosureLogVerification, {
    description: 'Verify the disclosure log as `npm run audit:verify` does; each expected head must also be reached, with its hash (DPO)',
  })
  async verifyDisclosureLog(
    @Arg('expectHeads', () => [String], { nullable: true, description: 'Heads kept from an earlier verification, <chain>=<seq>:<hash>, at most one per chain' })
    expectHeads: string[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<DisclosureLogVerification> {
    let expected: Map<string, ChainHead>;
    try {
      expected = parseHeads((expectHeads ?? []).map((head) => head.trim()));
    } catch (error) {
      // The rule only: the caller's text is not quoted back.
      if (error instanceof HeadError) throw badInput('expectHeads', 'each must be <chain>=<seq>:<hash> as a verification gives it, at most one per chain');
      throw error;
    }
    const verdict = await verifyChains(ctx.em, expected);
    return { intact: verdict.ok, entries: verdict.entries, chains: verdict.chains.map(chainOf), verifiedAt: new Date() };
  }
}
