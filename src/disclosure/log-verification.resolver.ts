import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { badInput } from '../errors';
import type { RequestContext } from '../graphql/context';
import { formatHead, HEAD_FORMAT, parseHead } from './chain-head';
import { verifyChain } from './disclosure-log';

@ObjectType('DisclosureLogVerification', { description: "The disclosure log's hash chain walked from its first entry, the check of `npm run audit:verify`" })
class DisclosureLogVerification {
  @Field(() => Boolean) intact!: boolean;
  @Field(() => Int, { description: 'Entries verified: all of them when intact, those before the first broken link otherwise' }) entries!: number;
  @Field(() => String, { nullable: true, description: 'When intact, the head as <seq>:<hash>: keep it outside the database and pass it back as expectHead' })
  head!: string | null;
  @Field(() => Int, { nullable: true, description: 'The first broken entry' }) brokenAtSeq!: number | null;
  @Field(() => ID, { nullable: true }) brokenAtId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why that link is broken' }) reason!: string | null;
  @Field(() => Date) verifiedAt!: Date;
}

@Resolver()
export class DisclosureLogVerificationResolver {
  @Query(() => DisclosureLogVerification, {
    description: 'Verify the disclosure log as `npm run audit:verify` does; with expectHead, the chain must also reach that head with its hash (DPO)',
  })
  async verifyDisclosureLog(
    @Arg('expectHead', () => String, { nullable: true, description: 'A head kept from an earlier verification, <seq>:<hash>' }) expectHead: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<DisclosureLogVerification> {
    const expected = expectHead == null ? null : parseHead(expectHead.trim());
    if (expectHead != null && !expected) throw badInput('expectHead', `must be ${HEAD_FORMAT}`);
    const verdict = await verifyChain(ctx.em, expected);
    const verifiedAt = new Date();
    if (verdict.ok) {
      return { intact: true, entries: verdict.entries, head: formatHead(verdict.entries, verdict.head), brokenAtSeq: null, brokenAtId: null, reason: null, verifiedAt };
    }
    const { seq, id, reason } = verdict.brokenAt;
    return { intact: false, entries: verdict.entries, head: null, brokenAtSeq: seq, brokenAtId: id, reason, verifiedAt };
  }
}
