import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConsentPurposeEnum } from '../consent/consent.type';
import { connectionType } from '../graphql/connection';
import { PiiCategoryEnum } from '../graphql/pii.directive';
import type { ConsentPurpose, PiiCategory } from '../privacy/categories';

@ObjectType('Partner', { description: 'An agent or third party under contract with the Company (P5.1)' })
export class PartnerType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'BIN of the partner (a legal entity)' }) bin!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('Contract', { description: 'What a partner may receive, for which purposes, and when (P5.1)' })
export class ContractType {
  @Field(() => ID) id!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => String) number!: string;
  @Field(() => String, { description: 'First valid day (YYYY-MM-DD, Kazakhstan time)' }) validFrom!: string;
  @Field(() => String, { description: 'Last valid day (YYYY-MM-DD, Kazakhstan time)' }) validTo!: string;
  @Field(() => [PiiCategoryEnum]) categories!: PiiCategory[];
  @Field(() => [ConsentPurposeEnum]) purposes!: ConsentPurpose[];
  @Field(() => Boolean, { description: 'Whether today is within the validity period and the purposes include THIRD_PARTY_OBLIGATIONS: only then are tokens issued and served' })
  inForce!: boolean;
}

@ObjectType('IssuedToken', { description: 'A short-lived bearer token for a partner or an authority; shown once' })
export class IssuedTokenType {
  @Field(() => String) token!: string;
  @Field(() => ID, { description: 'The token id (jti), to revoke it' }) tokenId!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => String, { description: 'Space-separated scopes, e.g. "pii:phone pii:residence_address"' }) scope!: string;
}

@ObjectType('TokenRecord', { description: 'An issued partner or authority token as recorded (DPO); never the token itself' })
export class TokenRecordType {
  @Field(() => ID, { description: 'The token id (jti)' }) tokenId!: string;
  @Field(() => [PiiCategoryEnum], { description: 'What the token opens: its scope (partner) or its request\'s categories (authority)' }) categories!: PiiCategory[];
  @Field(() => Date) issuedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Boolean, { description: 'Neither revoked nor expired' }) live!: boolean;
}

@InputType('RegisterPartnerInput')
export class RegisterPartnerInput {
  @Field(() => String) name!: string;
  @Field(() => String) bin!: string;
}

@InputType('RegisterContractInput')
export class RegisterContractInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => String) number!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) validFrom!: string;
  @Field(() => String, { description: 'YYYY-MM-DD, included' }) validTo!: string;
  @Field(() => [PiiCategoryEnum]) categories!: PiiCategory[];
  @Field(() => [ConsentPurposeEnum], { description: 'Must include THIRD_PARTY_OBLIGATIONS, the purpose of every disclosure to a partner' })
  purposes!: ConsentPurpose[];
}

export const PartnerConnection = connectionType('Partner', PartnerType, 'Registered partners, one page');
export const tokenPosition = (t: Pick<TokenRecordType, 'issuedAt' | 'tokenId'>) => ({ at: t.issuedAt, id: t.tokenId });
export const TokenRecordConnection = connectionType('TokenRecord', TokenRecordType, 'Issued tokens, one page; never the tokens themselves');
