/**
 * Every root operation of OPERATION_ACCESS, called over HTTP by every role. An allowed call may
 * still fail on its dummy arguments (BAD_USER_INPUT, NOT_FOUND, ...), but never with the shield's
 * FORBIDDEN/UNAUTHENTICATED; a refused call gets exactly that code.
 */
import {
  getNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  graphql,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { randomUUID } from 'node:crypto';
import { OPERATION_ACCESS, type OperationAccess } from '../../src/auth/operation-access';
import { applyShield } from '../../src/auth/shield';
import { authorityRecipients } from '../../src/disclosure/recipients/authority';
import { buildDeclaredSchema } from '../../src/graphql/schema';
import { partnerRecipients } from '../../src/disclosure/recipients/partner';
import { codes, TEST_PASSWORD_HASHING } from '../support/server';
import { useWorld } from '../support/world';
import { REGISTER, registration } from '../support/fixtures';

const ROLES = ['anonymous', 'client', 'operator', 'dpo', 'partner', 'authority', 'analyst'] as const;
type Caller = (typeof ROLES)[number];
const SHIELD_CODES = ['FORBIDDEN', 'UNAUTHENTICATED'];

interface RegisteredClient {
  id: string;
  token: string;
}

// These change the calling client's own account (tokens, consent, erasure): each gets a client of its own.
const ACCOUNT_CHANGING = ['logout', 'reportSuspectedCompromise', 'optOutOfMarketing', 'requestConsentWithdrawal', 'cancelConsentWithdrawal', 'requestErasure'];

// Some 300 requests from one address: the rate limits are another test's subject.
const world = useWorld({ env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' }, seed: { count: 5, seed: 3, passwordHashing: TEST_PASSWORD_HASHING } });
let schema: GraphQLSchema;
const tokens = {} as Record<Exclude<Caller, 'anonymous' | 'client'>, string>;
const clients = new Map<string, RegisteredClient>();

beforeAll(async () => {
  schema = await buildDeclaredSchema();
  Object.assign(tokens, world.tokens);
  const em = world.em();
  tokens.partner = (await partnerRecipients.issueToken(em, world.config.jwt, { grantId: world.seeded.contractIds[0]!, scopes: ['PHONE'], ttl: 600, issuedBy: 'dpo-1' })).token;
  tokens.authority = (await authorityRecipients.issueToken(em, world.config.jwt, { grantId: world.seeded.lawfulRequestId!, ttl: 600, issuedBy: 'dpo-1' })).token;
  // The server hashes one password at a time (PASSWORD_HASH_CONCURRENCY): registering all at once
  // would only queue them, the last ones past their deadline on a busy machine. One after another.
  for (const owner of ['shared', ...ACCOUNT_CHANGING]) clients.set(owner, await register());
}, 120_000);

async function register(): Promise<RegisteredClient> {
  // The fixture's values are random: a rare clash with another registration gets a second draw.
  for (let attempt = 0; attempt < 3; attempt++) {
    const response = await world.gql(REGISTER, { input: registration() });
    if (response.body.data?.registerClient) return { id: response.body.data.registerClient.clientId, token: response.body.data.registerClient.token };
    if (!codes(response).includes('CONFLICT')) throw new Error(`registration failed: ${codes(response).join()}`);
  }
  throw new Error('registration kept clashing');
}

/** The smallest value of a type: only required input fields, empty lists, the first enum value. */
function dummy(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return dummy(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, dummy(f.type)]));
  }
  if (isScalarType(type)) {
    const byName: Record<string, unknown> = { ID: randomUUID(), String: 'x', Int: 1, Float: 1, Boolean: false };
    return type.name in byName ? byName[type.name] : new Date().toISOString();
  }
  throw new Error(`no dummy for ${String(type)}`);
}

interface Call {
  query: string;
  variables: Record<string, unknown>;
}

function callOf(kind: 'Query' | 'Mutation', field: string, overrides: Record<string, unknown>): Call {
  const definition = (kind === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[field];
  if (!definition) throw new Error(`${kind}.${field} is in OPERATION_ACCESS but not in the schema`);
  // Optional arguments are left out, so a call means what the bare operation means for its caller.
  const args = definition.args.filter((a: GraphQLArgument) => isNonNullType(a.type) || a.name in overrides);
  const variables = Object.fromEntries(args.map((a) => [a.name, a.name in overrides ? overrides[a.name] : dummy(a.type)]));
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = getNamedType(definition.type) instanceof GraphQLObjectType ? '{ __typename }' : '';
  const op = kind === 'Query' ? 'query' : 'mutation';
  return { query: `${op}${declared ? `(${declared})` : ''} { ${field}${passed ? `(${passed})` : ''} ${selection} }`, variables };
}

function allowed(access: OperationAccess, caller: Caller): boolean {
  if (access === 'public') return true;
  if (caller === 'anonymous') return false;
  return access.includes(caller) || (caller === 'client' && access.includes('client:self'));
}

const cases = (Object.entries(OPERATION_ACCESS) as Array<['Query' | 'Mutation', Record<string, OperationAccess>]>).flatMap(([kind, fields]) =>
  Object.entries(fields).map(([field, access]) => [`${kind}.${field}`, kind, field, access] as const),
);

describe('every root operation, by every role (OPERATION_ACCESS over HTTP)', () => {
  it.each(cases)('%s', async (_name, kind, field, access) => {
    const outcomes: string[] = [];
    for (const caller of ROLES) {
      const client = caller === 'client' ? clients.get(field) ?? clients.get('shared')! : null;
      const overrides: Record<string, unknown> = {
        // client:self means the caller's own id; a wrong one is the rule's business, tested elsewhere.
        ...(client && typeof access !== 'string' && access.includes('client:self') ? { id: client.id } : {}),
        // Refused on its length before any password hashing: quick, and not the shield's code.
        ...(field === 'login' ? { login: 'x'.repeat(65) } : {}),
      };
      const { query, variables } = callOf(kind, field, overrides);
      const token = caller === 'anonymous' ? null : caller === 'client' ? client!.token : tokens[caller];
      const response = await world.gql(query, variables, token);
      const got = codes(response);
      if (allowed(access, caller)) {
        outcomes.push(`${caller}: ${got.some((c) => SHIELD_CODES.includes(c)) ? `refused ${got.join()}` : 'allowed'}`);
      } else {
        const expected = caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        outcomes.push(`${caller}: ${got.length === 1 && got[0] === expected && response.body.data?.[field] == null ? 'refused' : `not refused ${got.join()}`}`);
      }
    }
    expect(outcomes).toEqual(ROLES.map((caller) => `${caller}: ${allowed(access, caller) ? 'allowed' : 'refused'}`));
  });
});

describe('the shield denies by default', () => {
  const dpo = { role: 'dpo', sub: 'dpo-1', clientId: null, scopes: new Set(), partnerId: null, contractId: null, tokenId: null, lawfulRequestId: null };

  it('a root field missing from OPERATION_ACCESS is FORBIDDEN even for the DPO, while a listed public field is served', async () => {
    // The API's schema plus one root field nobody listed, under the same shield the API uses.
    const config = schema.toConfig();
    const query = schema.getQueryType()!.toConfig();
    const probe = new GraphQLSchema({
      ...config,
      types: config.types.filter((t) => t.name !== 'Query'),
      query: new GraphQLObjectType({ ...query, fields: { ...query.fields, unlistedField: { type: GraphQLString, resolve: () => 'never served' } } }),
    });
    const shielded = applyShield(probe);
    const listed = await graphql({ schema: shielded, source: '{ privacyPolicy { version } }', contextValue: { principal: null } });
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.privacyPolicy).toEqual({ version: expect.any(String) });
    const unlisted = await graphql({ schema: shielded, source: '{ unlistedField }', contextValue: { principal: dpo } });
    expect(unlisted.data?.unlistedField ?? null).toBeNull();
    expect(unlisted.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});
