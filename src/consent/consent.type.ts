import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../privacy/categories';
import { CONSENT_STATUSES } from '../privacy/consent-state';
import { OrderStatus } from '../orders/order.entity';
import { ConsentChannel, ConsentEventKind } from './consent.entity';

const asEnum = <T extends string>(values: readonly T[]): Record<T, T> =>
  Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const ConsentOperationEnum = asEnum(CONSENT_OPERATIONS);
export const ConsentPurposeEnum = asEnum(CONSENT_PURPOSES);
export const ConsentStatusEnum = asEnum(CONSENT_STATUSES);
registerEnumType(ConsentOperationEnum, { name: 'ConsentOperation', description: 'P2 operations' });
registerEnumType(ConsentPurposeEnum, { name: 'ConsentPurpose', description: 'P2 purposes, in the policy order' });
registerEnumType(ConsentStatusEnum, { name: 'ConsentStatus' });
registerEnumType(ConsentEventKind, { name: 'ConsentEventKind' });
registerEnumType(ConsentChannel, { name: 'ConsentChannel' });

@ObjectType('ConsentEvidence', { description: 'Proof of where an act came from: the user agent and the IP cut to /24 or /48' })
export class ConsentEvidenceType {
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => String, { nullable: true, description: 'The network, never the address: /24 (IPv4) or /48 (IPv6)' }) ipPrefix!: string | null;
}

/** One record of the consent history (P2). */
@ObjectType('Consent')
export class ConsentType {
  @Field(() => ID) id!: string;
  @Field(() => ConsentEventKind) kind!: ConsentEventKind;
  @Field(() => ConsentStatusEnum) status!: string;
  @Field(() => String) policyVersion!: string;
  @Field(() => String, { description: 'SHA-256 of the authoritative (Russian) policy text' }) policyTextHash!: string;
  @Field(() => [ConsentOperationEnum]) operations!: string[];
  @Field(() => [ConsentPurposeEnum]) purposes!: string[];
  @Field(() => ConsentChannel) channel!: ConsentChannel;
  @Field(() => String, { description: 'SUBJECT, OPERATOR, DPO or SYSTEM (the job runner)' }) actor!: string;
  @Field(() => String, { nullable: true, description: 'The staff account that recorded it (OPERATOR, DPO); null otherwise' }) actorId!: string | null;
  @Field(() => Date) givenAt!: Date;
  @Field(() => Date) recordedAt!: Date;
  @Field(() => Date, { nullable: true }) withdrawalNoticeAt!: Date | null;
  @Field(() => Date, { nullable: true }) withdrawalEffectiveAt!: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the written withdrawal notice as sent; the text itself is not kept' })
  noticeSha256!: string | null;
  @Field(() => Int, { nullable: true, description: 'Length of the written notice, in characters' }) noticeLength!: number | null;
}

@ObjectType('OpenObligation', { description: 'An unfinished order: it holds back a withdrawal (P3) and survives an erasure (P4); ids and status only' })
export class OpenObligationType {
  @Field(() => ID) orderId!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
}

/** A consent record as the access export gives it to the subject and the DPO: with its evidence, which other readers of the history do not get. */
@ObjectType('ExportedConsent')
export class ExportedConsentType extends ConsentType {
  @Field(() => ConsentEvidenceType) evidence!: ConsentEvidenceType;
}
