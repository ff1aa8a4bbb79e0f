/**
 * Every GraphQL document the page sends, in one place: a schema change (pagination, a renamed
 * field) is an edit here and in ./index.ts, nowhere else. test/web/documents.test.ts validates
 * each against schema/schema.graphql. Operation names show in the server's logs and the
 * disclosure log; they carry no value.
 */

const ADDRESS = `fragment AddressFields on Address { country region city street building apartment postalCode }`;

const PROFILE = `fragment ProfileFields on Client {
  id kind status surname firstName patronymic fullName iin bin legalName legalForm stateRegistrationDate
  headFullName kbe vatCertificate
  registrationAddress { ...AddressFields } residenceAddress { ...AddressFields }
  phones emails bankAccounts { iban bankName bic } login createdAt
}`;

const ORDER = `fragment OrderFields on Order {
  id status amount currency createdAt completedAt items { name quantity priceTiyn }
  contactPhone contactEmail deliveryAddress { ...AddressFields }
}`;

const CONSENT = `fragment ConsentFields on Consent {
  id kind status policyVersion purposes operations channel actor givenAt recordedAt
  withdrawalNoticeAt withdrawalEffectiveAt expiresAt
}`;

const DISCLOSURE = `fragment DisclosureFields on Disclosure {
  seq id at recipientKind recipient subjectId tokenId fields { path category access } purpose legalBasis operationName
}`;

const RECEIPT = `fragment ReceiptFields on ErasureReceipt {
  id clientId basis reference categories ordersDepersonalised sessionsRevoked actorRole actorId erasedAt
}`;

const EXPORT = `fragment ExportFields on DataExport {
  generatedAt
  client { ...ProfileFields }
  orders { ...OrderFields }
  consents {
    id kind status policyVersion policyTextHash purposes operations channel actor actorId givenAt recordedAt
    withdrawalNoticeAt withdrawalEffectiveAt expiresAt noticeSha256 noticeLength evidence { userAgent ipPrefix }
  }
  erasureRequests { id status requestedAt receiptId evidence { userAgent ipPrefix } }
  erasureReceipts { ...ReceiptFields }
  sessions { createdAt expiresAt revokedAt }
  passwordResets { createdAt expiresAt consumedAt }
  securityEvents { kind actorRole at }
  disclosures { ...DisclosureFields }
}`;

const TOKEN_RECORD = `fragment TokenRecordFields on TokenRecord { tokenId categories issuedAt expiresAt revokedAt live }`;

const LAWFUL_REQUEST = `fragment LawfulRequestFields on LawfulRequest {
  id issuingBody documentNumber documentDate legalBasis subjectIds categories expiresAt createdAt
}`;

const CONTRACT = `fragment ContractFields on Contract { id partnerId number validFrom validTo categories purposes inForce }`;

const with_ = (document: string, ...fragments: string[]) => [document, ...fragments].join('\n');

/* The subject (role client, session cookie). */

export const SESSION_ME = `query PrivacyCenterSession { me { id kind fullName legalName } }`;

export const LOGIN = `mutation PrivacyCenterLogin($login: String!, $password: String!) {
  login(login: $login, password: $password) { clientId expiresAt }
}`;

export const LOGOUT = `mutation PrivacyCenterLogout { logout }`;

export const CHANGE_PASSWORD = `mutation PrivacyCenterChangePassword($resetToken: String!, $newPassword: String!) {
  changePassword(resetToken: $resetToken, newPassword: $newPassword)
}`;

export const REPORT_COMPROMISE = `mutation PrivacyCenterReportCompromise { reportSuspectedCompromise }`;

export const MY_PROFILE = with_(
  `query PrivacyCenterProfile($orders: Int!) {
    me { ...ProfileFields ordersConnection(first: $orders) { edges { node { ...OrderFields } } pageInfo { hasNextPage } } }
  }`,
  PROFILE,
  ORDER,
  ADDRESS,
);

export const MY_CONSENT = with_(
  `query PrivacyCenterConsent {
    me { id consents { ...ConsentFields } }
    newOrders: orders(first: 100, status: NEW) { edges { node { id status } } }
    paidOrders: orders(first: 100, status: PAID) { edges { node { id status } } }
  }`,
  CONSENT,
);

export const OPT_OUT_OF_MARKETING = with_(`mutation PrivacyCenterOptOut { optOutOfMarketing { ...ConsentFields } }`, CONSENT);

export const REQUEST_WITHDRAWAL = with_(
  `mutation PrivacyCenterWithdraw($notice: String!, $requestedDate: Date) {
    requestConsentWithdrawal(notice: $notice, requestedDate: $requestedDate) {
      status effectiveDate effectiveAt waitsForObligations openObligations { orderId status } consent { ...ConsentFields }
    }
  }`,
  CONSENT,
);

export const CANCEL_WITHDRAWAL = with_(`mutation PrivacyCenterCancelWithdrawal { cancelConsentWithdrawal { ...ConsentFields } }`, CONSENT);

export const MY_DISCLOSURES = with_(
  `query PrivacyCenterDisclosures($first: Int!, $after: String) {
    myDisclosures(first: $first, after: $after) { edges { node { ...DisclosureFields } } pageInfo { hasNextPage endCursor } }
  }`,
  DISCLOSURE,
);

export const MY_DATA = with_(`query PrivacyCenterExport { myData { ...ExportFields } }`, EXPORT, PROFILE, ORDER, RECEIPT, DISCLOSURE, ADDRESS);

export const MY_ERASURE_REQUESTS = `query PrivacyCenterErasure($after: String) {
  myErasureRequests(after: $after) { edges { node { id status requestedAt receiptId } } pageInfo { hasNextPage endCursor } }
}`;

export const REQUEST_ERASURE = `mutation PrivacyCenterRequestErasure { requestErasure { id status requestedAt receiptId } }`;

export const PRIVACY_POLICY = `query PrivacyCenterPolicy { privacyPolicy { version textHash textRu contacts { addressRu phones } } }`;

/* The privacy officer (role dpo, bearer token). */

export const DPO_CHECK = `query DpoConsoleCheck { erasureRequests(first: 1) { pageInfo { hasNextPage } } }`;

export const ERASURE_REQUESTS = `query DpoErasureRequests($status: ErasureRequestStatus!, $after: String) {
  erasureRequests(status: $status, after: $after) {
    edges { node { id clientId status requestedAt receiptId evidence { userAgent ipPrefix } } } pageInfo { hasNextPage endCursor }
  }
}`;

export const CLIENT_SUMMARY = `query DpoClientSummary($id: ID!) { client(id: $id) { id kind status fullName legalName createdAt } }`;

export const ERASE_CLIENT = with_(
  `mutation DpoEraseClient($clientId: ID!, $basis: ErasureBasis!, $reference: String) {
    eraseClient(clientId: $clientId, basis: $basis, reference: $reference) { ...ReceiptFields openObligations { orderId status } }
  }`,
  RECEIPT,
);

export const ERASURE_RECEIPTS = with_(
  `query DpoErasureReceipts($clientId: ID, $after: String) {
    erasureReceipts(clientId: $clientId, after: $after) { edges { node { ...ReceiptFields } } pageInfo { hasNextPage endCursor } }
  }`,
  RECEIPT,
);

export const LAWFUL_REQUESTS = with_(
  `query DpoLawfulRequests($after: String) { lawfulRequests(after: $after) { edges { node { ...LawfulRequestFields } } pageInfo { hasNextPage endCursor } } }`,
  LAWFUL_REQUEST,
);

export const REGISTER_LAWFUL_REQUEST = with_(
  `mutation DpoRegisterLawfulRequest($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { ...LawfulRequestFields } }`,
  LAWFUL_REQUEST,
);

export const WITHDRAW_LAWFUL_REQUEST = with_(
  `mutation DpoWithdrawLawfulRequest($requestId: ID!) { withdrawLawfulRequest(requestId: $requestId) { ...LawfulRequestFields } }`,
  LAWFUL_REQUEST,
);

export const ISSUE_AUTHORITY_TOKEN = `mutation DpoIssueAuthorityToken($requestId: ID!, $ttl: Int!) {
  issueAuthorityToken(requestId: $requestId, ttl: $ttl) { token tokenId expiresAt scope }
}`;

export const AUTHORITY_TOKENS = with_(
  `query DpoAuthorityTokens($requestId: ID!, $after: String) {
    authorityTokens(requestId: $requestId, after: $after) { edges { node { ...TokenRecordFields } } pageInfo { hasNextPage endCursor } }
  }`,
  TOKEN_RECORD,
);

export const REVOKE_AUTHORITY_TOKEN = `mutation DpoRevokeAuthorityToken($tokenId: ID!) { revokeAuthorityToken(tokenId: $tokenId) }`;

export const PARTNERS = with_(
  `query DpoPartners($after: String) {
    partners(after: $after) { edges { node { id name bin createdAt contracts { ...ContractFields } } } pageInfo { hasNextPage endCursor } }
  }`,
  CONTRACT,
);

export const REGISTER_PARTNER = `mutation DpoRegisterPartner($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`;

export const REGISTER_CONTRACT = with_(
  `mutation DpoRegisterContract($input: RegisterContractInput!) { registerContract(input: $input) { ...ContractFields } }`,
  CONTRACT,
);

export const END_CONTRACT = with_(`mutation DpoEndContract($contractId: ID!) { endContract(contractId: $contractId) { ...ContractFields } }`, CONTRACT);

export const ISSUE_PARTNER_TOKEN = `mutation DpoIssuePartnerToken($contractId: ID!, $scopes: [PiiCategory!]!, $ttl: Int!) {
  issuePartnerToken(contractId: $contractId, scopes: $scopes, ttl: $ttl) { token tokenId expiresAt scope }
}`;

export const PARTNER_TOKENS = with_(
  `query DpoPartnerTokens($contractId: ID!, $after: String) {
    partnerTokens(contractId: $contractId, after: $after) { edges { node { ...TokenRecordFields } } pageInfo { hasNextPage endCursor } }
  }`,
  TOKEN_RECORD,
);

export const REVOKE_PARTNER_TOKEN = `mutation DpoRevokePartnerToken($tokenId: ID!) { revokePartnerToken(tokenId: $tokenId) }`;

export const REVOKE_CONTRACT_TOKENS = `mutation DpoRevokeContractTokens($contractId: ID!) { revokeContractTokens(contractId: $contractId) }`;

export const DISCLOSURES = with_(
  `query DpoDisclosures(
    $first: Int!, $after: String, $subjectId: ID, $recipient: ID, $recipientName: String, $tokenId: ID,
    $recipientKind: RecipientKind, $from: DateTimeISO, $to: DateTimeISO
  ) {
    disclosures(
      first: $first, after: $after, subjectId: $subjectId, recipient: $recipient, recipientName: $recipientName,
      tokenId: $tokenId, recipientKind: $recipientKind, from: $from, to: $to
    ) { edges { node { ...DisclosureFields } } pageInfo { hasNextPage endCursor } }
  }`,
  DISCLOSURE,
);

export const VERIFY_DISCLOSURE_LOG = `query DpoVerifyDisclosureLog($expectHeads: [String!]) {
  verifyDisclosureLog(expectHeads: $expectHeads) {
    intact entries verifiedAt chains { chain intact entries head expectedSeq brokenAtSeq brokenAtId reason }
  }
}`;

export const FIND_CLIENTS = `query DpoFindClients($filter: ClientFilter) {
  clients(first: 20, filter: $filter) { totalCount edges { node { id kind status fullName legalName createdAt } } }
}`;

export const CLIENT_DATA = with_(
  `query DpoClientData($clientId: ID!) { clientData(clientId: $clientId) { ...ExportFields } }`,
  EXPORT,
  PROFILE,
  ORDER,
  RECEIPT,
  DISCLOSURE,
  ADDRESS,
);
