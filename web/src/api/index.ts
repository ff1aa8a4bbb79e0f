/**
 * What the screens call. Pagination and list shapes stay here: screens get `Page`s with an opaque
 * `next` (a Relay connection's end cursor), or every node of a list they show whole, so a change of
 * list shape is an edit in this folder only.
 */
import { ApiError, request, type Auth, type Result } from './client';
import * as doc from './documents';
import type {
  ClientFilter,
  ClientSummary,
  Consent,
  ConsentState,
  Contract,
  DataExport,
  Disclosure,
  DisclosureFilter,
  ErasureReceipt,
  ErasureRequest,
  IssuedToken,
  LawfulRequest,
  LogVerification,
  OpenObligation,
  Order,
  Partner,
  PrivacyPolicy,
  Profile,
  RegisterContractInput,
  RegisterLawfulRequestInput,
  TokenRecord,
  WithdrawalRequest,
} from './types';

export { ApiError, type Redaction, type Result } from './client';
export type * from './types';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; null on the last one. */
  readonly next: string | null;
}

const DISCLOSURE_PAGE = 50;
const PROFILE_ORDERS = 20;

interface Connection<T> {
  readonly edges: Array<{ node: T }>;
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const nodes = <T>(connection: { edges: Array<{ node: T }> }): T[] => connection.edges.map((edge) => edge.node);

/** Every node of a list, page after page, for the lists a screen shows whole; pages of the list's default size. */
async function everyNode<T>(page: (after: string | null) => Promise<Connection<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let after: string | null = null; ; ) {
    const connection: Connection<T> = await page(after);
    items.push(...nodes(connection));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return items;
    after = connection.pageInfo.endCursor;
  }
}

/** A connection as a page: the next one starts after its end cursor. */
const pageOf = <T>(connection: Connection<T>): Page<T> => ({
  items: nodes(connection),
  next: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null,
});

/* The subject. */

export const subject = {
  async session(): Promise<{ id: string; name: string | null } | null> {
    try {
      const { data } = await request<{ me: { id: string; fullName: string | null; legalName: string | null } }>(doc.SESSION_ME);
      return { id: data.me.id, name: data.me.legalName ?? data.me.fullName };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return null;
      throw error;
    }
  },
  async login(login: string, password: string): Promise<void> {
    await request(doc.LOGIN, { login, password });
  },
  async logout(): Promise<void> {
    await request(doc.LOGOUT);
  },
  async changePassword(resetToken: string, newPassword: string): Promise<void> {
    await request(doc.CHANGE_PASSWORD, { resetToken, newPassword });
  },
  async reportCompromise(): Promise<void> {
    await request(doc.REPORT_COMPROMISE);
  },
  async profile(): Promise<Result<{ profile: Profile; orders: Order[]; more: boolean }>> {
    type Orders = { edges: Array<{ node: Order }>; pageInfo: { hasNextPage: boolean } };
    const { data, redactions } = await request<{ me: Profile & { ordersConnection: Orders } }>(doc.MY_PROFILE, { orders: PROFILE_ORDERS });
    const { ordersConnection, ...profile } = data.me;
    return { data: { profile, orders: nodes(ordersConnection), more: ordersConnection.pageInfo.hasNextPage }, redactions };
  },
  async consent(): Promise<ConsentState> {
    type Orders = { edges: Array<{ node: OpenObligation & { id: string } }> };
    const { data } = await request<{ me: { id: string; consents: Consent[] }; newOrders: Orders; paidOrders: Orders }>(doc.MY_CONSENT);
    const openOrders = [...nodes(data.newOrders), ...nodes(data.paidOrders)].map((o) => ({ orderId: o.id, status: o.status }));
    return { clientId: data.me.id, history: data.me.consents, openOrders };
  },
  async optOutOfMarketing(): Promise<Consent> {
    return (await request<{ optOutOfMarketing: Consent }>(doc.OPT_OUT_OF_MARKETING)).data.optOutOfMarketing;
  },
  async requestWithdrawal(notice: string, requestedDate: string | null): Promise<WithdrawalRequest> {
    return (await request<{ requestConsentWithdrawal: WithdrawalRequest }>(doc.REQUEST_WITHDRAWAL, { notice, requestedDate })).data.requestConsentWithdrawal;
  },
  async cancelWithdrawal(): Promise<Consent> {
    return (await request<{ cancelConsentWithdrawal: Consent }>(doc.CANCEL_WITHDRAWAL)).data.cancelConsentWithdrawal;
  },
  async disclosures(next: string | null = null): Promise<Page<Disclosure>> {
    const { data } = await request<{ myDisclosures: Connection<Disclosure> }>(doc.MY_DISCLOSURES, { first: DISCLOSURE_PAGE, after: next });
    return pageOf(data.myDisclosures);
  },
  async exportData(): Promise<Result<DataExport>> {
    const { data, redactions } = await request<{ myData: DataExport }>(doc.MY_DATA);
    return { data: data.myData, redactions };
  },
  async erasureRequests(): Promise<ErasureRequest[]> {
    return everyNode(async (after) => (await request<{ myErasureRequests: Connection<ErasureRequest> }>(doc.MY_ERASURE_REQUESTS, { after })).data.myErasureRequests);
  },
  async requestErasure(): Promise<ErasureRequest> {
    return (await request<{ requestErasure: ErasureRequest }>(doc.REQUEST_ERASURE)).data.requestErasure;
  },
};

export async function privacyPolicy(): Promise<PrivacyPolicy> {
  return (await request<{ privacyPolicy: PrivacyPolicy }>(doc.PRIVACY_POLICY)).data.privacyPolicy;
}

/* The privacy officer: every call carries its token. */

export function dpo(token: string) {
  const auth: Auth = { kind: 'bearer', token };
  const call = <T>(document: string, variables: Record<string, unknown> = {}) => request<T>(document, variables, auth).then((r) => r.data);
  return {
    async check(): Promise<void> {
      await call(doc.DPO_CHECK);
    },
    async pendingErasures(): Promise<ErasureRequest[]> {
      return everyNode(async (after) => (await call<{ erasureRequests: Connection<ErasureRequest> }>(doc.ERASURE_REQUESTS, { status: 'PENDING', after })).erasureRequests);
    },
    async client(id: string): Promise<ClientSummary | null> {
      return (await call<{ client: ClientSummary | null }>(doc.CLIENT_SUMMARY, { id })).client;
    },
    async erase(clientId: string, basis: string, reference: string | null): Promise<ErasureReceipt> {
      return (await call<{ eraseClient: ErasureReceipt }>(doc.ERASE_CLIENT, { clientId, basis, reference })).eraseClient;
    },
    async receipts(clientId: string | null): Promise<ErasureReceipt[]> {
      return everyNode(async (after) => (await call<{ erasureReceipts: Connection<ErasureReceipt> }>(doc.ERASURE_RECEIPTS, { clientId, after })).erasureReceipts);
    },
    async lawfulRequests(): Promise<LawfulRequest[]> {
      return everyNode(async (after) => (await call<{ lawfulRequests: Connection<LawfulRequest> }>(doc.LAWFUL_REQUESTS, { after })).lawfulRequests);
    },
    async registerLawfulRequest(input: RegisterLawfulRequestInput): Promise<LawfulRequest> {
      return (await call<{ registerLawfulRequest: LawfulRequest }>(doc.REGISTER_LAWFUL_REQUEST, { input })).registerLawfulRequest;
    },
    async withdrawLawfulRequest(requestId: string): Promise<LawfulRequest> {
      return (await call<{ withdrawLawfulRequest: LawfulRequest }>(doc.WITHDRAW_LAWFUL_REQUEST, { requestId })).withdrawLawfulRequest;
    },
    async issueAuthorityToken(requestId: string, ttl: number): Promise<IssuedToken> {
      return (await call<{ issueAuthorityToken: IssuedToken }>(doc.ISSUE_AUTHORITY_TOKEN, { requestId, ttl })).issueAuthorityToken;
    },
    async authorityTokens(requestId: string): Promise<TokenRecord[]> {
      return everyNode(async (after) => (await call<{ authorityTokens: Connection<TokenRecord> }>(doc.AUTHORITY_TOKENS, { requestId, after })).authorityTokens);
    },
    async revokeAuthorityToken(tokenId: string): Promise<void> {
      await call(doc.REVOKE_AUTHORITY_TOKEN, { tokenId });
    },
    async partners(): Promise<Partner[]> {
      return everyNode(async (after) => (await call<{ partners: Connection<Partner> }>(doc.PARTNERS, { after })).partners);
    },
    async registerPartner(name: string, bin: string): Promise<void> {
      await call(doc.REGISTER_PARTNER, { input: { name, bin } });
    },
    async registerContract(input: RegisterContractInput): Promise<Contract> {
      return (await call<{ registerContract: Contract }>(doc.REGISTER_CONTRACT, { input })).registerContract;
    },
    async endContract(contractId: string): Promise<Contract> {
      return (await call<{ endContract: Contract }>(doc.END_CONTRACT, { contractId })).endContract;
    },
    async issuePartnerToken(contractId: string, scopes: string[], ttl: number): Promise<IssuedToken> {
      return (await call<{ issuePartnerToken: IssuedToken }>(doc.ISSUE_PARTNER_TOKEN, { contractId, scopes, ttl })).issuePartnerToken;
    },
    async partnerTokens(contractId: string): Promise<TokenRecord[]> {
      return everyNode(async (after) => (await call<{ partnerTokens: Connection<TokenRecord> }>(doc.PARTNER_TOKENS, { contractId, after })).partnerTokens);
    },
    async revokePartnerToken(tokenId: string): Promise<void> {
      await call(doc.REVOKE_PARTNER_TOKEN, { tokenId });
    },
    async revokeContractTokens(contractId: string): Promise<number> {
      return (await call<{ revokeContractTokens: number }>(doc.REVOKE_CONTRACT_TOKENS, { contractId })).revokeContractTokens;
    },
    async disclosures(filter: DisclosureFilter, next: string | null = null): Promise<Page<Disclosure>> {
      const variables = { ...filter, first: DISCLOSURE_PAGE, after: next };
      return pageOf((await call<{ disclosures: Connection<Disclosure> }>(doc.DISCLOSURES, variables)).disclosures);
    },
    /** `expectHeads`: heads kept from an earlier check, or the printed output of `npm run audit:verify` (its `head …` lines). */
    async verifyLog(expectHeads: string): Promise<LogVerification> {
      // Printed output: only its `head …` lines. Anything else: every line is a head, and a malformed one is refused, not skipped.
      const lines = expectHeads.split('\n').map((line) => line.trim()).filter((line) => line);
      const printed = lines.filter((line) => line.startsWith('head '));
      const heads = (printed.length > 0 ? printed.map((line) => line.slice('head '.length)) : lines).map((line) => line.split(/\s/)[0]!);
      return (await call<{ verifyDisclosureLog: LogVerification }>(doc.VERIFY_DISCLOSURE_LOG, { expectHeads: heads })).verifyDisclosureLog;
    },
    async findClients(filter: ClientFilter): Promise<{ total: number; clients: ClientSummary[] }> {
      type Found = { clients: { totalCount: number; edges: Array<{ node: ClientSummary }> } };
      const { clients } = await call<Found>(doc.FIND_CLIENTS, { filter });
      return { total: clients.totalCount, clients: nodes(clients) };
    },
    async clientData(clientId: string): Promise<Result<DataExport>> {
      const { data, redactions } = await request<{ clientData: DataExport }>(doc.CLIENT_DATA, { clientId }, auth);
      return { data: data.clientData, redactions };
    },
  };
}

export type DpoApi = ReturnType<typeof dpo>;
