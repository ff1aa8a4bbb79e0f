import { GraphQLDate } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { badInput, forbidden } from '../errors';
import { principalOf, type RequestContext } from '../graphql/context';
import type { ConsentStatus } from '../privacy/consent-state';
import {
  cancelWithdrawal,
  optOutOfMarketing,
  requestWithdrawal,
  type ConsentAct,
  type OpenObligation,
} from './consent-lifecycle';
import { Consent, ConsentChannel, SELF_SERVICE_CHANNELS, STAFF_CHANNELS } from './consent.entity';
import { evidenceOf } from './consent.service';
import { ConsentStatusEnum, ConsentType, OpenObligationType } from './consent.type';
import { dayOfDateOnly } from './withdrawal-dates';
import { uuid } from '../validation/validate';

@ObjectType('WithdrawalRequest')
class WithdrawalRequestType {
  @Field(() => ConsentStatusEnum, { description: 'WITHDRAWAL_PENDING until the effective date' }) status!: ConsentStatus;
  @Field(() => GraphQLDate, { description: 'The day (Kazakhstan time) it takes effect: the requested day, never earlier than 3 calendar months after the notice' })
  effectiveDate!: string;
  @Field(() => Date, { description: 'Start of the effective day in Kazakhstan (UTC+5)' }) effectiveAt!: Date;
  @Field(() => Boolean, { description: 'True when open obligations will hold the withdrawal back past the effective date until they are fulfilled' })
  waitsForObligations!: boolean;
  @Field(() => [OpenObligationType]) openObligations!: OpenObligation[];
  @Field(() => ConsentType, { description: 'The record just appended' }) consent!: Consent;
}

const CLIENT_ID = { nullable: true, description: 'For staff acting on a written notice or a call: the client. A client acts for itself and may omit it.' };
const CHANNEL = { nullable: true, description: 'Where the request came from; defaults to WEB for the client, OPERATOR for staff' };

/** The subject acting for itself, or staff recording what the subject asked, with proof of the channel. */
function actFor(ctx: RequestContext, clientId: string | null | undefined, channel: ConsentChannel | null | undefined): { clientId: string; act: ConsentAct } {
  const principal = principalOf(ctx);
  const evidence = evidenceOf(ctx.origin);
  // The request's one instant: the record's time and any decision on it agree (P3 dates).
  const now = ctx.privacy.now;
  if (principal.role === 'client') {
    if (clientId && uuid('clientId', clientId) !== principal.sub.toLowerCase()) throw forbidden('A client may act only for itself');
    // OPERATOR and PAPER would claim staff took the request: the record's proof must not be the client's say-so.
    if (channel && !SELF_SERVICE_CHANNELS.includes(channel)) throw badInput('channel', `must be one of ${SELF_SERVICE_CHANNELS.join(', ')} for a client`);
    return { clientId: principal.sub, act: { actor: 'SUBJECT', actorId: null, channel: channel ?? ConsentChannel.WEB, evidence, now } };
  }
  if (principal.role !== 'operator' && principal.role !== 'dpo') throw forbidden();
  if (!clientId) throw badInput('clientId', 'is required when staff act for a client');
  if (channel && !STAFF_CHANNELS.includes(channel)) throw badInput('channel', `must be one of ${STAFF_CHANNELS.join(', ')} for staff`);
  const actor = principal.role === 'dpo' ? 'DPO' : 'OPERATOR';
  return { clientId: uuid('clientId', clientId), act: { actor, actorId: principal.sub, channel: channel ?? ConsentChannel.OPERATOR, evidence, now } };
}

@Resolver()
export class ConsentLifecycleResolver {
  @Mutation(() => ConsentType, { description: 'P2 purpose 7 off at once; nothing else is hidden. Returns the current record.' })
  optOutOfMarketing(
    @Arg('clientId', () => ID, CLIENT_ID) clientId: string | null,
    @Arg('channel', () => ConsentChannel, CHANNEL) channel: ConsentChannel | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Consent> {
    const target = actFor(ctx, clientId, channel);
    return optOutOfMarketing(ctx.em, target.clientId, target.act, ctx.privacy.caller);
  }

  @Mutation(() => WithdrawalRequestType, {
    description: 'P3: written notice of withdrawal. Only a SHA-256 of the notice is kept. Takes effect on the requested date, never earlier than 3 calendar months after the notice, and not while orders are open.',
  })
  async requestConsentWithdrawal(
    @Arg('notice', () => String) notice: string,
    @Arg('requestedDate', () => GraphQLDate, { nullable: true }) requestedDate: Date | null,
    @Arg('clientId', () => ID, CLIENT_ID) clientId: string | null,
    @Arg('channel', () => ConsentChannel, CHANNEL) channel: ConsentChannel | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WithdrawalRequestType> {
    const target = actFor(ctx, clientId, channel);
    const result = await requestWithdrawal(
      ctx.em,
      target.clientId,
      { notice, requestedDay: requestedDate ? dayOfDateOnly(requestedDate) : null },
      target.act,
      ctx.privacy.caller,
    );
    return {
      status: result.consent.status,
      effectiveDate: result.effectiveDay,
      effectiveAt: result.consent.withdrawalEffectiveAt!,
      waitsForObligations: result.openObligations.length > 0,
      openObligations: result.openObligations,
      consent: result.consent,
    };
  }

  @Mutation(() => ConsentType, { description: 'Cancels a pending withdrawal before it takes effect (the client, or the DPO on its written request)' })
  cancelConsentWithdrawal(
    @Arg('clientId', () => ID, CLIENT_ID) clientId: string | null,
    @Arg('channel', () => ConsentChannel, CHANNEL) channel: ConsentChannel | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Consent> {
    const target = actFor(ctx, clientId, channel);
    return cancelWithdrawal(ctx.em, target.clientId, target.act);
  }
}
