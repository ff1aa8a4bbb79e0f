/** The shapes the page reads, as ./documents.ts selects them. Enums stay strings: a newer value still shows. */

export interface Address {
  country: string | null;
  region: string | null;
  city: string | null;
  street: string | null;
  building: string | null;
  apartment: string | null;
  postalCode: string | null;
}

export interface BankAccount {
  iban: string | null;
  bankName: string | null;
  bic: string | null;
}

export interface Profile {
  id: string;
  kind: string;
  status: string;
  surname: string | null;
  firstName: string | null;
  patronymic: string | null;
  fullName: string | null;
  iin: string | null;
  bin: string | null;
  legalName: string | null;
  legalForm: string | null;
  stateRegistrationDate: string | null;
  headFullName: string | null;
  kbe: string | null;
  vatCertificate: string | null;
  registrationAddress: Address | null;
  residenceAddress: Address | null;
  phones: string[] | null;
  emails: string[] | null;
  bankAccounts: BankAccount[] | null;
  login: string | null;
  createdAt: string;
}

export interface OrderItem {
  name: string;
  quantity: number;
  priceTiyn: number;
}

export interface Order {
  id: string;
  status: string;
  amount: string;
  currency: string;
  createdAt: string;
  completedAt: string | null;
  items: OrderItem[];
  contactPhone: string | null;
  contactEmail: string | null;
  deliveryAddress: Address | null;
}

export interface Consent {
  id: string;
  kind: string;
  status: string;
  policyVersion: string;
  purposes: string[];
  operations: string[];
  channel: string;
  actor: string;
  givenAt: string;
  recordedAt: string;
  withdrawalNoticeAt: string | null;
  withdrawalEffectiveAt: string | null;
  expiresAt: string | null;
}

export interface OpenObligation {
  orderId: string;
  status: string;
}

export interface WithdrawalRequest {
  status: string;
  /** YYYY-MM-DD, a Kazakhstan day. */
  effectiveDate: string;
  effectiveAt: string;
  waitsForObligations: boolean;
  openObligations: OpenObligation[];
  consent: Consent;
}

export interface ConsentState {
  clientId: string;
  /** Oldest first; the last is the current record. */
  history: Consent[];
  /** Orders NEW or PAID: they hold a withdrawal back (P3). */
  openOrders: OpenObligation[];
}

export interface DisclosedField {
  path: string;
  category: string;
  access: string;
}

export interface Disclosure {
  seq: number;
  id: string;
  at: string;
  recipientKind: string;
  recipient: string;
  subjectId: string;
  tokenId: string | null;
  fields: DisclosedField[];
  purpose: string;
  legalBasis: string;
  operationName: string | null;
}

export interface ErasureRequest {
  id: string;
  clientId?: string;
  status: string;
  requestedAt: string;
  receiptId: string | null;
  evidence?: { userAgent: string | null; ipPrefix: string | null };
}

export interface ErasureReceipt {
  id: string;
  clientId: string;
  basis: string;
  reference: string | null;
  categories: string[];
  ordersDepersonalised: number;
  sessionsRevoked: number;
  actorRole: string;
  actorId: string;
  erasedAt: string;
  openObligations?: OpenObligation[] | null;
}

/** The access export, kept as the server sent it for the download; the page reads a few counts. */
export interface DataExport {
  generatedAt: string;
  client: Profile;
  orders: Order[];
  consents: unknown[];
  disclosures: Disclosure[];
  [key: string]: unknown;
}

export interface PrivacyPolicy {
  version: string;
  textHash: string;
  textRu: string;
  contacts: { addressRu: string; phones: string[] };
}

export interface ClientSummary {
  id: string;
  kind: string;
  status: string;
  fullName: string | null;
  legalName: string | null;
  createdAt?: string;
}

export interface LawfulRequest {
  id: string;
  issuingBody: string;
  documentNumber: string;
  documentDate: string;
  legalBasis: string;
  subjectIds: string[];
  categories: string[];
  expiresAt: string;
  createdAt: string;
}

export type RegisterLawfulRequestInput = Omit<LawfulRequest, 'id' | 'createdAt'>;

export interface TokenRecord {
  tokenId: string;
  categories: string[];
  issuedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  live: boolean;
}

export interface IssuedToken {
  token: string;
  tokenId: string;
  expiresAt: string;
  scope: string;
}

export interface Contract {
  id: string;
  partnerId: string;
  number: string;
  validFrom: string;
  validTo: string;
  categories: string[];
  purposes: string[];
  inForce: boolean;
}

export interface Partner {
  id: string;
  name: string;
  bin: string;
  createdAt: string;
  contracts: Contract[];
}

export type RegisterContractInput = Omit<Contract, 'id' | 'inForce'>;

export interface DisclosureFilter {
  subjectId?: string;
  recipient?: string;
  recipientName?: string;
  tokenId?: string;
  recipientKind?: string;
  from?: string;
  to?: string;
}

export interface ChainVerification {
  chain: string;
  intact: boolean;
  entries: number;
  /** <chain>=<seq>:<hash>, when intact. */
  head: string | null;
  expectedSeq: number | null;
  brokenAtSeq: number | null;
  brokenAtId: string | null;
  reason: string | null;
}

export interface LogVerification {
  intact: boolean;
  entries: number;
  verifiedAt: string;
  chains: ChainVerification[];
}

export interface ClientFilter {
  iinOrBin?: string;
  phone?: string;
  email?: string;
  surname?: string;
}
