/**
 * Ending a disclosure before its time (P5): the DPO lists the tokens of a contract or a lawful
 * request (never the tokens themselves), revokes every token of a contract at once, ends a contract
 * early and withdraws a lawful request early; each takes effect on the recipient's next request,
 * and on a request already under way, whose values are withheld if its grant ended meanwhile.
 */
import { Client as PgClient } from 'pg';
import { kazakhstanDate } from '../../src/partners/contract-period';
import { createCanaryClient, type Canary } from '../support/canaries';
import { codes } from '../support/server';
import { assignOrder, dpoToken, gqlOk, holdChain, issuePartnerToken, logRows, partnerChain, registerPartnerWithContract, releaseChain, requestIdOf, untilWaiting } from '../support/disclosure';
import { useWorld } from '../support/world';

const CLIENT = `query($id: ID!) { client(id: $id) { id phones } }`;
const PARTNER_TOKENS = `query($c: ID!) { partnerTokens(contractId: $c) { edges { node { tokenId categories issuedAt expiresAt revokedAt live } } } }`;
const AUTHORITY_TOKENS = `query($r: ID!) { authorityTokens(requestId: $r) { edges { node { tokenId categories issuedAt expiresAt revokedAt live } } } }`;
const nodes = (connection: { edges: Array<{ node: any }> }) => connection.edges.map((edge) => edge.node);

const world = useWorld();
let dpo: string;
let canary: Canary;

beforeAll(async () => {
  dpo = await dpoToken(world);
  canary = await createCanaryClient(world.em(), 'ACTIVE');
});


/** A partner serving one client of its own, with two tokens of its contract. */
async function servedPartner(): Promise<{ partnerId: string; contractId: string; client: Canary; tokens: Array<{ token: string; tokenId: string }> }> {
  const partner = await registerPartnerWithContract(world, dpo, ['PHONE', 'ORDER_CONTACT']);
  const client = await createCanaryClient(world.em(), 'ACTIVE');
  await assignOrder(world.em(), client, partner.partnerId);
  const tokens = [
    await issuePartnerToken(world, dpo, partner.contractId, ['PHONE']),
    await issuePartnerToken(world, dpo, partner.contractId, ['PHONE', 'ORDER_CONTACT']),
  ];
  return { partnerId: partner.partnerId, contractId: partner.contractId, client, tokens };
}

const phonesSeen = async (token: string, client: Canary): Promise<unknown> => (await world.gql(CLIENT, { id: client.client.id }, token)).body.data?.client?.phones;

async function registerRequest(subjectIds: string[]): Promise<string> {
  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Police department', documentNumber: `PD-${Date.now()}`, documentDate: '2026-11-01', legalBasis: 'Criminal procedure code',
      subjectIds, categories: ['PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  return registerLawfulRequest.id;
}

const issueAuthority = async (requestId: string): Promise<{ token: string; tokenId: string }> =>
  (await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token tokenId } }`, { r: requestId }, dpo)).issueAuthorityToken;

describe("a contract's tokens (P5.1)", () => {
  it('partnerTokens lists every token of the contract with its scope, times and state, and never the token itself', async () => {
    const { contractId, tokens } = await servedPartner();
    const response = await world.gql(PARTNER_TOKENS, { c: contractId }, dpo);
    expect(response.body.errors).toBeUndefined();
    const listed = nodes(response.body.data!.partnerTokens);
    expect(listed.map((t: any) => t.tokenId).sort()).toEqual(tokens.map((t) => t.tokenId).sort());
    expect(listed.find((t: any) => t.tokenId === tokens[1]!.tokenId)).toMatchObject({ categories: ['PHONE', 'ORDER_CONTACT'], revokedAt: null, live: true });
    expect(Date.parse(listed[0].expiresAt)).toBeGreaterThan(Date.parse(listed[0].issuedAt));
    for (const { token } of tokens) expect(JSON.stringify(response.body)).not.toContain(token);
  });

  it('revokeContractTokens revokes every token of the contract at once: each is UNAUTHENTICATED on its next request, and no entry is written', async () => {
    const { contractId, client, tokens } = await servedPartner();
    const other = await servedPartner();
    for (const { token } of tokens) expect(await phonesSeen(token, client)).toEqual(client.client.phones);
    expect(await gqlOk(world, `mutation($c: ID!) { revokeContractTokens(contractId: $c) }`, { c: contractId }, dpo)).toEqual({ revokeContractTokens: 2 });
    for (const { token } of tokens) {
      const response = await world.gql(CLIENT, { id: client.client.id }, token);
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
    }
    const { partnerTokens } = await gqlOk(world, PARTNER_TOKENS, { c: contractId }, dpo);
    expect(nodes(partnerTokens).every((t: any) => t.revokedAt !== null && t.live === false)).toBe(true);
    // Another contract's tokens are untouched, and revoking again revokes nothing more.
    expect(await phonesSeen(other.tokens[0]!.token, other.client)).toEqual(other.client.client.phones);
    expect(await gqlOk(world, `mutation($c: ID!) { revokeContractTokens(contractId: $c) }`, { c: contractId }, dpo)).toEqual({ revokeContractTokens: 0 });
  });

  it('endContract takes the contract out of force from today: its tokens are refused, no new token is issued, and it stays ended', async () => {
    const { contractId, client, tokens } = await servedPartner();
    expect(await phonesSeen(tokens[0]!.token, client)).toEqual(client.client.phones);
    const ENDED = `mutation($c: ID!) { endContract(contractId: $c) { id validTo inForce } }`;
    const { endContract } = await gqlOk(world, ENDED, { c: contractId }, dpo);
    expect(endContract).toEqual({ id: contractId, validTo: kazakhstanDate(new Date(Date.now() - 24 * 3600_000)), inForce: false });
    for (const { token } of tokens) expect(codes(await world.gql(CLIENT, { id: client.client.id }, token))).toEqual(['UNAUTHENTICATED']);
    const reissue = await world.gql(`mutation($c: ID!) { issuePartnerToken(contractId: $c, scopes: [PHONE]) { token } }`, { c: contractId }, dpo);
    expect(reissue.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CONTRACT_NOT_IN_FORCE' });
    expect((await gqlOk(world, ENDED, { c: contractId }, dpo)).endContract).toEqual(endContract);
  });

  it('a contract that had already ended keeps its end when endContract is called', async () => {
    const lapsed = await registerPartnerWithContract(world, dpo, ['PHONE'], { validFrom: '2020-01-01', validTo: '2020-12-31' });
    const { endContract } = await gqlOk(world, `mutation($c: ID!) { endContract(contractId: $c) { validTo inForce } }`, { c: lapsed.contractId }, dpo);
    expect(endContract).toEqual({ validTo: '2020-12-31', inForce: false });
  });
});

describe("a lawful request's tokens (P5.2)", () => {
  it('authorityTokens lists the tokens of the request, and withdrawLawfulRequest ends the request and every token now', async () => {
    const requestId = await registerRequest([canary.client.id]);
    const tokens = [await issueAuthority(requestId), await issueAuthority(requestId)];
    const listed = nodes((await gqlOk(world, AUTHORITY_TOKENS, { r: requestId }, dpo)).authorityTokens);
    expect(listed.map((t: any) => t.tokenId).sort()).toEqual(tokens.map((t) => t.tokenId).sort());
    expect(listed.every((t: any) => t.live && t.revokedAt === null && t.categories.join() === 'PHONE')).toBe(true);
    for (const { token } of tokens) expect(JSON.stringify(listed)).not.toContain(token);
    expect(await phonesSeen(tokens[0]!.token, canary)).toEqual(canary.client.phones);

    const before = Date.now();
    const { withdrawLawfulRequest } = await gqlOk(world, `mutation($r: ID!) { withdrawLawfulRequest(requestId: $r) { id expiresAt } }`, { r: requestId }, dpo);
    expect(Date.parse(withdrawLawfulRequest.expiresAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(withdrawLawfulRequest.expiresAt)).toBeGreaterThanOrEqual(before - 1000);
    for (const { token } of tokens) {
      const response = await world.gql(CLIENT, { id: canary.client.id }, token);
      expect(codes(response)).toEqual(['UNAUTHENTICATED']);
      expect(JSON.stringify(response.body)).not.toContain(canary.client.phones[0]!);
      expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
    }
    expect(nodes((await gqlOk(world, AUTHORITY_TOKENS, { r: requestId }, dpo)).authorityTokens).every((t: any) => !t.live && t.revokedAt)).toBe(true);
    const reissue = await world.gql(`mutation($r: ID!) { issueAuthorityToken(requestId: $r) { token } }`, { r: requestId }, dpo);
    expect(reissue.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'REQUEST_EXPIRED' });
  });

  it('withdrawing a request leaves the other requests and their tokens in force', async () => {
    const kept = await registerRequest([canary.client.id]);
    const keptToken = await issueAuthority(kept);
    const withdrawn = await registerRequest([canary.client.id]);
    await gqlOk(world, `mutation($r: ID!) { withdrawLawfulRequest(requestId: $r) { id } }`, { r: withdrawn }, dpo);
    expect(await phonesSeen(keptToken.token, canary)).toEqual(canary.client.phones);
  });
});

describe('who may list and end', () => {
  it('only the DPO: operators, partners and authorities are FORBIDDEN, unknown ids NOT_FOUND, malformed ids BAD_USER_INPUT', async () => {
    const { contractId, client, tokens } = await servedPartner();
    const requestId = await registerRequest([canary.client.id]);
    const authority = await issueAuthority(requestId);
    const operator = world.tokens.operator;
    const operations: Array<[string, Record<string, string>]> = [
      [PARTNER_TOKENS, { c: contractId }],
      [`mutation($c: ID!) { revokeContractTokens(contractId: $c) }`, { c: contractId }],
      [`mutation($c: ID!) { endContract(contractId: $c) { id } }`, { c: contractId }],
      [AUTHORITY_TOKENS, { r: requestId }],
      [`mutation($r: ID!) { withdrawLawfulRequest(requestId: $r) { id } }`, { r: requestId }],
    ];
    for (const [query, variables] of operations) {
      for (const caller of [operator, tokens[0]!.token, authority.token]) expect(codes(await world.gql(query, variables, caller))).toEqual(['FORBIDDEN']);
      const unknown = Object.fromEntries(Object.keys(variables).map((k) => [k, '00000000-0000-4000-8000-000000000000']));
      expect(codes(await world.gql(query, unknown, dpo))).toEqual(['NOT_FOUND']);
      const malformed = Object.fromEntries(Object.keys(variables).map((k) => [k, 'not-an-id']));
      expect(codes(await world.gql(query, malformed, dpo))).toEqual(['BAD_USER_INPUT']);
    }
    // Nothing was ended by the refused calls.
    expect(await phonesSeen(tokens[0]!.token, client)).toEqual(client.client.phones);
    expect(await phonesSeen(authority.token, canary)).toEqual(canary.client.phones);
  });
});

describe('a revocation reaches a request already under way', () => {
  it('revoked while its log entry waits: the response carries no value, UNAUTHENTICATED, and no entry is written', async () => {
    const { partnerId, client, tokens } = await servedPartner();
    const holder = new PgClient({ connectionString: world.db.url });
    await holder.connect();
    try {
      await holdChain(holder, partnerChain(partnerId));
      const inFlight = world.gql(CLIENT, { id: client.client.id }, tokens[0]!.token);
      // The request has resolved its values and waits for its chain.
      await untilWaiting(holder, partnerChain(partnerId));
      expect(await gqlOk(world, `mutation($t: ID!) { revokePartnerToken(tokenId: $t) }`, { t: tokens[0]!.tokenId }, dpo)).toEqual({ revokePartnerToken: true });
      await releaseChain(holder, partnerChain(partnerId));
      const response = await inFlight;
      expect(response.status).toBe(401);
      expect({ codes: codes(response), data: response.body.data }).toEqual({ codes: ['UNAUTHENTICATED'], data: null });
      expect(JSON.stringify(response.body)).not.toContain(client.client.phones[0]);
      expect(await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).toEqual([]);
    } finally {
      await holder.end();
    }
    // The contract's other token, not revoked, is still served and logged.
    expect(await phonesSeen(tokens[1]!.token, client)).toEqual(client.client.phones);
  });
});

