/**
 * The policy's examples, end to end: canary clients in each consent state, queried by each role
 * through every path and query shape. A canary appears exactly where the matrix says FULL, its
 * mask where MASKED, and null (with a redaction) where HIDDEN.
 */
import fc from 'fast-check';
import { getDirective } from '@graphql-tools/utils';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { buildApiSchema } from '../../src/graphql/schema';
import type { PiiCategory } from '../../src/privacy/categories';
import { applyMask, DEFAULT_MASK, type MaskKind } from '../../src/privacy/masking';
import { POLICY, type Access } from '../../src/privacy/policy';
import { createCanaryClient, type Canary, type SubjectState } from '../support/canaries';
import { codes, startTestServer, type TestServer } from '../support/harness';

type Viewer = 'SUBJECT' | 'OPERATOR' | 'DPO';
const STATES: SubjectState[] = ['ACTIVE', 'WITHDRAWN', 'ERASED'];
const VIEWERS: Viewer[] = ['SUBJECT', 'OPERATOR', 'DPO'];

/** The matrix, read as the policy states it (the test's own statement of the rules). */
function expected(viewer: Viewer, state: SubjectState, category: PiiCategory): { access: Access; reason: string | null } {
  const level = viewer === 'OPERATOR' ? POLICY.OPERATOR.access[category] : 'FULL';
  if (level === 'HIDDEN') return { access: 'HIDDEN', reason: 'ROLE' };
  if (state === 'ERASED') return { access: 'HIDDEN', reason: 'ERASED' };
  if (viewer === 'SUBJECT' || viewer === 'DPO') return { access: 'FULL', reason: null };
  if (state === 'WITHDRAWN') return { access: 'HIDDEN', reason: 'CONSENT' };
  return { access: level, reason: level === 'FULL' ? null : 'ROLE' };
}

interface PiiField {
  name: string;
  category: PiiCategory;
  mask: MaskKind;
  selection: string;
}

const SUBSELECTIONS: Record<string, string> = {
  registrationAddress: '{ country region city street building apartment postalCode }',
  residenceAddress: '{ country region city street building apartment postalCode }',
  deliveryAddress: '{ country region city street building apartment postalCode }',
  bankAccounts: '{ iban bankName bic }',
};

function piiFields(schema: GraphQLSchema, typeName: string): PiiField[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(typeName);
  return Object.values(type.getFields()).flatMap((field) => {
    const directive = getDirective(schema, field, 'pii')?.[0];
    if (!directive) return [];
    const category = directive.category as PiiCategory;
    return [{ name: field.name, category, mask: (directive.mask as MaskKind) ?? DEFAULT_MASK[category], selection: `${field.name} ${SUBSELECTIONS[field.name] ?? ''}` }];
  });
}

function rawValue(source: Record<string, any>, field: string): unknown {
  if (field === 'fullName') return [source.surname, source.firstName, source.patronymic].filter(Boolean).join(' ');
  return source[field];
}

function expectedValue(access: Access, mask: MaskKind, source: Record<string, any>, field: string): unknown {
  if (access === 'FULL') return rawValue(source, field);
  if (access === 'MASKED') return applyMask(mask, rawValue(source, field), source);
  return null;
}

let server: TestServer;
let clientFields: PiiField[];
let orderFields: PiiField[];
const canaries = {} as Record<SubjectState, Canary>;
const tokens = {} as Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  const schema = await buildApiSchema();
  clientFields = piiFields(schema, 'Client');
  orderFields = piiFields(schema, 'Order');
  const em = server.db.orm.em.fork();
  for (const state of STATES) canaries[state] = await createCanaryClient(em, state);
  tokens.OPERATOR = await server.token({ sub: 'op-1', role: 'operator' });
  tokens.DPO = await server.token({ sub: 'dpo-1', role: 'dpo' });
  for (const state of STATES) tokens[`SUBJECT:${state}`] = await server.token({ sub: canaries[state].client.id, role: 'client' });
});
afterAll(() => server.close());

const tokenFor = (viewer: Viewer, state: SubjectState) => (viewer === 'SUBJECT' ? tokens[`SUBJECT:${state}`]! : tokens[viewer]!);

function checkObject(
  object: Record<string, unknown>,
  selected: Array<{ alias: string; field: PiiField }>,
  source: Record<string, any>,
  viewer: Viewer,
  state: SubjectState,
  redactions: Array<{ path: string; category: string; access: string; reason: string }>,
  pathPrefix: string,
): void {
  for (const { alias, field } of selected) {
    const rule = expected(viewer, state, field.category);
    const context = `${viewer} reading ${state} ${field.name} as ${alias}`;
    expect({ context, value: object[alias] }).toEqual({ context, value: expectedValue(rule.access, field.mask, source, field.name) });
    const redaction = redactions.find((r) => r.path === `${pathPrefix}.${alias}`);
    if (rule.access === 'FULL') {
      expect({ context, redaction }).toEqual({ context, redaction: undefined });
    } else {
      const access = rule.access === 'MASKED' && field.mask === 'HIDE' ? 'HIDDEN' : rule.access;
      expect({ context, redaction }).toEqual({ context, redaction: { path: `${pathPrefix}.${alias}`, category: field.category, access, reason: rule.reason } });
    }
  }
  // No canary may appear anywhere else in the object than where FULL allows it.
  const fullAliases = new Set(selected.filter((s) => expected(viewer, state, s.field.category).access === 'FULL').map((s) => s.alias));
  const rest = Object.fromEntries(Object.entries(object).filter(([k]) => !fullAliases.has(k)));
  for (const value of canaries[state].values) {
    // Masked addresses keep city and region on purpose; streets are the address canaries.
    expect({ context: `${viewer}/${state}`, leaked: JSON.stringify(rest).includes(value) ? value : null }).toEqual({ context: `${viewer}/${state}`, leaked: null });
  }
}

const all = (fields: PiiField[]) => fields.map((field) => ({ alias: field.name, field }));
const select = (fields: Array<{ alias: string; field: PiiField }>) =>
  fields.map(({ alias, field }) => (alias === field.name ? field.selection : `${alias}: ${field.selection}`)).join(' ');

describe.each(STATES)('a %s subject', (state) => {
  describe.each(VIEWERS)('read by %s', (viewer) => {
    const canary = () => canaries[state];

    it('client(id) gives each personal field as the matrix says', async () => {
      const response = await server.gql(`query($id: ID!) { client(id: $id) { id ${select(all(clientFields))} } }`, { id: canary().client.id }, tokenFor(viewer, state));
      expect(response.body.errors).toBeUndefined();
      checkObject(response.body.data!.client, all(clientFields), canary().client, viewer, state, response.body.extensions!.redactions!, 'client');
    });

    it("the order's contact copy follows ORDER_CONTACT, and order.client the client rules", async () => {
      const response = await server.gql(
        `query($id: ID!) { order(id: $id) { id ${select(all(orderFields))} client { id ${select(all(clientFields))} } } }`,
        { id: canary().order.id },
        tokenFor(viewer, state),
      );
      expect(response.body.errors).toBeUndefined();
      const order = response.body.data!.order;
      const redactions = response.body.extensions!.redactions!;
      checkObject({ ...order, client: undefined }, all(orderFields), canary().order, viewer, state, redactions, 'order');
      checkObject(order.client, all(clientFields), canary().client, viewer, state, redactions, 'order.client');
    });

    it('consent.client and client.orders give the same answers as the direct paths', async () => {
      const response = await server.gql(
        `query($id: ID!) { client(id: $id) { consents { client { ${select(all(clientFields))} } } orders { ${select(all(orderFields))} } } }`,
        { id: canary().client.id },
        tokenFor(viewer, state),
      );
      expect(response.body.errors).toBeUndefined();
      const { consents, orders } = response.body.data!.client;
      const redactions = response.body.extensions!.redactions!;
      checkObject(consents[0].client, all(clientFields), canary().client, viewer, state, redactions, 'client.consents.0.client');
      checkObject(orders[0], all(orderFields), canary().order, viewer, state, redactions, 'client.orders.0');
    });
  });

  it('an operator listing clients gets the same answer for this subject as client(id)', async () => {
    const response = await server.gql(`{ clients(first: 100) { edges { node { id ${select(all(clientFields))} } } } }`, {}, tokens.OPERATOR);
    expect(response.body.errors).toBeUndefined();
    const edges: Array<{ node: Record<string, unknown> }> = response.body.data!.clients.edges;
    const index = edges.findIndex((e) => e.node.id === canaries[state].client.id);
    expect(index).toBeGreaterThanOrEqual(0);
    checkObject(edges[index]!.node, all(clientFields), canaries[state].client, 'OPERATOR', state, response.body.extensions!.redactions!, `clients.edges.${index}.node`);
  });

  it('the subject reading `me` sees its own data in full unless erased', async () => {
    const response = await server.gql(`{ me { ${select(all(clientFields))} } }`, {}, tokens[`SUBJECT:${state}`]);
    expect(response.body.errors).toBeUndefined();
    checkObject(response.body.data!.me, all(clientFields), canaries[state].client, 'SUBJECT', state, response.body.extensions!.redactions!, 'me');
  });
});

describe('query shapes: aliases, fragments, inline fragments and repeats get the same answer', () => {
  it('for any generated query shape, each value is what the matrix says', async () => {
    const shape = fc.record({
      viewer: fc.constantFrom<Viewer>(...VIEWERS),
      state: fc.constantFrom<SubjectState>(...STATES),
      path: fc.constantFrom('client', 'order.client', 'list', 'consent.client'),
      wrap: fc.constantFrom('plain', 'fragment', 'inline'),
      picks: fc.uniqueArray(fc.record({ index: fc.nat(100), alias: fc.option(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/), { nil: null }) }), {
        minLength: 1,
        maxLength: 8,
        selector: (p) => p.alias ?? `#${p.index}`,
      }),
      repeat: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(shape, async ({ viewer, state, path, wrap, picks, repeat }) => {
        if (viewer === 'SUBJECT' && path === 'list') return; // a client may not list clients
        const selected = picks.map(({ index, alias }) => {
          const field = clientFields[index % clientFields.length]!;
          return { alias: alias ? `x${alias}` : field.name, field };
        });
        // Two different fields under one alias is a GraphQL error, not a shape: keep the first.
        const unique = selected.filter((s, i) => selected.findIndex((t) => t.alias === s.alias) === i);
        let body = select(unique);
        if (repeat) body = `${body} ${select(unique.slice(0, 1))}`;
        const inner = wrap === 'fragment' ? '...Picked' : wrap === 'inline' ? `... on Client { ${body} }` : body;
        const fragment = wrap === 'fragment' ? `fragment Picked on Client { ${body} }` : '';
        const c = canaries[state];
        const query = {
          client: `query($id: ID!, $order: ID!) { o: order(id: $order) { id } client(id: $id) { id ${inner} } }`,
          'order.client': `query($id: ID!, $order: ID!) { c: client(id: $id) { id } order(id: $order) { client { id ${inner} } } }`,
          list: `query($id: ID!, $order: ID!) { o: order(id: $order) { id } c: client(id: $id) { id } clients(first: 100) { edges { node { id ${inner} } } } }`,
          'consent.client': `query($id: ID!, $order: ID!) { o: order(id: $order) { id } client(id: $id) { consents { client { id ${inner} } } } }`,
        }[path];
        const response = await server.gql(`${query} ${fragment}`, { id: c.client.id, order: c.order.id }, tokenFor(viewer, state));
        expect(response.body.errors).toBeUndefined();
        const data = response.body.data!;
        let object: Record<string, unknown>;
        let prefix: string;
        if (path === 'client') [object, prefix] = [data.client, 'client'];
        else if (path === 'order.client') [object, prefix] = [data.order.client, 'order.client'];
        else if (path === 'consent.client') [object, prefix] = [data.client.consents[0].client, 'client.consents.0.client'];
        else {
          const index = data.clients.edges.findIndex((e: { node: { id: string } }) => e.node.id === c.client.id);
          [object, prefix] = [data.clients.edges[index].node, `clients.edges.${index}.node`];
        }
        checkObject(object, unique, c.client, viewer, state, response.body.extensions!.redactions!, prefix);
      }),
      { numRuns: 80 },
    );
  });
});

describe('filters and sorting: a filter is an oracle', () => {
  it('an operator may filter by phone, but matches only subjects whose consent covers the operator purpose', async () => {
    const q = `query($phone: String) { clients(filter: { phone: $phone }) { totalCount edges { node { id } } } }`;
    const active = await server.gql(q, { phone: canaries.ACTIVE.client.phones[0] }, tokens.OPERATOR);
    expect(active.body.data!.clients.totalCount).toBe(1);
    expect(active.body.data!.clients.edges[0].node.id).toBe(canaries.ACTIVE.client.id);
    for (const state of ['WITHDRAWN', 'ERASED'] as const) {
      const hidden = await server.gql(q, { phone: canaries[state].client.phones[0] }, tokens.OPERATOR);
      expect(hidden.body.data!.clients).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it('an operator, who sees IINs only masked, may not filter by IIN: FORBIDDEN, totalCount included', async () => {
    const response = await server.gql(`query($v: String) { clients(filter: { iinOrBin: $v }) { totalCount } }`, { v: canaries.ACTIVE.client.iin }, tokens.OPERATOR);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.body.data).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain(canaries.ACTIVE.client.iin!);
  });

  it('the DPO may filter by IIN and finds the subject whatever its consent', async () => {
    const response = await server.gql(`query($v: String) { clients(filter: { iinOrBin: $v }) { totalCount edges { node { id } } } }`, { v: canaries.WITHDRAWN.client.iin }, tokens.DPO);
    expect(response.body.data!.clients.totalCount).toBe(1);
  });

  it('an operator may sort by surname (seen in full); the order is by surname', async () => {
    const response = await server.gql(`{ clients(first: 100, orderBy: { field: SURNAME, direction: DESC }) { edges { node { id surname } } } }`, {}, tokens.OPERATOR);
    expect(response.body.errors).toBeUndefined();
    const ids = response.body.data!.clients.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual([canaries.ACTIVE.client.id]);
  });

  it('an analyst may not list clients at all', async () => {
    const analyst = await server.token({ sub: 'an-1', role: 'analyst' });
    const response = await server.gql(`{ clients { totalCount } }`, {}, analyst);
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });
});
