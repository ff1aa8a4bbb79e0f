import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { PiiCategoryEnum } from '../graphql/pii.directive';
import type { PiiCategory } from '../privacy/categories';

@ObjectType('LawfulRequest', { description: 'A request of a state body, registered by the DPO (P5.2)' })
export class LawfulRequestType {
  @Field(() => ID) id!: string;
  @Field(() => String) issuingBody!: string;
  @Field(() => String) documentNumber!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) documentDate!: string;
  @Field(() => String) legalBasis!: string;
  @Field(() => [ID]) subjectIds!: string[];
  @Field(() => [PiiCategoryEnum]) categories!: PiiCategory[];
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date) createdAt!: Date;
}

@InputType('RegisterLawfulRequestInput')
export class RegisterLawfulRequestInput {
  @Field(() => String, { description: 'The state body that issued the request' }) issuingBody!: string;
  @Field(() => String) documentNumber!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) documentDate!: string;
  @Field(() => String, { description: 'The article of law the request relies on' }) legalBasis!: string;
  @Field(() => [ID], { description: 'The clients the request covers' }) subjectIds!: string[];
  @Field(() => [PiiCategoryEnum]) categories!: PiiCategory[];
  @Field(() => Date, { description: 'After this instant the request opens nothing' }) expiresAt!: Date;
}
