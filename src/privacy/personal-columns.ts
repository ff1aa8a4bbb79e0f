/**
 * Every stored personal column (P1), declared once. Erasure empties these and its receipt names
 * their categories (P4), the erased-row trigger refuses them on an erased client, and a client
 * filter's permission is judged by the category of the columns it reads. Plain data: persistence
 * derives its SQL from it, and tests hold the entities, the @pii marks and the trigger's migration
 * to it. Adding a personal column: its entity property and @pii field, an entry here, then
 * `npm run migration:create`.
 */
import { PII_CATEGORIES, type PiiCategory } from './categories';

/**
 * A P1 category, or the password hash: never served, so in no P1 category, but a credential that
 * erasure removes and its receipt names.
 */
export type StoredCategory = PiiCategory | 'PASSWORD';

/** What erasure leaves in a column: SQL null, an empty text[] array, or an empty JSON array. */
export type Emptied = 'null' | 'text[]' | 'json[]';

/** How a client filter compares its value with the column: equal, or equal ignoring case (a list column: an element equal). */
export type FilterMatch = 'exact' | 'caseless';

export interface PersonalColumn {
  /** The entity property; the GraphQL field of the same name, where the API serves it, is @pii. */
  readonly property: string;
  readonly column: string;
  readonly category: StoredCategory;
  readonly emptied: Emptied;
  /** The ClientFilter field that matches on this column (a list column: on any of its elements). */
  readonly filter?: { readonly name: string; readonly match: FilterMatch };
}

/** The `client` table: a natural person's or a legal entity's data, and its credentials. */
export const CLIENT_PERSONAL_COLUMNS = [
  { property: 'surname', column: 'surname', category: 'FULL_NAME', emptied: 'null', filter: { name: 'surname', match: 'caseless' } },
  { property: 'firstName', column: 'first_name', category: 'FULL_NAME', emptied: 'null' },
  { property: 'patronymic', column: 'patronymic', category: 'FULL_NAME', emptied: 'null' },
  { property: 'iin', column: 'iin', category: 'OFFICIAL_REQUISITES', emptied: 'null', filter: { name: 'iinOrBin', match: 'exact' } },
  { property: 'bin', column: 'bin', category: 'OFFICIAL_REQUISITES', emptied: 'null', filter: { name: 'iinOrBin', match: 'exact' } },
  { property: 'legalName', column: 'legal_name', category: 'OFFICIAL_REQUISITES', emptied: 'null' },
  { property: 'legalForm', column: 'legal_form', category: 'OFFICIAL_REQUISITES', emptied: 'null' },
  { property: 'stateRegistrationDate', column: 'state_registration_date', category: 'OFFICIAL_REQUISITES', emptied: 'null' },
  { property: 'headFullName', column: 'head_full_name', category: 'FULL_NAME', emptied: 'null' },
  { property: 'kbe', column: 'kbe', category: 'OFFICIAL_REQUISITES', emptied: 'null' },
  { property: 'vatCertificate', column: 'vat_certificate', category: 'OFFICIAL_REQUISITES', emptied: 'null' },
  { property: 'registrationAddress', column: 'registration_address', category: 'REGISTRATION_ADDRESS', emptied: 'null' },
  { property: 'residenceAddress', column: 'residence_address', category: 'RESIDENCE_ADDRESS', emptied: 'null' },
  { property: 'phones', column: 'phones', category: 'PHONE', emptied: 'text[]', filter: { name: 'phone', match: 'exact' } },
  { property: 'emails', column: 'emails', category: 'EMAIL', emptied: 'text[]', filter: { name: 'email', match: 'exact' } },
  { property: 'bankAccounts', column: 'bank_accounts', category: 'BANK_ACCOUNT', emptied: 'json[]' },
  { property: 'login', column: 'login', category: 'LOGIN', emptied: 'null' },
  { property: 'passwordHash', column: 'password_hash', category: 'PASSWORD', emptied: 'null' },
] as const satisfies readonly PersonalColumn[];

/** The `client_order` table: the contact copy taken with an order (P1's "Order with its contact information"). */
export const ORDER_PERSONAL_COLUMNS = [
  { property: 'contactPhone', column: 'contact_phone', category: 'ORDER_CONTACT', emptied: 'null' },
  { property: 'contactEmail', column: 'contact_email', category: 'ORDER_CONTACT', emptied: 'null' },
  { property: 'deliveryAddress', column: 'delivery_address', category: 'ORDER_CONTACT', emptied: 'null' },
] as const satisfies readonly PersonalColumn[];

type ClientColumn = (typeof CLIENT_PERSONAL_COLUMNS)[number];

/** The password hash is never served: every other client column is, each as the @pii field of its property's name. */
export const SERVED_CLIENT_COLUMNS = CLIENT_PERSONAL_COLUMNS.filter((c) => c.category !== 'PASSWORD');

/** @pii fields of Client computed, not stored: the properties each is computed from (the FULL_NAME mask reads all three parts). */
export const CLIENT_COMPUTED_FIELDS = {
  fullName: ['surname', 'firstName', 'patronymic'],
} as const satisfies Record<string, readonly ClientColumn['property'][]>;

export interface PersonalTable {
  readonly entity: string;
  readonly table: string;
  readonly columns: readonly PersonalColumn[];
  /** @pii fields of the GraphQL type of the entity's name that are computed, not stored: the properties they are computed from. */
  readonly computed: Readonly<Record<string, readonly string[]>>;
}

export const PERSONAL_TABLES: readonly PersonalTable[] = [
  { entity: 'Client', table: 'client', columns: CLIENT_PERSONAL_COLUMNS, computed: CLIENT_COMPUTED_FIELDS },
  { entity: 'Order', table: 'client_order', columns: ORDER_PERSONAL_COLUMNS, computed: {} },
];

/** A column's value once erased: a fresh empty list for the list columns. */
export function emptyValue(column: PersonalColumn): null | [] {
  return column.emptied === 'null' ? null : [];
}

/** Whether a column's value (as the entity holds it) is personal data still held: anything but its erased value. */
export function holdsValue(column: PersonalColumn, value: unknown): boolean {
  if (column.emptied === 'null') return value !== null && value !== undefined;
  return Array.isArray(value) && value.length > 0;
}

type Filtered = Extract<ClientColumn, { filter: object }>;
export type PersonalFilterName = Filtered['filter']['name'];

/** A personal client filter: the category permission is judged on, and the columns it matches. */
export interface PersonalFilter {
  readonly name: PersonalFilterName;
  readonly category: PiiCategory;
  readonly columns: readonly Filtered[];
}

const filtered = CLIENT_PERSONAL_COLUMNS.filter((c): c is Filtered => 'filter' in c);

/** The personal client filters, in the order of their categories in P1 (the order a refusal names them in). */
export const PERSONAL_FILTERS: readonly PersonalFilter[] = [...new Set(filtered.map((c) => c.filter.name))]
  .map((name) => {
    const columns = filtered.filter((c) => c.filter.name === name);
    return { name, category: columns[0]!.category, columns };
  })
  .sort((a, b) => PII_CATEGORIES.indexOf(a.category) - PII_CATEGORIES.indexOf(b.category));

/** The declaration of a client property (what a sort or a mask reads). */
export function clientColumn<P extends ClientColumn['property']>(property: P): Extract<ClientColumn, { property: P }> {
  return CLIENT_PERSONAL_COLUMNS.find((c): c is Extract<ClientColumn, { property: P }> => c.property === property)!;
}
