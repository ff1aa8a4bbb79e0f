import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { apiError } from '../errors';
import { afterPosition, keysetPage, RecordPageArgs, type Connection } from '../graphql/connection';
import { DEFAULT_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { RECORD_SORTS } from '../graphql/cursor';
import { PiiCategoryEnum } from '../graphql/pii.directive';
import { OrderConnection } from '../orders/order.type';
import type { PiiCategory } from '../privacy/categories';
import { Contract } from './contract.entity';
import { Partner } from './partner.entity';
import { servedOrderPage } from '../orders/served-orders';
import { partnerRecipients } from '../disclosure/recipients/partner';
import type { IssuedToken, TokenRecord } from '../disclosure/recipients/recipient-kind';
import { contractInForce } from './contract-in-force';
import { endContract, registerContract, registerPartner } from './partner.service';
import { ContractType, IssuedTokenType, PartnerConnection, PartnerType, RegisterContractInput, RegisterPartnerInput, TokenRecordConnection, tokenPosition } from './partner.type';
import { uuid } from '../validation/validate';

@ArgsType()
class PartnerOrdersArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
}

const contractView = (c: Contract): ContractType => ({
  id: c.id,
  partnerId: c.partner.id,
  number: c.number,
  validFrom: c.validFrom,
  validTo: c.validTo,
  categories: c.categories,
  purposes: c.purposes,
  inForce: contractInForce(c, new Date()),
});

@Resolver(() => PartnerType)
export class PartnerResolver {
  @Query(() => PartnerConnection, { description: 'Registered partners, oldest first (DPO)' })
  partners(@Args() page: RecordPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<Partner>> {
    return keysetPage(ctx, page, RECORD_SORTS.partners, (position, limit) =>
      ctx.em.find(Partner, afterPosition('createdAt', position, 'asc'), { orderBy: { createdAt: 'asc', id: 'asc' }, limit }),
    (p) => ({ at: p.createdAt, id: p.id }));
  }

  @FieldResolver(() => [ContractType])
  async contracts(@Root() partner: Partner, @Ctx() ctx: RequestContext): Promise<ContractType[]> {
    const contracts = await ctx.em.find(Contract, { partner: partner.id }, { orderBy: { validFrom: 'asc', id: 'asc' } });
    return contracts.map(contractView);
  }

  @Mutation(() => PartnerType, { description: 'Register a partner (DPO, P5.1)' })
  registerPartner(@Arg('input', () => RegisterPartnerInput) input: RegisterPartnerInput, @Ctx() ctx: RequestContext): Promise<Partner> {
    return registerPartner(ctx.em, input);
  }

  @Mutation(() => ContractType, { description: "Register a partner's contract: categories, purposes, validity (DPO, P5.1)" })
  async registerContract(@Arg('input', () => RegisterContractInput) input: RegisterContractInput, @Ctx() ctx: RequestContext): Promise<ContractType> {
    return contractView(await registerContract(ctx.em, input));
  }

  @Mutation(() => IssuedTokenType, { description: 'Issue a short-lived partner token bound to one contract, scoped to some of its categories (DPO)' })
  issuePartnerToken(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('scopes', () => [PiiCategoryEnum]) scopes: PiiCategory[],
    @Arg('ttl', () => Int, { defaultValue: 3600, description: 'Seconds (60 to 86400); never beyond the contract' }) ttl: number,
    @Ctx() ctx: RequestContext,
  ): Promise<IssuedToken> {
    return partnerRecipients.issueToken(ctx.em, ctx.config.jwt, { grantId: uuid('contractId', contractId), scopes, ttl, issuedBy: principalOf(ctx).sub });
  }

  @Mutation(() => Boolean, { description: 'Revoke a partner token; its next request is refused (DPO)' })
  revokePartnerToken(@Arg('tokenId', () => ID) tokenId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return partnerRecipients.revokeToken(ctx.em, uuid('tokenId', tokenId));
  }

  @Query(() => TokenRecordConnection, { description: "A contract's issued tokens, newest first; never the tokens themselves (DPO)" })
  partnerTokens(@Arg('contractId', () => ID) contractId: string, @Args() page: RecordPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<TokenRecord>> {
    return keysetPage(ctx, page, RECORD_SORTS.partnerTokens, (before, limit) =>
      partnerRecipients.listTokens(ctx.em, contractId, { before, limit }),
    tokenPosition);
  }

  @Mutation(() => Int, { description: 'Revoke every token of a contract at once; the number revoked now (DPO)' })
  revokeContractTokens(@Arg('contractId', () => ID) contractId: string, @Ctx() ctx: RequestContext): Promise<number> {
    return partnerRecipients.revokeAllTokens(ctx.em, contractId);
  }

  @Mutation(() => ContractType, { description: 'End a contract before its term: its tokens are revoked and it is no longer in force from today (DPO, P5.1)' })
  async endContract(@Arg('contractId', () => ID) contractId: string, @Ctx() ctx: RequestContext): Promise<ContractType> {
    return contractView(await endContract(ctx.em, contractId));
  }

  @Query(() => OrderConnection, {
    description: "The calling partner's assigned orders, newest first, without those of clients whose consent does not cover the transfer; personal fields as its contract and the clients' consent allow",
  })
  async partnerOrders(@Args() args: PartnerOrdersArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<OrderConnection> {
    const principal = principalOf(ctx);
    if (!ctx.privacy.recipient?.inForce || !principal.partnerId) throw apiError('FORBIDDEN', 'The contract is not in force', { reason: 'CONTRACT_NOT_IN_FORCE' });
    const first = pageSizeOf(ctx, args.first);
    return (await servedOrderPage(ctx, { partnerId: principal.partnerId }, first, args.after, info)) as unknown as OrderConnection;
  }
}
