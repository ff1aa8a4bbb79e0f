import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType, type Connection } from '../graphql/connection';
import { PiiCategoryEnum } from '../graphql/pii.directive';
import type { PiiCategory } from '../privacy/categories';
import { RecipientKind } from './disclosure.entity';

registerEnumType(RecipientKind, { name: 'RecipientKind', description: 'Who received personal data (P5)' });

export enum OffSystemRecipientKind {
  PARTNER = 'PARTNER',
  AUTHORITY = 'AUTHORITY',
  OTHER = 'OTHER',
}
registerEnumType(OffSystemRecipientKind, { name: 'OffSystemRecipientKind' });

@ObjectType('DisclosedField', { description: 'What was disclosed: a response path and its category, never the value' })
export class DisclosedFieldType {
  @Field(() => String) path!: string;
  @Field(() => PiiCategoryEnum) category!: PiiCategory;
  @Field(() => String, { description: 'FULL or MASKED' }) access!: string;
}

@ObjectType('Disclosure', { description: "One entry of the append-only disclosure log (P5), hash-chained in its recipient's chain" })
export class DisclosureType {
  @Field(() => Int, { description: 'Position in the whole log, across chains (newest highest; gaps possible); the paging key' }) seq!: number;
  @Field(() => String, { description: "The recipient's hash chain: partner:<id>, lawful-request:<id>, subject:<id>, other, or legacy" }) chain!: string;
  @Field(() => Int, { description: 'Position in its chain: 1, 2, 3, … without gaps' }) chainSeq!: number;
  @Field(() => ID) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => RecipientKind) recipientKind!: RecipientKind;
  @Field(() => String, { description: 'The recipient as named when the entry was written' }) recipient!: string;
  @Field(() => ID, { nullable: true }) partnerId!: string | null;
  @Field(() => ID, { nullable: true }) contractId!: string | null;
  @Field(() => ID, { nullable: true }) lawfulRequestId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The acting token (jti)' }) tokenId!: string | null;
  @Field(() => String, { description: 'The token subject that acted' }) actor!: string;
  @Field(() => ID) subjectId!: string;
  @Field(() => [DisclosedFieldType]) fields!: DisclosedFieldType[];
  @Field(() => String) purpose!: string;
  @Field(() => String) legalBasis!: string;
  @Field(() => String, { nullable: true }) operationName!: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the query text' }) queryHash!: string | null;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String) prevHash!: string;
  @Field(() => String) hash!: string;
}

export const DisclosureConnection = connectionType('Disclosure', DisclosureType, 'Entries of the disclosure log, newest first', "Opaque; holds the entry's position in the log, nothing about anyone");
export type DisclosureConnection = Connection<DisclosureType>;

@InputType('RecordDisclosureInput', { description: 'A disclosure made outside the system, e.g. a paper request answered by the DPO' })
export class RecordDisclosureInput {
  @Field(() => ID) subjectId!: string;
  @Field(() => OffSystemRecipientKind) recipientKind!: OffSystemRecipientKind;
  @Field(() => String, { description: 'Who received it (organisation, not a person where avoidable)' }) recipient!: string;
  @Field(() => ID, { nullable: true, description: 'For a partner: the contract it was disclosed under' }) contractId?: string | null;
  @Field(() => ID, { nullable: true, description: 'For a state body: the registered lawful request' }) lawfulRequestId?: string | null;
  @Field(() => [PiiCategoryEnum]) categories!: PiiCategory[];
  @Field(() => String) purpose!: string;
  @Field(() => String) legalBasis!: string;
  @Field(() => Date, { nullable: true, description: 'When it was disclosed; defaults to now' }) disclosedAt?: Date | null;
}
