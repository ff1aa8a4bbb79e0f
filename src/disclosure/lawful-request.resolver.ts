import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Client } from '../clients/client.entity';
import { ClientType } from '../clients/client.type';
import { apiError } from '../errors';
import { principalOf, type RequestContext } from '../graphql/context';
import type { IssuedToken } from '../partners/partner.service';
import { IssuedTokenType } from '../partners/partner.type';
import { LawfulRequest } from './lawful-request.entity';
import { issueAuthorityToken, registerLawfulRequest, revokeAuthorityToken } from './lawful-request.service';
import { LawfulRequestType, RegisterLawfulRequestInput } from './lawful-request.type';
import { uuid } from '../validation/validate';

@Resolver(() => LawfulRequestType)
export class LawfulRequestResolver {
  @Query(() => [LawfulRequestType], { description: 'Registered lawful requests, newest first (DPO)' })
  lawfulRequests(@Ctx() ctx: RequestContext): Promise<LawfulRequest[]> {
    return ctx.em.find(LawfulRequest, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
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
    return issueAuthorityToken(ctx.em, ctx.config.jwt, { requestId: uuid('requestId', requestId), ttl, issuedBy: principalOf(ctx).sub });
  }

  @Mutation(() => Boolean, { description: 'Revoke an authority token; its next request is refused (DPO)' })
  revokeAuthorityToken(@Arg('tokenId', () => ID) tokenId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return revokeAuthorityToken(ctx.em, uuid('tokenId', tokenId));
  }

  @Query(() => [ClientType], { description: "The subjects of the calling authority's lawful request; personal fields as the request grants" })
  async authorityRequestSubjects(@Ctx() ctx: RequestContext): Promise<Client[]> {
    const recipient = ctx.privacy.recipient;
    if (!recipient?.inForce || !recipient.subjectIds) throw apiError('FORBIDDEN', 'The lawful request has expired', { reason: 'REQUEST_EXPIRED' });
    const clients = await ctx.loaders.client.loadMany([...recipient.subjectIds]);
    return clients.filter((c): c is Client => c instanceof Client);
  }
}
