/**
 * Traffic full of canary values, for the observability tests (metrics labels, trace attributes):
 * stored canaries served, masked and hidden to every kind of caller, and canaries in everything a
 * caller chooses (operation names, aliases, variables, literals, headers, the URL).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import type { TokenClaims } from '../../src/auth/tokens';
import { ClientKind } from '../../src/clients/client.entity';
import { assignOrder, issuePartnerToken, registerPartnerWithContract } from './disclosure';
import { createCanaryClient, type Canary } from './canaries';
import type { GraphQLResponse, TestServer } from './server';

export interface TrafficTarget {
  /** The server's /graphql URL. */
  readonly url: string;
  em(): EntityManager;
  token(claims: TokenClaims): Promise<string>;
}

export interface Traffic {
  /** Every value that must not show: stored personal values, caller-chosen text, bearer tokens. */
  readonly canaries: string[];
  /** The caller-chosen operation names used, all canaries too. */
  readonly operationNames: string[];
  /** Error codes the traffic met, to show the failing paths ran. */
  readonly codes: Set<string>;
  readonly canaryClients: Canary[];
}

const CLIENT_FIELDS = `id surname firstName patronymic fullName iin bin legalName headFullName vatCertificate login phones emails
  bankAccounts { iban bankName bic } registrationAddress { city street building } residenceAddress { city street postalCode }
  orders { id contactPhone contactEmail deliveryAddress { street } items { name } }`;

/** A letters-only tag: no digit run a log scrubber would cut, so it shows wherever it leaks. */
const letterTag = () => Array.from(randomBytes(10), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('');

export async function driveCanaryTraffic(target: TrafficTarget): Promise<Traffic> {
  const tag = letterTag();
  const chosen = {
    operationName: `Zop${tag}`,
    partnerOperation: `Zpartnerop${tag}`,
    alias: `zalias${tag}`,
    variable: `Zvar${tag}`,
    literal: `Zlit${tag}`,
    unknownField: `zfield${tag}`,
    userAgent: `Zagent${tag}`,
    path: `zpath${tag}`,
  };
  const codes = new Set<string>();
  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string | null, headers: Record<string, string> = {}): Promise<GraphQLResponse> => {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': chosen.userAgent, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse['body'];
    for (const error of body.errors ?? []) codes.add(String(error.extensions?.code));
    return { status: response.status, headers: response.headers, body };
  };
  const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
    const response = await gql(query, variables, token);
    if (response.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors)}`);
    return response.body.data as Record<string, any>;
  };

  const canaryClients = [
    await createCanaryClient(target.em(), 'ACTIVE'),
    await createCanaryClient(target.em(), 'WITHDRAWN'),
    await createCanaryClient(target.em(), 'ERASED'),
    await createCanaryClient(target.em(), 'ACTIVE', ClientKind.ENTITY),
  ];
  const [active] = canaryClients;
  const operator = await target.token({ sub: 'operator-1', role: 'operator' });
  const dpo = await target.token({ sub: 'dpo-1', role: 'dpo' });
  const client = await target.token({ sub: active!.client.id, role: 'client' });

  // Staff see every state: masked (ROLE), hidden for want of consent (CONSENT), erased (ERASED).
  const listed = await ok(`query ${chosen.operationName} { ${chosen.alias}: clients(first: 50) { edges { node { ${CLIENT_FIELDS} } } } }`, {}, operator);
  if (JSON.stringify(listed).length < 1000) throw new Error('the operator list served nothing');
  await ok(`query ${chosen.operationName}($s: String) { clients(first: 10, filter: { surname: $s }) { totalCount } }`, { s: active!.client.surname }, operator);
  await ok(`query($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`, { id: active!.client.id }, dpo);

  // A partner serving an order: a disclosure logged (P5).
  const server = { gql } as unknown as TestServer;
  const partner = await registerPartnerWithContract(server, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  await assignOrder(target.em(), active!, partner.partnerId);
  const { token: partnerToken } = await issuePartnerToken(server, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
  const served = await ok(`query ${chosen.partnerOperation} { partnerOrders(first: 10) { edges { node { id contactPhone client { fullName phones emails } } } } }`, {}, partnerToken);
  if (!JSON.stringify(served).includes(active!.order.contactPhone!)) throw new Error('the partner was served nothing');

  // The subject: its profile and its access export (a disclosure to the subject).
  await ok(`{ me { ${CLIENT_FIELDS} } }`, {}, client);
  await ok('{ myData { client { surname phones iin } disclosures { recipientKind } } }', {}, client);

  // Refusals quoting what was sent: coercion, validation, syntax, shield, a bad token.
  await gql(`query ${chosen.operationName}($n: Int!) { clients(first: $n) { totalCount } }`, { n: chosen.variable }, operator);
  await gql('mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { id } }', { i: { phones: [chosen.variable] } }, client);
  await gql(`{ clients(filter: { surname: "${chosen.literal}" }) { totalCount } }`, {}, operator);
  await gql(`{ ${chosen.unknownField} }`, {}, operator);
  await gql(`{ me { id "${chosen.literal}" } }`, {}, client);
  await gql(`query ${chosen.operationName} { clients(first: 1) { totalCount } }`, {}, client);
  await gql('{ me { id } }', {}, `${client.slice(0, -4)}AAAA`);
  await gql('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: active!.client.login, p: chosen.variable });

  // A GET with everything in the URL, and a path below /graphql.
  const search = new URLSearchParams({ query: `query ${chosen.operationName}($s: String) { clients(first: 1, filter: { surname: $s }) { totalCount } }`, variables: JSON.stringify({ s: active!.client.surname }) });
  await fetch(`${target.url}?${search}`, { headers: { authorization: `Bearer ${operator}`, 'apollo-require-preflight': 'true', 'user-agent': chosen.userAgent } });
  await fetch(`${target.url}/${chosen.path}`, { headers: { 'user-agent': chosen.userAgent } });

  return {
    canaries: [...canaryClients.flatMap((c) => [...c.values, ...c.itemNames]), ...Object.values(chosen), operator, dpo, client, partnerToken],
    operationNames: [chosen.operationName, chosen.partnerOperation],
    codes,
    canaryClients,
  };
}
