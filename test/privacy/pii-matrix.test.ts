/**
 * The policy's matrix, end to end: canary subjects in each consent state (and a legal entity),
 * queried by each audience through every path and query shape. Each personal value is its canary
 * exactly where the decision says FULL, its mask where MASKED, and null where HIDDEN;
 * `extensions.redactions` lists exactly the masked and hidden paths; no canary appears anywhere else.
 * The expectations come from src/privacy/policy.ts through decide() (the policy is the rule book),
 * except the literal mask shapes checked at the end.
 */
import fc from 'fast-check';
import { getDirective } from '@graphql-tools/utils';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { OPERATION_ACCESS } from '../../src/auth/operation-access';
import { ClientKind } from '../../src/clients/client.entity';
import { loadSubjectStates } from '../../src/subjects/subject-state';
import type { SubjectState as LoadedState } from '../../src/subjects/subject-state';
import { buildApiSchema } from '../../src/graphql/schema';
import { PII_CATEGORIES, type PiiCategory } from '../../src/privacy/categories';
import { consentCovers } from '../../src/privacy/consent-state';
import { decide, decideRelation, mayReach, RELATION_CATEGORY, roleSeesInFull, type Caller, type Decision, type Grant, type Relation, type Subject } from '../../src/privacy/decide';
import { applyMask, DEFAULT_MASK, type MaskKind } from '../../src/privacy/masking';
import type { Role } from '../../src/privacy/roles';
import { assignOrder, dpoToken, gqlOk, issuePartnerToken, registerPartnerWithContract } from '../support/disclosure';
import { codes, type GraphQLResponse } from '../support/server';
import { createCanaryClient, type Canary, type SubjectState } from '../support/canaries';
import { expectedReport, sortReport, type RedactedValue } from '../support/redactions';
import { useWorld } from '../support/world';

const VIEWERS = ['SUBJECT', 'CLIENT', 'OPERATOR', 'DPO', 'PARTNER', 'AUTHORITY', 'ANALYST'] as const;
type Viewer = (typeof VIEWERS)[number];
const SUBJECTS = ['ACTIVE', 'WITHDRAWAL_PENDING', 'NARROWED', 'WITHDRAWN', 'EXPIRED', 'ERASED', 'ENTITY'] as const;
type SubjectKey = (typeof SUBJECTS)[number];
const PATHS = ['client', 'list', 'order', 'orders', 'relations', 'partnerOrders', 'authority', 'me'] as const;
type PathName = (typeof PATHS)[number];

/** What the partner's contract and token cover; the grant is their intersection (P5.1). */
const CONTRACT: PiiCategory[] = ['FULL_NAME', 'PHONE', 'ORDER_CONTACT', 'RESIDENCE_ADDRESS', 'OFFICIAL_REQUISITES'];
const TOKEN_SCOPES: PiiCategory[] = ['FULL_NAME', 'PHONE', 'ORDER_CONTACT', 'OFFICIAL_REQUISITES'];
/** What the authority's lawful request covers (P5.2). */
const REQUEST: PiiCategory[] = ['FULL_NAME', 'PHONE', 'OFFICIAL_REQUISITES', 'BANK_ACCOUNT'];

interface PiiField {
  name: string;
  category: PiiCategory;
  mask: MaskKind;
  selection: string;
}
interface Pick {
  alias: string;
  field: PiiField;
}

const ADDRESS = '{ country region city street building apartment postalCode }';
const SUBSELECTIONS: Record<string, string> = { Address: ADDRESS, BankAccount: '{ iban bankName bic }' };

function piiFields(schema: GraphQLSchema, typeName: string): PiiField[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(typeName);
  return Object.values(type.getFields()).flatMap((field) => {
    const directive = getDirective(schema, field, 'pii')?.[0];
    if (!directive) return [];
    const category = directive.category as PiiCategory;
    const named = field.type.toString().replace(/[[\]!]/g, '');
    return [{ name: field.name, category, mask: (directive.mask as MaskKind) ?? DEFAULT_MASK[category], selection: `${field.name} ${SUBSELECTIONS[named] ?? ''}` }];
  });
}

// Hundreds of requests from one address and a few tokens: the rate limiter is not under test here.
const world = useWorld({ env: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_PRINCIPAL: '0' } });
let clientFields: PiiField[];
let orderFields: PiiField[];
const subjects = {} as Record<SubjectKey, Canary>;
/** The other client: a CLIENT viewer, and a subject the partner does not serve nor the authority's request name. */
let outsider: Canary;
const byClient = new Map<string, Canary>();
const byOrder = new Map<string, Canary>();
const states = new Map<string, LoadedState>();
const tokens = {} as Record<string, string>;
let partnerGrant: Grant;
let authorityGrant: Grant;
/** The subjects both grants name: those the partner serves, and those the authority's request lists. */
let grantedIds: ReadonlySet<string>;

async function addCanary(state: SubjectState, kind: ClientKind = ClientKind.PERSON): Promise<Canary> {
  const canary = await createCanaryClient(world.em(), state, kind);
  byClient.set(canary.client.id, canary);
  byOrder.set(canary.order.id, canary);
  return canary;
}

/** The subjects' privacy state as the server reads it (the decision's input; checked against the seed below). */
async function refreshStates(): Promise<void> {
  const loaded = await loadSubjectStates(world.em(), [...byClient.keys()]);
  for (const [id, state] of loaded) states.set(id, state);
}

beforeAll(async () => {
  const schema = await buildApiSchema();
  clientFields = piiFields(schema, 'Client');
  orderFields = piiFields(schema, 'Order');
  for (const key of SUBJECTS) subjects[key] = await addCanary(key === 'ENTITY' ? 'ACTIVE' : key, key === 'ENTITY' ? ClientKind.ENTITY : ClientKind.PERSON);
  outsider = await addCanary('ACTIVE');
  await refreshStates();

  const dpo = await dpoToken(world);
  const partner = await registerPartnerWithContract(world, dpo, CONTRACT);
  for (const key of SUBJECTS) await assignOrder(world.em(), subjects[key], partner.partnerId);
  tokens.PARTNER = (await issuePartnerToken(world, dpo, partner.contractId, TOKEN_SCOPES)).token;
  const subjectIds = SUBJECTS.map((key) => subjects[key].client.id);
  grantedIds = new Set(subjectIds);
  partnerGrant = { categories: new Set(CONTRACT.filter((c) => TOKEN_SCOPES.includes(c))), inForce: true };

  const { registerLawfulRequest } = await gqlOk(world, `mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }`, {
    input: {
      issuingBody: 'Агентство по финансовому мониторингу РК',
      documentNumber: 'AFM-2026/91',
      documentDate: '2026-11-01',
      legalBasis: 'Закон РК о ПОД/ФТ, ст. 13',
      subjectIds,
      categories: REQUEST,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    },
  }, dpo);
  ({ issueAuthorityToken: { token: tokens.AUTHORITY } } = await gqlOk(world, `mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 3600) { token } }`, { r: registerLawfulRequest.id }, dpo));
  authorityGrant = { categories: new Set(REQUEST), inForce: true };

  tokens.OPERATOR = world.tokens.operator;
  tokens.DPO = dpo;
  tokens.ANALYST = await world.token({ sub: 'an-1', role: 'analyst' });
  tokens.CLIENT = await world.token({ sub: outsider.client.id, role: 'client' });
  for (const key of SUBJECTS) tokens[`SUBJECT:${key}`] = await world.token({ sub: subjects[key].client.id, role: 'client' });
}, 60_000);

const tokenFor = (viewer: Viewer, key: SubjectKey) => (viewer === 'SUBJECT' ? tokens[`SUBJECT:${key}`]! : tokens[viewer]!);

/** The caller behind each viewer's token, as the decision sees it. */
function callerOf(viewer: Viewer, key: SubjectKey): Caller {
  if (viewer === 'SUBJECT') return { role: 'client', clientId: subjects[key].client.id, grant: null };
  if (viewer === 'CLIENT') return { role: 'client', clientId: outsider.client.id, grant: null };
  const grant = viewer === 'PARTNER' ? partnerGrant : viewer === 'AUTHORITY' ? authorityGrant : null;
  return { role: viewer.toLowerCase() as Role, clientId: null, grant };
}

function subjectOf(clientId: string): Subject {
  const state = states.get(clientId);
  if (!state) throw new Error(`no state for ${clientId}`);
  return { id: clientId, erased: state.erased, consent: state.consent, granted: grantedIds.has(clientId) };
}

const decisionFor = (caller: Caller, category: PiiCategory, clientId: string): Decision => decide(category, caller, subjectOf(clientId));

const relationFor = (caller: Caller, relation: Relation, clientId: string): Decision => decideRelation(relation, caller, subjectOf(clientId));

/** Root operations each viewer may call, read from the operation-access table. */
function mayCall(root: string, viewer: Viewer): boolean {
  const access = OPERATION_ACCESS.Query[root] ?? OPERATION_ACCESS.Mutation[root];
  if (access === 'public') return true;
  if (!access) return false;
  if (viewer === 'SUBJECT') return access.includes('client') || access.includes('client:self');
  if (viewer === 'CLIENT') return access.includes('client');
  return access.includes(viewer.toLowerCase() as Role);
}

function rawValue(source: Record<string, any>, field: string): unknown {
  if (field === 'fullName') {
    const parts = [source.surname, source.firstName, source.patronymic].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : null;
  }
  return source[field] ?? null;
}

/** Every canary of every subject. */
const secrets = () => [...byClient.values()].flatMap((c) => [...c.values, ...c.itemNames]);

/** What a mask shows on purpose: the surname of 'Иванов И. И.', and a bank's BIC (it names the bank, not the holder). */
const MASK_KEEPS: Partial<Record<MaskKind, (source: Record<string, any>) => unknown[]>> = {
  FULL_NAME: (source) => [source.surname],
  BANK_ACCOUNT: (source) => (source.bankAccounts ?? []).map((b: { bic: unknown }) => b.bic),
};

/** One response being checked: the redactions it must report and the paths where values were accounted for. */
class Check {
  readonly redactions: RedactedValue[] = [];
  private readonly accounted: string[] = [];
  constructor(
    readonly label: string,
    readonly caller: Caller,
  ) {}

  field(value: unknown, path: string, field: PiiField, source: Record<string, any>, clientId: string): void {
    const decision = decisionFor(this.caller, field.category, clientId);
    const shown = decision.access === 'MASKED' && field.mask === 'HIDE' ? 'HIDDEN' : decision.access;
    const raw = rawValue(source, field.name);
    const expected = shown === 'FULL' ? raw : shown === 'MASKED' ? applyMask(field.mask, raw, source) : null;
    expect({ at: `${this.label} ${path}`, value }).toEqual({ at: `${this.label} ${path}`, value: expected });
    if (shown === 'MASKED') {
      // Independent of the mask code: a masked value holds no canary but what its mask keeps by design.
      const kept = MASK_KEEPS[field.mask]?.(source) ?? [];
      const text = JSON.stringify(value);
      expect({ at: `${this.label} ${path}`, leaked: secrets().filter((s) => text.includes(s) && !kept.includes(s)) }).toEqual({ at: `${this.label} ${path}`, leaked: [] });
    }
    if (decision.access !== 'FULL') this.redactions.push({ path, category: field.category, access: shown, reason: decision.reason });
    this.accounted.push(path);
  }

  client(object: Record<string, any>, path: string, picks: Pick[]): void {
    const canary = byClient.get(object.id);
    expect({ at: `${this.label} ${path}`, known: canary !== undefined }).toEqual({ at: `${this.label} ${path}`, known: true });
    for (const { alias, field } of picks) this.field(object[alias], `${path}.${alias}`, field, canary!.client, canary!.client.id);
  }

  /** An order (its contact copy and items) and, when selected, its client. */
  order(object: Record<string, any>, path: string, picks: Pick[]): void {
    const canary = byOrder.get(object.id)!;
    expect({ at: `${this.label} ${path}`, items: object.items }).toEqual({ at: `${this.label} ${path}`, items: canary.order.items.map((i) => ({ name: i.name })) });
    this.accounted.push(`${path}.items`);
    for (const field of orderFields) this.field(object[field.name], `${path}.${field.name}`, field, canary.order, canary.client.id);
    if (object.client !== undefined) {
      expect(object.client?.id).toBe(canary.client.id);
      this.client(object.client, `${path}.client`, picks);
    }
  }

  /** A subject's orders or consents: served whole, or [] with one redaction (decideRelation). */
  relation(list: unknown[], path: string, relation: Relation, clientId: string): boolean {
    const decision = relationFor(this.caller, relation, clientId);
    if (decision.access === 'FULL') return true;
    expect({ at: `${this.label} ${path}`, list }).toEqual({ at: `${this.label} ${path}`, list: [] });
    this.redactions.push({ path, category: RELATION_CATEGORY, access: 'HIDDEN', reason: decision.reason });
    return false;
  }

  /** The reported redactions are exactly the expected ones, and no canary is anywhere else in the response. */
  finish(response: GraphQLResponse): void {
    expect({ at: this.label, redactions: sortReport(response.body.extensions!.redactions!) }).toEqual({ at: this.label, redactions: expectedReport(this.redactions) });
    const rest = structuredClone(response.body) as Record<string, any>;
    for (const path of this.accounted) blank(rest.data, path.split('.'));
    const text = JSON.stringify(rest);
    expect({ at: this.label, leaked: secrets().filter((s) => text.includes(s)) }).toEqual({ at: this.label, leaked: [] });
  }
}

function blank(data: Record<string, any> | null | undefined, keys: string[]): void {
  let node: any = data;
  for (const key of keys.slice(0, -1)) node = node?.[key];
  if (node && typeof node === 'object') node[keys.at(-1)!] = null;
}

interface Shape {
  /** Selection inside each Client object (after `id`). */
  client: string;
  fragments: string;
  picks: Pick[];
}

const ORDER_SELECTION = () => `id items { name } ${orderFields.map((f) => f.selection).join(' ')}`;
const selectPicks = (picks: Pick[]) => picks.map(({ alias, field }) => (alias === field.name ? field.selection : `${alias}: ${field.selection}`)).join(' ');
const plainShape = (): Shape => {
  const picks = clientFields.map((field) => ({ alias: field.name, field }));
  return { client: selectPicks(picks), fragments: '', picks };
};

function queryFor(path: PathName, shape: Shape): string {
  const c = `id ${shape.client}`;
  const o = `${ORDER_SELECTION()} client { ${c} }`;
  const body = {
    client: `query($id: ID!) { client(id: $id) { ${c} } }`,
    list: `{ clients(first: 100) { edges { node { ${c} } } } }`,
    order: `query($order: ID!) { order(id: $order) { ${o} } }`,
    orders: `{ orders(first: 100) { edges { node { ${o} } } } }`,
    relations: `query($id: ID!) { client(id: $id) { id orders { ${o} } consents { status client { ${c} } } } }`,
    partnerOrders: `{ partnerOrders(first: 100) { edges { node { ${o} } } } }`,
    authority: `{ authorityRequestSubjects(first: 100) { edges { node { ${c} } } } }`,
    me: `{ me { ${c} } }`,
  }[path];
  return `${body} ${shape.fragments}`;
}

const ROOT: Record<PathName, string> = {
  client: 'client',
  list: 'clients',
  order: 'order',
  orders: 'orders',
  relations: 'client',
  partnerOrders: 'partnerOrders',
  authority: 'authorityRequestSubjects',
  me: 'me',
};

const ids = (list: Array<Record<string, any>>) => list.map((x) => x.id).sort();
const edgeNodes = (connection: { edges: Array<{ node: Record<string, any> }> }) => connection.edges.map((e) => e.node);

/** Runs one query shape on one path as one viewer about one subject, and checks the whole response. */
async function runCase(viewer: Viewer, key: SubjectKey, path: PathName, shape: Shape): Promise<void> {
  const canary = subjects[key];
  const caller = callerOf(viewer, key);
  const check = new Check(`${viewer} on ${key} via ${path}`, caller);
  const response = await world.gql(queryFor(path, shape), { id: canary.client.id, order: canary.order.id }, tokenFor(viewer, key));
  if (!mayCall(ROOT[path], viewer)) {
    // The operation itself is refused (a client may read only itself through client(id)).
    const value = response.body.data?.[ROOT[path]] ?? null;
    expect({ at: check.label, codes: codes(response), value }).toEqual({ at: check.label, codes: ['FORBIDDEN'], value: null });
    check.finish(response);
    return;
  }
  expect({ at: check.label, errors: response.body.errors }).toEqual({ at: check.label, errors: undefined });
  const data = response.body.data!;
  const own = caller.clientId;
  // A grant's subjects (the orders a partner is assigned); and whom a lookup reaches at all (mayReach).
  const granted = (id: string) => !caller.grant || grantedIds.has(id);
  const reaches = (id: string) => mayReach(caller, subjectOf(id));
  const allOrders = [...byOrder.values()];
  switch (path) {
    case 'client':
    case 'relations':
      if (!reaches(canary.client.id)) {
        expect(data.client).toBeNull();
        break;
      }
      expect(data.client?.id).toBe(canary.client.id);
      if (path === 'client') check.client(data.client, 'client', shape.picks);
      else {
        const { orders, consents } = data.client;
        if (check.relation(orders, 'client.orders', 'ORDERS', canary.client.id)) {
          expect(ids(orders)).toEqual([canary.order.id]);
          orders.forEach((o: Record<string, any>, i: number) => check.order(o, `client.orders.${i}`, shape.picks));
        }
        if (check.relation(consents, 'client.consents', 'CONSENTS', canary.client.id)) {
          expect(consents.length).toBeGreaterThan(0);
          consents.forEach((k: Record<string, any>, i: number) => check.client(k.client, `client.consents.${i}.client`, shape.picks));
        }
      }
      break;
    case 'list': {
      const nodes = edgeNodes(data.clients);
      expect(ids(nodes)).toEqual([...byClient.keys()].sort());
      nodes.forEach((node, i) => check.client(node, `clients.edges.${i}.node`, shape.picks));
      break;
    }
    case 'order':
      if (own !== null && own !== canary.client.id) {
        expect(data.order).toBeNull(); // another client's order reads as null
        break;
      }
      {
        // The same decision as the client's order list (decideRelation): withheld, it reads as null.
        const decision = relationFor(caller, 'ORDERS', canary.client.id);
        if (decision.access === 'HIDDEN') {
          expect({ at: check.label, order: data.order }).toEqual({ at: check.label, order: null });
          check.redactions.push({ path: 'order', category: RELATION_CATEGORY, access: 'HIDDEN', reason: decision.reason });
          break;
        }
      }
      check.order(data.order, 'order', shape.picks);
      break;
    case 'orders':
    case 'partnerOrders': {
      // An order whose client's orders the caller does not get (decideRelation, as Client.orders)
      // is left out whole, with one redaction per reason at the list.
      const root = path === 'orders' ? 'orders' : 'partnerOrders';
      const nodes = edgeNodes(data[root]);
      const listed = allOrders.filter((c) => (own === null ? granted(c.client.id) : c.client.id === own));
      const decided = listed.map((c) => ({ c, decision: relationFor(caller, 'ORDERS', c.client.id) }));
      expect(ids(nodes)).toEqual(decided.filter((d) => d.decision.access === 'FULL').map((d) => d.c.order.id).sort());
      nodes.forEach((node, i) => check.order(node, `${root}.edges.${i}.node`, shape.picks));
      const reasons = new Set(decided.flatMap((d) => (d.decision.access === 'FULL' ? [] : [d.decision.reason])));
      for (const reason of reasons) check.redactions.push({ path: `${root}.edges`, category: RELATION_CATEGORY, access: 'HIDDEN', reason });
      break;
    }
    case 'authority': {
      const nodes = edgeNodes(data.authorityRequestSubjects);
      expect(ids(nodes)).toEqual([...grantedIds].sort());
      nodes.forEach((c, i) => check.client(c, `authorityRequestSubjects.edges.${i}.node`, shape.picks));
      break;
    }
    case 'me':
      expect(data.me.id).toBe(own);
      check.client(data.me, 'me', shape.picks);
      break;
  }
  check.finish(response);
}

describe('the seeded subjects are in the states the cases name', () => {
  it('consent in force (for the operator purpose) and erasure are as seeded; the opt-out removed only marketing', () => {
    const inForce: Record<SubjectKey, boolean> = { ACTIVE: true, WITHDRAWAL_PENDING: true, NARROWED: true, WITHDRAWN: false, EXPIRED: false, ERASED: true, ENTITY: true };
    for (const key of SUBJECTS) {
      const subject = subjectOf(subjects[key].client.id);
      const consent = subject.consent;
      expect({ key, inForce: consentCovers(consent, 'CONTRACT_PERFORMANCE', ['USE'], new Date()), erased: subject.erased, marketing: consent.purposes.has('MARKETING') }).toEqual({
        key,
        inForce: inForce[key],
        erased: key === 'ERASED',
        marketing: key !== 'NARROWED',
      });
    }
    expect(subjects.ENTITY.client.kind).toBe(ClientKind.ENTITY);
  });

  it('every personal leaf selected holds a canary, so a leak of any of them would be seen', () => {
    const leaves = [
      ...['street', 'building', 'apartment', 'postalCode'].map((k) => (subjects.ACTIVE.client.residenceAddress as any)[k]),
      ...['street', 'building', 'apartment', 'postalCode'].map((k) => (subjects.ACTIVE.order.deliveryAddress as any)[k]),
      subjects.ACTIVE.client.bankAccounts[0]!.bankName, subjects.ACTIVE.client.bankAccounts[0]!.bic,
      subjects.ENTITY.client.bin, subjects.ENTITY.client.legalName,
    ];
    for (const leaf of leaves) expect([...subjects.ACTIVE.values, ...subjects.ENTITY.values]).toContain(leaf);
    expect(subjects.ACTIVE.itemNames).toEqual([subjects.ACTIVE.order.items[0]!.name]);
  });

  it('opting out of marketing changes no decision for anyone (P2 purpose 7 is no audience\'s basis)', () => {
    for (const viewer of VIEWERS) {
      for (const category of PII_CATEGORIES) {
        const narrowed = decisionFor(callerOf(viewer, 'NARROWED'), category, subjects.NARROWED.client.id);
        const active = decisionFor(callerOf(viewer, 'ACTIVE'), category, subjects.ACTIVE.client.id);
        expect({ viewer, category, narrowed }).toEqual({ viewer, category, narrowed: active });
      }
    }
  });
});

/** Paths about one subject, and listings, whose one response covers every subject at once. */
const SUBJECT_PATHS: PathName[] = ['client', 'order', 'relations', 'me'];
const LISTING_PATHS: PathName[] = ['list', 'orders', 'partnerOrders', 'authority'];

describe.each(SUBJECTS)('a %s subject', (key) => {
  describe.each(VIEWERS)('read by %s', (viewer) => {
    it.each(SUBJECT_PATHS)('via %s: each value, each redaction and nothing else', async (path) => {
      await runCase(viewer, key, path, plainShape());
    });
  });
});

describe.each(VIEWERS)('listings read by %s', (viewer) => {
  it.each(LISTING_PATHS)('via %s: every subject listed, each value, each redaction and nothing else', async (path) => {
    // Only a subject's own token depends on which subject it is.
    for (const key of viewer === 'SUBJECT' ? SUBJECTS : SUBJECTS.slice(0, 1)) await runCase(viewer, key, path, plainShape());
  });
});

describe('query shapes: aliases, fragments, inline fragments and repeats get the same answer', () => {
  it('for any generated shape, viewer, subject and path, the response is what the matrix says', async () => {
    const shape = fc.record({
      viewer: fc.constantFrom<Viewer>(...VIEWERS),
      key: fc.constantFrom<SubjectKey>(...SUBJECTS),
      path: fc.constantFrom<PathName>(...PATHS),
      wrap: fc.constantFrom('plain', 'fragment', 'inline'),
      picks: fc.uniqueArray(fc.record({ index: fc.nat(100), alias: fc.option(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/), { nil: null }) }), {
        minLength: 1,
        maxLength: 6,
        selector: (p) => p.alias ?? `#${p.index}`,
      }),
      repeat: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(shape, async ({ viewer, key, path, wrap, picks, repeat }) => {
        const selected = picks.map(({ index, alias }) => {
          const field = clientFields[index % clientFields.length]!;
          return { alias: alias ? `x${alias}` : field.name, field };
        });
        // Two different fields under one alias is a GraphQL error, not a shape: keep the first.
        const unique = selected.filter((s, i) => selected.findIndex((t) => t.alias === s.alias) === i);
        let body = selectPicks(unique);
        if (repeat) body = `${body} ${selectPicks(unique.slice(0, 1))}`;
        const client = wrap === 'fragment' ? '...Picked' : wrap === 'inline' ? `... on Client { ${body} }` : body;
        const fragments = wrap === 'fragment' ? `fragment Picked on Client { ${body} }` : '';
        await runCase(viewer, key, path, { client, fragments, picks: unique });
      }),
      { numRuns: 100 },
    );
  });
});

describe('filters and sorting: a filter is an oracle', () => {
  const FILTERS: Array<{ filter: string; category: PiiCategory; value: (c: Canary) => string | null }> = [
    { filter: 'surname', category: 'FULL_NAME', value: (c) => c.client.surname },
    { filter: 'phone', category: 'PHONE', value: (c) => c.client.phones[0]! },
    { filter: 'email', category: 'EMAIL', value: (c) => c.client.emails[0]! },
    { filter: 'iinOrBin', category: 'OFFICIAL_REQUISITES', value: (c) => c.client.iin ?? c.client.bin },
  ];
  const STAFF = ['OPERATOR', 'DPO', 'ANALYST'] as const;

  it.each(STAFF.flatMap((viewer) => FILTERS.map((f) => [viewer, f.filter] as const)))(
    '%s filtering by %s: refused unless the role sees it in full; else it matches exactly the subjects it sees in full',
    async (viewer, name) => {
      const { category, value } = FILTERS.find((f) => f.filter === name)!;
      const role = viewer.toLowerCase() as Role;
      for (const key of SUBJECTS) {
        const v = value(subjects[key]);
        if (v === null) continue;
        const caller = callerOf(viewer, key);
        const check = new Check(`${viewer} filtering ${key} by ${name}`, caller);
        const response = await world.gql(`query($v: String) { clients(first: 100, filter: { ${name}: $v }) { totalCount edges { node { id ${plainShape().client} } } } }`, { v }, tokens[viewer]);
        if (!mayCall('clients', viewer) || !roleSeesInFull(role, category)) {
          expect({ at: check.label, codes: codes(response), data: response.body.data ?? null }).toEqual({ at: check.label, codes: ['FORBIDDEN'], data: null });
        } else {
          const matches = decisionFor(caller, category, subjects[key].client.id).access === 'FULL';
          const nodes = edgeNodes(response.body.data!.clients);
          expect({ at: check.label, totalCount: response.body.data!.clients.totalCount, ids: ids(nodes) }).toEqual({
            at: check.label,
            totalCount: matches ? 1 : 0,
            ids: matches ? [subjects[key].client.id] : [],
          });
          nodes.forEach((node, i) => check.client(node, `clients.edges.${i}.node`, plainShape().picks));
        }
        check.finish(response);
      }
    },
  );

  it('an operator may sort by surname (seen in full): only subjects it sees in full, in surname order', async () => {
    const caller = callerOf('OPERATOR', 'ACTIVE');
    const response = await world.gql(`{ clients(first: 100, orderBy: { field: SURNAME, direction: DESC }) { edges { node { id surname } } } }`, {}, tokens.OPERATOR);
    expect(response.body.errors).toBeUndefined();
    const visible = [...byClient.values()].filter((c) => decisionFor(caller, 'FULL_NAME', c.client.id).access === 'FULL');
    const key = (c: Canary) => `${c.client.surname ?? ''}\u0000${c.client.id}`;
    const expected = visible.sort((a, b) => (key(a) < key(b) ? 1 : -1)).map((c) => c.client.id);
    expect(edgeNodes(response.body.data!.clients).map((n) => n.id)).toEqual(expected);
  });
});

describe('mutation payloads: the opt-out answers with a consent record, under the same decision as client.consents', () => {
  const RECORD = 'id kind status purposes operations channel actor actorId givenAt recordedAt withdrawalNoticeAt withdrawalEffectiveAt expiresAt noticeSha256 noticeLength';
  const OUTCOMES = {
    OPERATOR: { ACTIVE: 'served', WITHDRAWAL_PENDING: 'served', NARROWED: 'served', WITHDRAWN: 'FORBIDDEN:CONSENT', EXPIRED: 'FORBIDDEN:CONSENT', ERASED: 'CONFLICT:ERASED' },
    DPO: { ACTIVE: 'served', WITHDRAWAL_PENDING: 'served', NARROWED: 'served', WITHDRAWN: 'served', EXPIRED: 'served', ERASED: 'CONFLICT:ERASED' },
  } as const;

  it.each(['OPERATOR', 'DPO'] as const)(
    '%s: optOutOfMarketing(clientId) serves the record only where decideRelation serves the history, and it is the record client.consents shows; else FORBIDDEN with the reason',
    async (viewer) => {
      const outcomes: Record<string, string> = {};
      for (const state of Object.keys(OUTCOMES[viewer]) as Array<keyof (typeof OUTCOMES)[typeof viewer]>) {
        // A fresh subject each time: the opt-out changes its consent record.
        const canary = await addCanary(state);
        await refreshStates();
        const caller = callerOf(viewer, 'ACTIVE');
        const before = relationFor(caller, 'CONSENTS', canary.client.id);
        const response = await world.gql(
          `mutation($id: ID!) { optOutOfMarketing(clientId: $id) { ${RECORD} client { id ${plainShape().client} } } }`,
          { id: canary.client.id },
          tokens[viewer],
        );
        await refreshStates();
        const check = new Check(`${viewer} opting ${state} out`, caller);
        const [error] = response.body.errors ?? [];
        if (error) {
          outcomes[state] = `${error.extensions!.code}:${error.extensions!.reason}`;
          expect({ at: check.label, data: response.body.data?.optOutOfMarketing ?? null }).toEqual({ at: check.label, data: null });
          if (error.extensions!.code === 'FORBIDDEN') expect({ at: check.label, reason: error.extensions!.reason }).toEqual({ at: check.label, reason: before.reason });
        } else {
          outcomes[state] = 'served';
          const { client, ...record } = response.body.data!.optOutOfMarketing;
          if (['ACTIVE', 'WITHDRAWAL_PENDING', 'NARROWED'].includes(state)) expect(record.purposes).not.toContain('MARKETING');
          const history = await world.gql(`query($id: ID!) { client(id: $id) { consents { ${RECORD} } } }`, { id: canary.client.id }, tokens[viewer]);
          expect({ at: check.label, record }).toEqual({ at: check.label, record: history.body.data!.client.consents.at(-1) });
          check.client(client, 'optOutOfMarketing.client', plainShape().picks);
        }
        check.finish(response);
      }
      expect(outcomes).toEqual(OUTCOMES[viewer]);
    },
  );
});

describe('literal mask shapes for known canaries (independent of the production masks)', () => {
  it('an operator sees an IIN, IBAN, BIC and residence address masked in the documented shapes', async () => {
    const c = subjects.ACTIVE.client;
    const response = await world.gql(`query($id: ID!) { client(id: $id) { iin phones bankAccounts { iban bankName bic } residenceAddress ${ADDRESS} login } }`, { id: c.id }, tokens.OPERATOR);
    const account = c.bankAccounts[0]!;
    expect(response.body.data!.client).toEqual({
      iin: `********${c.iin!.slice(8)}`,
      phones: c.phones,
      bankAccounts: [{ iban: `KZ** **** **** **** ${account.iban.slice(16)}`, bankName: null, bic: account.bic }],
      residenceAddress: { country: 'KZ', region: c.residenceAddress!.region, city: c.residenceAddress!.city, street: null, building: null, apartment: null, postalCode: null },
      login: null,
    });
    expect(response.body.data!.client.iin).toMatch(/^\*{8}[0-9]{4}$/);
    expect(response.body.data!.client.bankAccounts[0].iban).toMatch(/^KZ\*\* \*{4} \*{4} \*{4} [0-9A-Z]{4}$/);
  });

  it("an operator sees a legal entity's BIN, VAT certificate and legal name masked, and a free-text BIC dropped", async () => {
    const c = subjects.ENTITY.client;
    const response = await world.gql(`query($id: ID!) { client(id: $id) { bin iin legalName vatCertificate bankAccounts { iban bankName bic } } }`, { id: c.id }, tokens.OPERATOR);
    expect(response.body.data!.client).toEqual({
      bin: `********${c.bin!.slice(8)}`,
      iin: null,
      vatCertificate: `********${c.vatCertificate!.slice(8)}`,
      legalName: 'ТОО «C***»',
      bankAccounts: [{ iban: `KZ** **** **** **** ${c.bankAccounts[0]!.iban.slice(16)}`, bankName: null, bic: null }],
    });
  });

  it("a partner sees the contact copy and names in full, and nothing outside its contract's scope", async () => {
    const canary = subjects.ACTIVE;
    const response = await world.gql(`{ partnerOrders(first: 100) { edges { node { id contactPhone client { id fullName emails bankAccounts { iban } } } } } }`, {}, tokens.PARTNER);
    const node = edgeNodes(response.body.data!.partnerOrders).find((n) => n.id === canary.order.id)!;
    expect(node).toEqual({
      id: canary.order.id,
      contactPhone: canary.order.contactPhone,
      client: { id: canary.client.id, fullName: `${canary.client.surname} ${canary.client.firstName} ${canary.client.patronymic}`, emails: null, bankAccounts: null },
    });
    expect(node.contactPhone).toMatch(/^\+7702[0-9]{7}$/);
  });
});
