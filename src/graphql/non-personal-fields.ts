/**
 * Every textual field (String, ID, custom string scalars such as dates) that a caller can reach
 * from Query or Mutation and that is NOT personal data, each with the reason. A test walks the
 * whole schema and fails for any such field that is neither here nor @pii, so a new field cannot
 * ship unclassified. Fields of PERSONAL_VALUE_TYPES need no entry: their @pii parent guards them whole.
 */
const RANDOM_ID = 'random UUID; links records, identifies no one outside the system';
const EVENT_TIME = 'when a record was made or changes; says nothing about who the person is';
/** Cursors hold the sort key of a row (see client-listing.ts). */
const CURSOR =
  'opaque; holds the sort key of its row: a creation time, or with the surname sort the surname, so it is handed only to callers allowed to sort by surname (roleSeesInFull, consent-restricted)';
const CONSENT_HISTORY = 'part of the consent history, which reaches only the subject, the DPO and consent-based staff while consent is in force (decideRelation)';
const DISCLOSURE_LOG = 'disclosure log entry (P5): read only by the DPO and by the subject it concerns (its right to know who received its data)';
const EXPORT_ONLY = 'only in the access export (the subject and the DPO)';
const DPO_ONLY = 'registry of the DPO: reached only through DPO-only operations';

export const NON_PERSONAL_FIELDS: Readonly<Record<string, string>> = {
  'Client.id': RANDOM_ID,
  'Client.createdAt': EVENT_TIME,
  'Client.updatedAt': EVENT_TIME,
  'ClientEdge.cursor': CURSOR,
  'OrderEdge.cursor': 'opaque; holds the creation time and id of its order',
  'PageInfo.endCursor': 'the cursor of the last edge of the page (see ClientEdge.cursor, OrderEdge.cursor)',

  'Order.id': RANDOM_ID,
  'Order.amount': 'an amount; anonymous without the contact data (P1)',
  'Order.currency': 'always KZT',
  'Order.createdAt': EVENT_TIME,
  'Order.completedAt': EVENT_TIME,
  'OrderItem.name':
    'what was bought, kept with a depersonalised order for accounting (P4); free text the client types, so it must not be used for contact data (see the P1 report)',
  'OpenObligation.orderId': RANDOM_ID,

  'Consent.id': RANDOM_ID,
  'Consent.policyVersion': 'the published policy version the consent refers to',
  'Consent.policyTextHash': 'SHA-256 of the published policy text',
  'Consent.actor': 'SUBJECT, OPERATOR, DPO or SYSTEM: a role, not a person',
  'Consent.actorId': `a staff account id, not the client's data; ${CONSENT_HISTORY}`,
  'Consent.givenAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.recordedAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.withdrawalNoticeAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.withdrawalEffectiveAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.expiresAt': `${EVENT_TIME}; ${CONSENT_HISTORY}`,
  'Consent.noticeSha256': 'a digest of the written notice; the text, which may hold personal data, is never kept',
  ...Object.fromEntries(
    ['id', 'policyVersion', 'policyTextHash', 'actor', 'actorId', 'givenAt', 'recordedAt', 'withdrawalNoticeAt', 'withdrawalEffectiveAt', 'expiresAt', 'noticeSha256'].map(
      (field) => [`ExportedConsent.${field}`, `as Consent.${field}, in the access export (the subject and the DPO only)`],
    ),
  ),
  'ConsentEvidence.userAgent': `proof of the subject's own consent act; a user agent can narrow down a device, so ${EXPORT_ONLY}`,
  'ConsentEvidence.ipPrefix': `proof of the subject's own consent act, cut to the network (/24, /48), never the address; ${EXPORT_ONLY}`,
  'WithdrawalRequest.effectiveDate': 'the day the caller\'s own withdrawal takes effect, answered only to the subject or the staff recording it',
  'WithdrawalRequest.effectiveAt': 'the instant the caller\'s own withdrawal takes effect, answered only to the subject or the staff recording it',

  'AuthPayload.clientId': `${RANDOM_ID}; the caller's own`,
  'AuthPayload.token': "the caller's own credential; its claims hold ids and role, no personal data (P6)",
  'AuthPayload.expiresAt': EVENT_TIME,

  'ErasureRequest.id': RANDOM_ID,
  'ErasureRequest.clientId': RANDOM_ID,
  'ErasureRequest.receiptId': RANDOM_ID,
  'ErasureRequest.requestedAt': EVENT_TIME,
  'ErasureReceipt.id': RANDOM_ID,
  'ErasureReceipt.clientId': `${RANDOM_ID}; the erased row holds no personal data`,
  'ErasureReceipt.reference': 'a request id or the registry number of a written request, never its content',
  'ErasureReceipt.actorRole': 'DPO or SYSTEM: a role, not a person',
  'ErasureReceipt.actorId': "the DPO's staff account id, or `jobs`",
  'ErasureReceipt.erasedAt': EVENT_TIME,
  'DataExport.generatedAt': EVENT_TIME,
  'AccountSession.createdAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountSession.expiresAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountSession.revokedAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountSecurityEvent.actorRole': 'client, operator or dpo: a role, not a person',
  'AccountSecurityEvent.at': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountPasswordReset.createdAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountPasswordReset.expiresAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,
  'AccountPasswordReset.consumedAt': `${EVENT_TIME}; ${EXPORT_ONLY}`,

  'Disclosure.id': RANDOM_ID,
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

  'LawfulRequest.id': RANDOM_ID,
  'LawfulRequest.issuingBody': `the state body that issued it; ${DPO_ONLY}`,
  'LawfulRequest.documentNumber': `the request's registry number; ${DPO_ONLY}`,
  'LawfulRequest.documentDate': 'the date of the request document',
  'LawfulRequest.legalBasis': `the law cited by the state body; ${DPO_ONLY}`,
  'LawfulRequest.subjectIds': `${RANDOM_ID}s; ${DPO_ONLY}`,
  'LawfulRequest.expiresAt': EVENT_TIME,
  'LawfulRequest.createdAt': EVENT_TIME,
  'IssuedToken.token': 'a credential shown once to the DPO who issued it; its claims hold ids, role and scopes only',
  'IssuedToken.tokenId': 'a token id (jti)',
  'IssuedToken.expiresAt': EVENT_TIME,
  'IssuedToken.scope': 'category scopes such as pii:phone',

  'Partner.id': RANDOM_ID,
  'Partner.name': `a counterparty company's name, not a client's; ${DPO_ONLY} (see the P1 report on individual entrepreneurs)`,
  'Partner.bin': `a counterparty company's BIN, not a client's; ${DPO_ONLY} (see the P1 report on individual entrepreneurs)`,
  'Partner.createdAt': EVENT_TIME,
  'Contract.id': RANDOM_ID,
  'Contract.partnerId': RANDOM_ID,
  'Contract.number': `the contract's registry number; ${DPO_ONLY}`,
  'Contract.validFrom': 'first day of the contract',
  'Contract.validTo': 'last day of the contract',

  'PrivacyPolicy.version': 'public policy text and its metadata',
  'PrivacyPolicy.textHash': 'public policy text and its metadata',
  'PrivacyPolicy.textRu': 'public policy text and its metadata',
  'PrivacyPolicy.textEn': 'public policy text and its metadata',
  'PolicyContacts.address': "the Company's published contact address (P8), not a subject's",
  'PolicyContacts.phones': "the Company's published contact phones (P8), not a subject's",
  'StatisticCell.key': 'a client kind, client status or order status label; counts under 5 are suppressed',
};

/** Types whose values are personal as a whole: every field returning them must be @pii. */
export const PERSONAL_VALUE_TYPES: readonly string[] = ['Address', 'BankAccount'];
