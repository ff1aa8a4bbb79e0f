import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { OpenObligation } from '../consent/consent-lifecycle';
import { evidenceOf } from '../consent/consent.service';
import { DEFAULT_RECORDS_PAGE_SIZE, pageSizeOf, principalOf, type RequestContext } from '../graphql/context';
import { ErasureBasis, ErasureReceipt, ErasureRequest, ErasureRequestStatus } from './erasure.entity';
import { eraseClient, requestErasure } from './erasure.service';
import { ErasureReceiptType, ErasureRequestType } from './erasure.type';
import { uuid } from '../validation/validate';

@Resolver(() => ErasureRequestType)
export class ErasureRequestResolver {
  @Mutation(() => ErasureRequestType, { description: 'P4: ask for all your data to be deleted; the DPO executes it. Repeating returns the pending request.' })
  requestErasure(@Ctx() ctx: RequestContext): Promise<ErasureRequest> {
    return requestErasure(ctx.em, principalOf(ctx).sub, evidenceOf(ctx.origin), new Date());
  }

  @Query(() => [ErasureRequestType], { description: 'Erasure requests, oldest first (DPO)' })
  erasureRequests(
    @Arg('status', () => ErasureRequestStatus, { defaultValue: ErasureRequestStatus.PENDING }) status: ErasureRequestStatus,
    @Arg('first', () => Int, { defaultValue: DEFAULT_RECORDS_PAGE_SIZE }) first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ErasureRequest[]> {
    return ctx.em.find(ErasureRequest, { status }, { orderBy: { requestedAt: 'asc', id: 'asc' }, limit: pageSizeOf(ctx, first, DEFAULT_RECORDS_PAGE_SIZE) });
  }

  @Query(() => [ErasureRequestType], { description: "The calling client's erasure requests, newest first (P4): where its request stands" })
  myErasureRequests(
    @Arg('first', () => Int, { defaultValue: DEFAULT_RECORDS_PAGE_SIZE }) first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ErasureRequest[]> {
    return ctx.em.find(ErasureRequest, { client: principalOf(ctx).sub }, { orderBy: { requestedAt: 'desc', id: 'desc' }, limit: pageSizeOf(ctx, first, DEFAULT_RECORDS_PAGE_SIZE) });
  }

  @FieldResolver(() => ID)
  clientId(@Root() request: ErasureRequest): string {
    return request.client.id;
  }
}

@Resolver(() => ErasureReceiptType)
export class ErasureReceiptResolver {
  @Mutation(() => ErasureReceiptType, {
    description: 'P4 (DPO): deletes every personal value of the client in one transaction and returns the receipt. Idempotent.',
  })
  async eraseClient(
    @Arg('clientId', () => ID) clientId: string,
    @Arg('basis', () => ErasureBasis) basis: ErasureBasis,
    @Arg('reference', () => String, { nullable: true, description: 'Registry number of a written request; for SUBJECT_REQUEST, the request id (defaults to the pending one)' })
    reference: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ErasureReceipt & { openObligations: OpenObligation[] | null }> {
    uuid('clientId', clientId);
    const principal = principalOf(ctx);
    const { receipt, openObligations } = await eraseClient(ctx.em, clientId, {
      basis,
      reference: reference ?? null,
      actor: { role: 'DPO', id: principal.sub },
      now: new Date(),
      throttleSecret: ctx.config.jwt.secret,
    });
    // A view over the receipt with the answer-only list: the managed entity itself stays untouched.
    return Object.assign(Object.create(receipt) as ErasureReceipt, { openObligations });
  }

  @Query(() => [ErasureReceiptType], { description: 'Erasure receipts, newest first; with clientId, those of one (erased) client (DPO)' })
  erasureReceipts(
    @Arg('clientId', () => ID, { nullable: true }) clientId: string | null,
    @Arg('first', () => Int, { defaultValue: DEFAULT_RECORDS_PAGE_SIZE }) first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ErasureReceipt[]> {
    const where = clientId == null ? {} : { client: uuid('clientId', clientId) };
    return ctx.em.find(ErasureReceipt, where, { orderBy: { erasedAt: 'desc', id: 'desc' }, limit: pageSizeOf(ctx, first, DEFAULT_RECORDS_PAGE_SIZE) });
  }

  @FieldResolver(() => ID)
  clientId(@Root() receipt: ErasureReceipt): string {
    return receipt.client.id;
  }
}
