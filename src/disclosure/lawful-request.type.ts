import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ClientEdge } from '../clients/client.type';
import { PageInfo } from '../graphql/connection';
import { connectionType } from '../graphql/connection';
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

@ObjectType('AuthoritySubjectConnection', { description: "The subjects of an authority's lawful request, by id, keyset-paginated like clients" })
export class AuthoritySubjectConnection {
  @Field(() => [ClientEdge]) edges!: ClientEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'How many subjects the request names' }) totalCount!: number;
}

export const LawfulRequestConnection = connectionType('LawfulRequest', LawfulRequestType, 'Registered lawful requests, one page');
