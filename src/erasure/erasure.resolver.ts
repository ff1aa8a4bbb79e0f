import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { OpenObligation } from '../consent/consent-lifecycle';
import { evidenceOf } from '../consent/consent.service';
import { afterPosition, keysetPage, RecordPageArgs, type Connection } from '../graphql/connection';
import { principalOf, type RequestContext } from '../graphql/context';
import { RECORD_SORTS } from '../graphql/cursor';
import { ErasureBasis, ErasureReceipt, ErasureRequest, ErasureRequestStatus } from './erasure.entity';
import { eraseClient, requestErasure } from './erasure.service';
import { ErasureReceiptConnection, ErasureReceiptType, ErasureRequestConnection, ErasureRequestType } from './erasure.type';
import { uuid } from '../validation/validate';

const requestPosition = (r: ErasureRequest) => ({ at: r.requestedAt, id: r.id });

@Resolver(() => ErasureRequestType)
export class ErasureRequestResolver {
  @Mutation(() => ErasureRequestType, { description: 'P4: ask for all your data to be deleted; the DPO executes it. Repeating returns the pending request.' })
  requestErasure(@Ctx() ctx: RequestContext): Promise<ErasureRequest> {
    return requestErasure(ctx.em, principalOf(ctx).sub, evidenceOf(ctx.origin), new Date());
  }

  @Query(() => ErasureRequestConnection, { description: 'Erasure requests, oldest first (DPO)' })
  erasureRequests(
    @Arg('status', () => ErasureRequestStatus, { defaultValue: ErasureRequestStatus.PENDING }) status: ErasureRequestStatus,
    @Args() page: RecordPageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<ErasureRequest>> {
    return keysetPage(ctx, page, RECORD_SORTS.erasureRequests, (position, limit) =>
      ctx.em.find(ErasureRequest, { status, ...afterPosition('requestedAt', position, 'asc') }, { orderBy: { requestedAt: 'asc', id: 'asc' }, limit }),
    requestPosition);
  }

  @Query(() => ErasureRequestConnection, { description: "The calling client's erasure requests, newest first (P4): where its request stands" })
  myErasureRequests(@Args() page: RecordPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<ErasureRequest>> {
    const client = principalOf(ctx).sub;
    return keysetPage(ctx, page, RECORD_SORTS.myErasureRequests, (position, limit) =>
      ctx.em.find(ErasureRequest, { client, ...afterPosition('requestedAt', position, 'desc') }, { orderBy: { requestedAt: 'desc', id: 'desc' }, limit }),
    requestPosition);
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

  @Query(() => ErasureReceiptConnection, { description: 'Erasure receipts, newest first; with clientId, those of one (erased) client (DPO)' })
  erasureReceipts(
    @Arg('clientId', () => ID, { nullable: true }) clientId: string | null,
    @Args() page: RecordPageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<ErasureReceipt>> {
    const where = clientId == null ? {} : { client: uuid('clientId', clientId) };
    return keysetPage(ctx, page, RECORD_SORTS.erasureReceipts, (position, limit) =>
      ctx.em.find(ErasureReceipt, { ...where, ...afterPosition('erasedAt', position, 'desc') }, { orderBy: { erasedAt: 'desc', id: 'desc' }, limit }),
    (r) => ({ at: r.erasedAt, id: r.id }));
  }

  @FieldResolver(() => ID)
  clientId(@Root() receipt: ErasureReceipt): string {
    return receipt.client.id;
  }
}
