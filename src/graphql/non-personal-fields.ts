/**
 * Every leaf field (any scalar or enum: text, ids, dates, numbers, flags, labels) that a caller
 * can reach from Query or Mutation and that is NOT personal data, each with the reason. A test
 * walks the whole schema and fails for any such field that is neither here nor @pii, so a new
 * field cannot ship unclassified. Fields of PERSONAL_VALUE_TYPES need no entry: their @pii parent
 * guards them whole.
 */
const RANDOM_ID = 'random UUID; links records, identifies no one outside the system';
const EVENT_TIME = 'when a record was made or changes; says nothing about who the person is';
/** See src/graphql/cursor.ts and src/clients/client-listing.ts. */
const CURSOR =
  "opaque; holds the row's id and, with the creation-time sort, its creation time; with the surname sort only the id (the surname is read server-side from the row, and only while the row is in the caller's own list), so no cursor carries a personal value";
const OWN_ACT = "the outcome of the caller's own act, about its own account or a record it just wrote";
const COUNT = 'a number of records, no value of any of them';
const CATEGORY_NAMES = 'names of personal data categories (P1), never a value of them';
const KIND_LABEL = 'a label of a kind of record or act, not of a person';
const CONSENT_HISTORY =
  'part of the consent history, which reaches only the subject, the DPO and consent-based staff while consent is in force (decideRelation, applied to client.consents and to the optOutOfMarketing payload)';
const DISCLOSURE_LOG = 'disclosure log entry (P5): read only by the DPO and by the subject it concerns (its right to know who received its data)';
const EXPORT_ONLY = 'only in the access export (the subject and the DPO)';
const DPO_ONLY = 'registry of the DPO: reached only through DPO-only operations';

const CONSENT_FIELDS: Readonly<Record<string, string>> = {
  'Consent.id': RANDOM_ID,
  'Consent.kind': `the kind of consent act (GIVEN, PURPOSES_NARROWED, …); ${CONSENT_HISTORY}`,
  'Consent.status': `ACTIVE, WITHDRAWAL_PENDING, WITHDRAWN or EXPIRED; ${CONSENT_HISTORY}`,
  'Consent.policyVersion': 'the published policy version the consent refers to',
  'Consent.policyTextHash': 'SHA-256 of the published policy text',
  'Consent.operations': `P2 operation codes consented to; ${CONSENT_HISTORY}`,
  'Consent.purposes': `P2 purpose codes consented to; ${CONSENT_HISTORY}`,
  'Consent.channel': `where the act came from (WEB, OPERATOR, …); ${CONSENT_HISTORY}`,
  'Consent.actor': 'SUBJECT, OPERATOR, DPO or SYSTEM: a role, not a person',
  'Consent.actorId': `a staff account id, not the client's data; ${CONSENT_HISTORY}`,
  'Consent.givenAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.recordedAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.withdrawalNoticeAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.withdrawalEffectiveAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.expiresAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.noticeSha256': `a digest of the written notice; the text, which may hold personal data, is never kept; ${CONSENT_HISTORY}`,
  'Consent.noticeLength': `the written notice's length, not its text; ${CONSENT_HISTORY}`,
};

export const NON_PERSONAL_FIELDS: Readonly<Record<string, string>> = {
  'Client.id': RANDOM_ID,
  'Client.kind': 'PERSON or ENTITY: a kind of account, counted in the anonymous statistics; says nothing about who the person is',
  'Client.status': "ACTIVE, BLOCKED or ERASED: the account's state, the erasure's proof; an erased subject's redactions say ERASED anyway",
  'Client.createdAt': EVENT_TIME,
  'Client.updatedAt': EVENT_TIME,
  'ClientConnection.totalCount': `${COUNT}; under a personal filter only for callers allowed that filter (roleSeesInFull, consent-restricted)`,
  'ClientEdge.cursor': CURSOR,
  'OrderEdge.cursor': 'opaque; holds the creation time and id of its order',
  'DisclosureEdge.cursor': "opaque; holds only its entry's position in the whole disclosure log (Disclosure.seq)",
  ...Object.fromEntries(
    ['ErasureRequest', 'ErasureReceipt', 'LawfulRequest', 'Partner', 'TokenRecord'].map((node) => [
      `${node}Edge.cursor`,
      `opaque; holds the time its ${node} was recorded (the list's sort key, a time the server wrote) and its random id`,
    ]),
  ),
  'PageInfo.endCursor': 'the cursor of the last edge of the page (see ClientEdge.cursor, OrderEdge.cursor)',
  'PageInfo.hasNextPage': 'whether another page follows',
  'PageInfo.hasPreviousPage': 'whether the page was asked for after a cursor',
  'PageInfo.startCursor': 'the cursor of the first edge of the page (see ClientEdge.cursor, OrderEdge.cursor)',

  'Order.id': RANDOM_ID,
  'Order.amount': 'an amount; anonymous without the contact data (P1)',
  'Order.currency': 'always KZT',
  'Order.status': 'NEW, PAID, COMPLETED or CANCELLED: the state of a settlement record',
  'Order.createdAt': EVENT_TIME,
  'Order.completedAt': EVENT_TIME,
  'OrderItem.quantity': 'how many were bought; anonymous without the contact data (P1)',
  'OrderItem.priceTiyn': 'a unit price; anonymous without the contact data (P1)',
  'OrderItem.name':
    'what was bought, kept with a depersonalised order for accounting (P4); free text the client types, so it must not be used for contact data (see the P1 report)',
  'OpenObligation.orderId': RANDOM_ID,
  'OpenObligation.status': 'NEW or PAID: the state of an unfinished order',

  ...CONSENT_FIELDS,
  ...Object.fromEntries(
    Object.keys(CONSENT_FIELDS).map((name) => {
      const field = name.slice('Consent.'.length);
      return [`ExportedConsent.${field}`, `as Consent.${field}, in the access export (the subject and the DPO only)`];
    }),
  ),
  'ConsentEvidence.userAgent': `proof of the subject's own consent act; a user agent can narrow down a device, so ${EXPORT_ONLY}`,
  'ConsentEvidence.ipPrefix': `proof of the subject's own consent act, cut to the network (/24, /48), never the address; ${EXPORT_ONLY}`,
  'WithdrawalRequest.status': "the caller's own withdrawal's status, answered only to the subject or the staff recording it",
  'WithdrawalRequest.waitsForObligations': "whether open orders hold the caller's own withdrawal back, answered only to the subject or the staff recording it",
  'WithdrawalRequest.effectiveDate': 'the day the caller\'s own withdrawal takes effect, answered only to the subject or the staff recording it',
  'WithdrawalRequest.effectiveAt': 'the instant the caller\'s own withdrawal takes effect, answered only to the subject or the staff recording it',

  'AuthPayload.clientId': `${RANDOM_ID}; the caller's own`,
  'AuthPayload.token': "the caller's own credential; its claims hold ids and role, no personal data (P6)",
  'AuthPayload.expiresAt': EVENT_TIME,

  'ErasureRequest.id': RANDOM_ID,
  'ErasureRequest.clientId': RANDOM_ID,
  'ErasureRequest.receiptId': RANDOM_ID,
  'ErasureRequest.status': 'PENDING or DONE: where the request stands',
  'ErasureRequest.requestedAt': EVENT_TIME,
  'ErasureReceipt.id': RANDOM_ID,
  'ErasureReceipt.clientId': `${RANDOM_ID}; the erased row holds no personal data`,
  'ErasureReceipt.reference': 'a request id or the registry number of a written request, never its content',
  'ErasureReceipt.basis': 'which clause the erasure rests on (P3, P4): a reason code',
  'ErasureReceipt.categories': `the kinds of data that were removed: ${CATEGORY_NAMES}`,
  'ErasureReceipt.ordersDepersonalised': COUNT,
  'ErasureReceipt.sessionsRevoked': COUNT,
  'ErasureReceipt.actorRole': 'DPO or SYSTEM: a role, not a person',
  'ErasureReceipt.actorId': "the DPO's staff account id, or `jobs`",
  'ErasureReceipt.erasedAt': EVENT_TIME,
  'DisclosureLogVerification.intact': "whether the log's hash chains verify; says nothing about any entry's subject",
  'DisclosureLogVerification.entries': COUNT,
  'DisclosureLogVerification.verifiedAt': EVENT_TIME,
  'DisclosureChainVerification.chain': `a chain's name: a recipient kind and its random id (a subject's export chain names the subject's random id); ${DISCLOSURE_LOG}`,
  'DisclosureChainVerification.intact': "whether the chain verifies",
  'DisclosureChainVerification.entries': COUNT,
  'DisclosureChainVerification.head': "the chain's name, its last position and chain hash: a digest, no value of any entry",
  'DisclosureChainVerification.expectedSeq': 'a position in the hash chain',
  'DisclosureChainVerification.brokenAtSeq': 'a position in the hash chain',
  'DisclosureChainVerification.brokenAtId': RANDOM_ID,
  'DisclosureChainVerification.reason': "fixed wording naming which check failed (positions only), never an entry's content",
  'DataExport.generatedAt': EVENT_TIME,
  'AccountSession.createdAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountSession.expiresAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountSession.revokedAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountSecurityEvent.kind': `COMPROMISE_REPORTED or PASSWORD_CHANGED: ${KIND_LABEL}; ${EXPORT_ONLY}`,
  'AccountSecurityEvent.actorRole': 'client, operator or dpo: a role, not a person',
  'AccountSecurityEvent.at': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountPasswordReset.createdAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountPasswordReset.expiresAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountPasswordReset.consumedAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,

  'Disclosure.id': RANDOM_ID,
  'Disclosure.seq': 'position in the whole disclosure log',
  'Disclosure.chain': 'the hash chain: a recipient kind and a random id (partner, lawful request or subject id)',
  'Disclosure.chainSeq': 'position in the hash chain',
  'Disclosure.recipientKind': `PARTNER, AUTHORITY, SUBJECT or OTHER: ${KIND_LABEL}`,
  'Disclosure.at': `${EVENT_TIME}; ${DISCLOSURE_LOG}`,
  'Disclosure.recipient': `the recipient organisation or request as registered; ${DISCLOSURE_LOG}`,
  'Disclosure.partnerId': RANDOM_ID,
  'Disclosure.contractId': RANDOM_ID,
  'Disclosure.lawfulRequestId': RANDOM_ID,
  'Disclosure.tokenId': 'a token id (jti)',
  'Disclosure.actor': `the acting account (partner:<id>, authority:<id>, or the DPO's staff id); ${DISCLOSURE_LOG}`,
  'Disclosure.subjectId': `${RANDOM_ID}; ${DISCLOSURE_LOG}`,
  'Disclosure.purpose': 'a purpose code',
  'Disclosure.legalBasis': `the contract or lawful request relied on; ${DISCLOSURE_LOG}`,
  'Disclosure.operationName': 'the GraphQL operation name the recipient used',
  'Disclosure.queryHash': 'SHA-256 of the query text',
  'Disclosure.requestId': 'an HTTP request id',
  'Disclosure.prevHash': 'hash chain link',
  'Disclosure.hash': 'hash chain link',
  'DisclosedField.path': 'a response path (field names and list positions), never a value',
  'DisclosedField.access': 'FULL or MASKED',
  'DisclosedField.category': `the category disclosed: ${CATEGORY_NAMES}`,

  'LawfulRequest.id': RANDOM_ID,
  'LawfulRequest.issuingBody': `the state body that issued it; ${DPO_ONLY}`,
  'LawfulRequest.documentNumber': `the request's registry number; ${DPO_ONLY}`,
  'LawfulRequest.documentDate': 'the date of the request document',
  'LawfulRequest.legalBasis': `the law cited by the state body; ${DPO_ONLY}`,
  'LawfulRequest.subjectIds': `${RANDOM_ID}s; ${DPO_ONLY}`,
  'LawfulRequest.categories': `what the request opens: ${CATEGORY_NAMES}`,
  'LawfulRequest.expiresAt': EVENT_TIME,
  'LawfulRequest.createdAt': EVENT_TIME,
  'IssuedToken.token': 'a credential shown once to the DPO who issued it; its claims hold ids, role and scopes only',
  'IssuedToken.tokenId': 'a token id (jti)',
  'IssuedToken.expiresAt': EVENT_TIME,
  'IssuedToken.scope': 'category scopes such as pii:phone',
  'TokenRecord.tokenId': 'a token id (jti)',
  'TokenRecord.categories': `what the token opens: ${CATEGORY_NAMES}`,
  'TokenRecord.issuedAt': EVENT_TIME,
  'TokenRecord.expiresAt': EVENT_TIME,
  'TokenRecord.revokedAt': EVENT_TIME,
  'TokenRecord.live': 'whether the token is neither revoked nor expired',
  'AuthoritySubjectConnection.totalCount': `${COUNT}: how many subjects the caller's own lawful request names`,

  'Partner.id': RANDOM_ID,
  'Partner.name': `a counterparty company's name, not a client's; ${DPO_ONLY} (see the P1 report on individual entrepreneurs)`,
  'Partner.bin': `a counterparty company's BIN, not a client's; ${DPO_ONLY} (see the P1 report on individual entrepreneurs)`,
  'Partner.createdAt': EVENT_TIME,
  'Contract.id': RANDOM_ID,
  'Contract.partnerId': RANDOM_ID,
  'Contract.number': `the contract's registry number; ${DPO_ONLY}`,
  'Contract.validFrom': 'first day of the contract',
  'Contract.validTo': 'last day of the contract',
  'Contract.categories': `what the contract opens: ${CATEGORY_NAMES}`,
  'Contract.purposes': 'P2 purpose codes the contract serves',
  'Contract.inForce': 'whether today is within the contract period',

  'PrivacyPolicy.version': 'public policy text and its metadata',
  'PrivacyPolicy.textHash': 'public policy text and its metadata',
  'PrivacyPolicy.textRu': 'public policy text and its metadata',
  'PrivacyPolicy.textEn': 'public policy text and its metadata',
  'PolicyContacts.address': "the Company's published contact address (P8), not a subject's",
  'PolicyContacts.addressRu': "the Company's published contact address (P8) in the Russian text, not a subject's",
  'PolicyContacts.phones': "the Company's published contact phones (P8), not a subject's",
  'StatisticCell.key': 'a client kind, client status or order status label; counts under 5 are suppressed',
  'StatisticCell.count': 'an aggregate over at least 5 records (smaller counts are null): anonymous data (P1)',

  'Mutation.logout': OWN_ACT,
  'Mutation.changePassword': OWN_ACT,
  'Mutation.reportSuspectedCompromise': OWN_ACT,
  'Mutation.revokePartnerToken': OWN_ACT,
  'Mutation.revokeAuthorityToken': OWN_ACT,
  'Mutation.revokeContractTokens': `${OWN_ACT}: ${COUNT}`,
};

/** Types whose values are personal as a whole: every field returning them must be @pii. */
export const PERSONAL_VALUE_TYPES: readonly string[] = ['Address', 'BankAccount'];
