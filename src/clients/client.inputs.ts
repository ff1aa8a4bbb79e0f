import { Field, InputType, registerEnumType } from 'type-graphql';
import { ConsentChannel } from '../consent/consent.entity';
import { ClientKind, ClientStatus, LegalForm } from './client.entity';

@InputType('AddressInput')
export class AddressInput {
  @Field(() => String) country!: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { nullable: true }) street?: string | null;
  @Field(() => String, { nullable: true }) building?: string | null;
  @Field(() => String, { nullable: true }) apartment?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
}

@InputType('BankAccountInput')
export class BankAccountInput {
  @Field(() => String) iban!: string;
  @Field(() => String) bankName!: string;
  @Field(() => String, { nullable: true }) bic?: string | null;
}

@InputType('RegisterClientInput', { description: 'Registering is the act of consent (P2): the first consent record is written with it' })
export class RegisterClientInput {
  @Field(() => ClientKind) kind!: ClientKind;
  @Field(() => String) surname!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) patronymic?: string | null;
  @Field(() => String, { nullable: true, description: 'Required for a PERSON' }) iin?: string | null;
  @Field(() => String, { nullable: true, description: 'Required for an ENTITY' }) bin?: string | null;
  @Field(() => String, { nullable: true, description: 'Required for an ENTITY' }) legalName?: string | null;
  @Field(() => LegalForm, { nullable: true, description: 'Required for an ENTITY' }) legalForm?: LegalForm | null;
  @Field(() => String, { nullable: true, description: 'Required for an ENTITY: date of state registration, YYYY-MM-DD' })
  stateRegistrationDate?: string | null;
  @Field(() => String, { nullable: true, description: "Required for an ENTITY: the head's full name" }) headFullName?: string | null;
  @Field(() => String, { nullable: true, description: 'Required for an ENTITY: beneficiary code (KBE), e.g. 17' }) kbe?: string | null;
  @Field(() => String, { nullable: true, description: 'ENTITY registered for VAT: certificate series (5 digits) and number (7 digits)' })
  vatCertificate?: string | null;
  @Field(() => AddressInput, { nullable: true }) registrationAddress?: AddressInput | null;
  @Field(() => AddressInput, { nullable: true }) residenceAddress?: AddressInput | null;
  @Field(() => [String]) phones!: string[];
  @Field(() => [String], { defaultValue: [] }) emails!: string[];
  @Field(() => [BankAccountInput], { defaultValue: [] }) bankAccounts!: BankAccountInput[];
  @Field(() => String) login!: string;
  @Field(() => String) password!: string;
  @Field(() => Boolean, { defaultValue: false, description: 'P2 purpose 7: news about products (opt-in)' })
  marketing!: boolean;
  @Field(() => ConsentChannel, { defaultValue: ConsentChannel.WEB }) channel!: ConsentChannel;
}

@InputType('UpdateContactsInput', { description: 'Omitted fields stay as they are' })
export class UpdateContactsInput {
  @Field(() => [String], { nullable: true }) phones?: string[] | null;
  @Field(() => [String], { nullable: true }) emails?: string[] | null;
  @Field(() => AddressInput, { nullable: true }) residenceAddress?: AddressInput | null;
  @Field(() => AddressInput, { nullable: true }) registrationAddress?: AddressInput | null;
  @Field(() => [BankAccountInput], { nullable: true }) bankAccounts?: BankAccountInput[] | null;
}

@InputType('ClientFilter', { description: 'Filtering by a personal field needs a role that sees it in full' })
export class ClientFilter {
  @Field(() => ClientStatus, { nullable: true }) status?: ClientStatus | null;
  @Field(() => ClientKind, { nullable: true }) kind?: ClientKind | null;
  @Field(() => String, { nullable: true, description: 'Exact surname, case-insensitive (FULL_NAME)' }) surname?: string | null;
  @Field(() => String, { nullable: true, description: 'One of the phones (PHONE)' }) phone?: string | null;
  @Field(() => String, { nullable: true, description: 'One of the e-mails (EMAIL)' }) email?: string | null;
  @Field(() => String, { nullable: true, description: 'IIN or BIN (OFFICIAL_REQUISITES)' }) iinOrBin?: string | null;
}

export enum ClientSortField {
  CREATED_AT = 'CREATED_AT',
  SURNAME = 'SURNAME',
}
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(ClientSortField, { name: 'ClientSortField' });
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType('ClientOrderBy')
export class ClientOrderBy {
  @Field(() => ClientSortField) field!: ClientSortField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}
