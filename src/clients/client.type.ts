import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection';
import { pii } from '../graphql/pii.directive';
import { ClientKind, ClientStatus, LegalForm } from './client.entity';

registerEnumType(ClientKind, { name: 'ClientKind', description: 'Natural person or legal entity (P1)' });
registerEnumType(ClientStatus, { name: 'ClientStatus' });
registerEnumType(LegalForm, { name: 'LegalForm', description: 'Organisational and legal form of a legal entity' });

@ObjectType('Address', { description: 'Structured address; reachable only through a @pii field, which guards it as a whole' })
export class AddressType {
  @Field(() => String, { nullable: true }) country!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field(() => String, { nullable: true }) building!: string | null;
  @Field(() => String, { nullable: true }) apartment!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
}

@ObjectType('BankAccount', { description: 'Reachable only through Client.bankAccounts, which guards it as a whole' })
export class BankAccountType {
  @Field(() => String, { nullable: true, description: 'KZ IBAN' }) iban!: string | null;
  @Field(() => String, { nullable: true }) bankName!: string | null;
  @Field(() => String, { nullable: true }) bic!: string | null;
}

/** A client as the API shows it. Personal fields are nullable: a hidden value is null. */
@ObjectType('Client')
export class ClientType {
  @Field(() => ID) id!: string;
  @Field(() => ClientKind) kind!: ClientKind;
  @Field(() => ClientStatus) status!: ClientStatus;

  @Field(() => String, { nullable: true })
  @Directive(pii('FULL_NAME'))
  surname!: string | null;

  @Field(() => String, { nullable: true })
  @Directive(pii('FULL_NAME'))
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  @Directive(pii('FULL_NAME'))
  patronymic!: string | null;

  @Field(() => String, { nullable: true, description: 'IIN of a natural person' })
  @Directive(pii('OFFICIAL_REQUISITES'))
  iin!: string | null;

  @Field(() => String, { nullable: true, description: 'BIN of a legal entity' })
  @Directive(pii('OFFICIAL_REQUISITES'))
  bin!: string | null;

  @Field(() => String, { nullable: true })
  @Directive(pii('OFFICIAL_REQUISITES', 'LEGAL_NAME'))
  legalName!: string | null;

  // A masked requisite shows nothing: only the VAT certificate has a number format that a mask keeps apart.
  @Field(() => LegalForm, { nullable: true })
  @Directive(pii('OFFICIAL_REQUISITES', 'HIDE'))
  legalForm!: LegalForm | null;

  @Field(() => String, { nullable: true, description: 'Date of state registration (YYYY-MM-DD)' })
  @Directive(pii('OFFICIAL_REQUISITES', 'HIDE'))
  stateRegistrationDate!: string | null;

  @Field(() => String, { nullable: true, description: "Full name of the entity's head" })
  @Directive(pii('FULL_NAME', 'NAME_PART'))
  headFullName!: string | null;

  @Field(() => String, { nullable: true, description: 'Beneficiary code (KBE), two digits' })
  @Directive(pii('OFFICIAL_REQUISITES', 'HIDE'))
  kbe!: string | null;

  @Field(() => String, { nullable: true, description: 'VAT registration certificate: series (5 digits) then number (7 digits)' })
  @Directive(pii('OFFICIAL_REQUISITES', 'ID_NUMBER'))
  vatCertificate!: string | null;

  @Field(() => AddressType, { nullable: true })
  @Directive(pii('REGISTRATION_ADDRESS'))
  registrationAddress!: AddressType | null;

  @Field(() => AddressType, { nullable: true })
  @Directive(pii('RESIDENCE_ADDRESS'))
  residenceAddress!: AddressType | null;

  @Field(() => [String], { nullable: true, description: 'E.164 phone numbers' })
  @Directive(pii('PHONE'))
  phones!: string[] | null;

  @Field(() => [String], { nullable: true })
  @Directive(pii('EMAIL'))
  emails!: string[] | null;

  @Field(() => [BankAccountType], { nullable: true })
  @Directive(pii('BANK_ACCOUNT'))
  bankAccounts!: BankAccountType[] | null;

  @Field(() => String, { nullable: true })
  @Directive(pii('LOGIN'))
  login!: string | null;

  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('ClientEdge')
export class ClientEdge {
  @Field(() => String) cursor!: string;
  @Field(() => ClientType) node!: ClientType;
}

@ObjectType('ClientConnection')
export class ClientConnection {
  @Field(() => [ClientEdge]) edges!: ClientEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  /** Resolved only when asked for, with the same filter as the page. */
  @Field(() => Int) totalCount!: number;
}
