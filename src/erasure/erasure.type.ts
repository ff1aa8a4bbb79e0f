import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { OpenObligation } from '../consent/consent-lifecycle';
import { ConsentEvidenceType, OpenObligationType } from '../consent/consent.type';
import { connectionType } from '../graphql/connection';
import { ERASED_CATEGORIES, ErasureBasis, ErasureRequestStatus, type ErasedCategory } from './erasure.entity';

export const ErasedCategoryEnum = Object.fromEntries(ERASED_CATEGORIES.map((c) => [c, c])) as Record<ErasedCategory, ErasedCategory>;
registerEnumType(ErasedCategoryEnum, { name: 'ErasedCategory', description: 'Kinds of data an erasure removes (P1 categories, password, sessions)' });
registerEnumType(ErasureBasis, { name: 'ErasureBasis' });
registerEnumType(ErasureRequestStatus, { name: 'ErasureRequestStatus' });

@ObjectType('ErasureRequest', { description: "A subject's request to be erased (P4)" })
export class ErasureRequestType {
  @Field(() => ID) id!: string;
  @Field(() => ID) clientId!: string;
  @Field(() => ErasureRequestStatus) status!: ErasureRequestStatus;
  @Field(() => Date) requestedAt!: Date;
  @Field(() => ID, { nullable: true }) receiptId!: string | null;
  @Field(() => ConsentEvidenceType, { description: 'Proof of the request: user agent and anonymised IP' }) evidence!: ConsentEvidenceType;
}

@ObjectType('ErasureReceipt', { description: 'Proof of an erasure: what kinds of data went, when, why and by whom; never a value' })
export class ErasureReceiptType {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The erased client: a random id of a row that no longer holds personal data' }) clientId!: string;
  @Field(() => ErasureBasis) basis!: ErasureBasis;
  @Field(() => String, { nullable: true, description: 'The request id, or the registry number of a written request' }) reference!: string | null;
  @Field(() => [ErasedCategoryEnum], { description: 'Kinds of data that held values and were removed' }) categories!: ErasedCategory[];
  @Field(() => Int) ordersDepersonalised!: number;
  @Field(() => Int) sessionsRevoked!: number;
  @Field(() => String, { description: 'DPO or SYSTEM' }) actorRole!: string;
  @Field(() => String, { description: "The DPO's account id, or `jobs`" }) actorId!: string;
  @Field(() => Date) erasedAt!: Date;
  @Field(() => [OpenObligationType], {
    nullable: true,
    description: 'Unfinished orders when the erasure ran: kept, depersonalised, still to be fulfilled. Only in the answer of the erasure itself; null when read back later',
  })
  openObligations!: OpenObligation[] | null;
}

export const ErasureRequestConnection = connectionType('ErasureRequest', ErasureRequestType, 'Erasure requests, one page');
export const ErasureReceiptConnection = connectionType('ErasureReceipt', ErasureReceiptType, 'Erasure receipts, one page');
