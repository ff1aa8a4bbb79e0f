/**
 * Who may call each root operation, as data. The shield is derived from it; any root field not
 * listed here is denied (default deny), and a test checks every root field is listed. It decides
 * only who may call; what a caller then sees of personal data is the matrix's (src/privacy/policy.ts).
 */
import type { Role } from '../privacy/roles';

/** `public`: anyone; a role list: those roles; `client:self`: a client whose id is the `id` argument. */
export type OperationAccess = 'public' | ReadonlyArray<Role | 'client:self'>;

export const OPERATION_ACCESS: Readonly<Record<'Query' | 'Mutation', Readonly<Record<string, OperationAccess>>>> = {
  Query: {
    privacyPolicy: 'public',
    me: ['client'],
    // Partners and authorities reach only the clients their contract or request covers (others read as null).
    client: ['client:self', 'operator', 'dpo', 'partner', 'authority'],
    clients: ['operator', 'dpo'],
    order: ['client', 'operator', 'dpo'],
    orders: ['client', 'operator', 'dpo'],
    statistics: ['analyst', 'operator', 'dpo'],
    // The right to know (access export): the subject, or the DPO answering a request received off-line.
    myData: ['client'],
    clientData: ['dpo'],
    erasureRequests: ['dpo'],
    partners: ['dpo'],
    partnerTokens: ['dpo'],
    partnerOrders: ['partner'],
    lawfulRequests: ['dpo'],
    authorityTokens: ['dpo'],
    authorityRequestSubjects: ['authority'],
    myDisclosures: ['client'],
    disclosures: ['dpo'],
    verifyDisclosureLog: ['dpo'],
    // The subject follows its own request (P4); the DPO reads the receipts it issued.
    myErasureRequests: ['client'],
    erasureReceipts: ['dpo'],
  },
  Mutation: {
    registerClient: 'public',
    login: 'public',
    logout: ['client'],
    reportSuspectedCompromise: ['client', 'operator', 'dpo'],
    // The reset token is the credential: the account's own tokens are revoked by then (P7).
    changePassword: 'public',
    placeOrder: ['client'],
    updateMyContacts: ['client'],
    // Consent changes (P2, P3): staff may record what a subject asked, with `clientId`; narrowing and
    // withdrawal only reduce processing, but resuming it (cancel) needs the subject or the DPO.
    optOutOfMarketing: ['client', 'operator', 'dpo'],
    requestConsentWithdrawal: ['client', 'operator', 'dpo'],
    cancelConsentWithdrawal: ['client', 'dpo'],
    requestErasure: ['client'],
    eraseClient: ['dpo'],
    registerPartner: ['dpo'],
    registerContract: ['dpo'],
    issuePartnerToken: ['dpo'],
    revokePartnerToken: ['dpo'],
    revokeContractTokens: ['dpo'],
    endContract: ['dpo'],
    registerLawfulRequest: ['dpo'],
    issueAuthorityToken: ['dpo'],
    revokeAuthorityToken: ['dpo'],
    withdrawLawfulRequest: ['dpo'],
    recordDisclosure: ['dpo'],
  },
};
