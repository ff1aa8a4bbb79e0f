import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type ClientEdge } from '../clients/client.type';
import { pageInfoOf } from '../graphql/connection';
import { apiError } from '../errors';
import { afterPosition, keysetPage, RecordPageArgs, type Connection } from '../graphql/connection';
import { DEFAULT_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { decodeRowCursor, encodeRowCursor, RECORD_SORTS, type RowSort } from '../graphql/cursor';
import { IssuedTokenType, TokenRecordConnection, tokenPosition } from '../partners/partner.type';
import { LawfulRequest } from './lawful-request.entity';
import { registerLawfulRequest, withdrawLawfulRequest } from './lawful-request.service';
import { authorityRecipients } from './recipients/authority';
import type { IssuedToken, TokenRecord } from './recipients/recipient-kind';
import { AuthoritySubjectConnection, LawfulRequestConnection, LawfulRequestType, RegisterLawfulRequestInput } from './lawful-request.type';
import { uuid } from '../validation/validate';
import { clientReadSpec } from '../graphql/selection';
import { readClients } from '../subjects/client-store';

@ArgsType()
class AuthorityRequestSubjectsArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
}

/** The request's subjects are a set of ids: pages follow the id, the only thing the cursor holds. */
const SUBJECTS_BY_ID: RowSort = { name: 'authority.subjects', key: 'row' };

@Resolver(() => LawfulRequestType)
export class LawfulRequestResolver {
  @Query(() => LawfulRequestConnection, { description: 'Registered lawful requests, newest first (DPO)' })
  lawfulRequests(@Args() page: RecordPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<LawfulRequest>> {
    return keysetPage(ctx, page, RECORD_SORTS.lawfulRequests, (position, limit) =>
      ctx.em.find(LawfulRequest, afterPosition('createdAt', position, 'desc'), { orderBy: { createdAt: 'desc', id: 'desc' }, limit }),
    (r) => ({ at: r.createdAt, id: r.id }));
  }

  @Mutation(() => LawfulRequestType, { description: 'Register a request of a state body (DPO, P5.2)' })
  registerLawfulRequest(
    @Arg('input', () => RegisterLawfulRequestInput) input: RegisterLawfulRequestInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LawfulRequest> {
    return registerLawfulRequest(ctx.em, input, principalOf(ctx).sub);
  }

  @Mutation(() => IssuedTokenType, { description: 'Issue an authority token bound to one lawful request, never beyond its expiry (DPO)' })
  issueAuthorityToken(
    @Arg('requestId', () => ID) requestId: string,
    @Arg('ttl', () => Int, { defaultValue: 3600, description: 'Seconds (60 to 86400)' }) ttl: number,
    @Ctx() ctx: RequestContext,
  ): Promise<IssuedToken> {
    return authorityRecipients.issueToken(ctx.em, ctx.config.jwt, { grantId: uuid('requestId', requestId), ttl, issuedBy: principalOf(ctx).sub });
  }

  @Mutation(() => Boolean, { description: 'Revoke an authority token; its next request is refused (DPO)' })
  revokeAuthorityToken(@Arg('tokenId', () => ID) tokenId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return authorityRecipients.revokeToken(ctx.em, uuid('tokenId', tokenId));
  }

  @Query(() => TokenRecordConnection, { description: "A lawful request's issued authority tokens, newest first; never the tokens themselves (DPO)" })
  authorityTokens(@Arg('requestId', () => ID) requestId: string, @Args() page: RecordPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<TokenRecord>> {
    return keysetPage(ctx, page, RECORD_SORTS.authorityTokens, (before, limit) =>
      authorityRecipients.listTokens(ctx.em, requestId, { before, limit }),
    tokenPosition);
  }

  @Mutation(() => LawfulRequestType, { description: 'Withdraw a lawful request before its expiry: it expires now and its tokens are revoked (DPO, P5.2)' })
  withdrawLawfulRequest(@Arg('requestId', () => ID) requestId: string, @Ctx() ctx: RequestContext): Promise<LawfulRequest> {
    return withdrawLawfulRequest(ctx.em, requestId);
  }

  @Query(() => AuthoritySubjectConnection, { description: "The subjects of the calling authority's lawful request, by id; personal fields as the request grants" })
  async authorityRequestSubjects(
    @Args() args: AuthorityRequestSubjectsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AuthoritySubjectConnection> {
    const recipient = ctx.privacy.recipient;
    if (!recipient?.inForce || !recipient.subjectIds) throw apiError('FORBIDDEN', 'The lawful request has expired', { reason: 'REQUEST_EXPIRED' });
    const first = pageSizeOf(ctx, args.first);
    const from = args.after ? decodeRowCursor(args.after, SUBJECTS_BY_ID) : null;
    const ids = [...recipient.subjectIds].sort().filter((id) => from === null || id > from);
    const page = ids.slice(0, first);
    const cursorOf = (id: string) => encodeRowCursor(SUBJECTS_BY_ID, id);
    const found = new Map((await readClients(ctx.em, page, clientReadSpec(info, ['edges', 'node'], null, ctx.config.limits.maxPageSize))).map((c) => [c.id, c]));
    const edges = page.flatMap((id) => {
      const node = found.get(id);
      return node ? [{ node, cursor: cursorOf(id) } as unknown as ClientEdge] : [];
    });
    // The page ends at its last id even if that client could not be loaded, so paging always moves on.
    const last = page.at(-1);
    return { edges, pageInfo: { ...pageInfoOf(edges, ids.length > first, args.after), endCursor: last ? cursorOf(last) : null }, totalCount: recipient.subjectIds.size };
  }
}
