/**
 * The benchmark measures what it says. Scenario 1 selects each `@pii` field of a client and its
 * orders, as the printed schema declares them, so a new field cannot make the figures flatter by
 * being left out. The shapes of issue 9 select exactly its table's field list, and the floor's SQL
 * returns the very rows the API serves for them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isObjectType, Kind, parse, TypeInfo, visit, visitWithTypeInfo, type GraphQLObjectType } from 'graphql';
import { FLOOR_SHAPE_SQL, ME, OPERATOR_LIST, SHAPE_BY_ID, SHAPE_LIST } from '../../bench/queries';
import { PROJECT_ROOT } from '../../src/paths';
import { useWorld } from '../support/world';

const sdl = readFileSync(join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8');
const schema = buildSchema(sdl);

/** `Type.field` for every field of `type` (and of the object types below it) that carries @pii. */
function personalFields(type: GraphQLObjectType, seen = new Set<string>()): string[] {
  if (seen.has(type.name)) return [];
  seen.add(type.name);
  return Object.values(type.getFields()).flatMap((field) => {
    const own = field.astNode?.directives?.some((d) => d.name.value === 'pii') ? [`${type.name}.${field.name}`] : [];
    const below = getNamedType(field.type);
    return [...own, ...(isObjectType(below) ? personalFields(below, seen) : [])];
  });
}

/** Every `Type.field` the document selects, with the literal arguments given to it. */
function selections(document: string): Map<string, Record<string, unknown>> {
  const typeInfo = new TypeInfo(schema);
  const fields = new Map<string, Record<string, unknown>>();
  visit(parse(document), visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      const args = Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, a.value.kind === Kind.INT ? Number(a.value.value) : a.value.kind]));
      if (parent) fields.set(`${parent.name}.${node.name.value}`, args);
    },
  }));
  return fields;
}

const selected = (document: string) => new Set(selections(document).keys());

it.each([['scenario 1 (operator list)', OPERATOR_LIST], ['scenario 4 (me)', ME]])('%s selects every personal field of a client and of its orders', (_name, document) => {
  const client = schema.getType('Client') as GraphQLObjectType;
  const order = schema.getType('Order') as GraphQLObjectType;
  const wanted = [...personalFields(client), ...personalFields(order)];
  expect(wanted.length).toBeGreaterThan(15);
  const got = selected(document);
  expect(wanted.filter((f) => !got.has(f))).toEqual([]);
});

/**
 * Issue 9's first column: names, IIN, phones, e-mails, IBANs, residence city, 3 orders each. The
 * client's and the orders' ids and the orders' status, amount and time say which rows they are.
 */
const SHAPE_FIELDS = [
  'Client.id', 'Client.surname', 'Client.firstName', 'Client.patronymic', 'Client.iin', 'Client.phones', 'Client.emails',
  'Client.bankAccounts', 'BankAccount.iban', 'Client.residenceAddress', 'Address.city',
  'Client.orders', 'Order.id', 'Order.status', 'Order.amount', 'Order.createdAt',
];

describe('the shapes of issue 9', () => {
  it.each([
    ['the lists (first 100, first 10)', SHAPE_LIST, ['Query.clients', 'ClientConnection.edges', 'ClientEdge.node']],
    ['one client by id', SHAPE_BY_ID, ['Query.client']],
  ])('%s select exactly names, IIN, phones, e-mails, IBANs, residence city and 3 orders each', (_name, document, path) => {
    const got = selections(document);
    expect([...got.keys()].sort()).toEqual([...path, ...SHAPE_FIELDS].sort());
    expect(got.get('Client.orders')).toEqual({ first: 3 });
  });

  describe('the floor returns the same rows as the API', () => {
    // The benchmark's own data, fewer clients: persons and legal entities, with and without orders.
    const world = useWorld({ seed: { count: 40, seed: 42 } });
    const firstClientId = () => world.seeded.firstClientId!;

    const floor = (sql: string, params: unknown[]) => world.em().getConnection().execute(sql.replace(/\$1/g, '?'), params);
    const dpo = () => world.token({ sub: 'dpo-bench', role: 'dpo' });

    it('the first N clients, for N = 10 and N = 100 (more than there are)', async () => {
      for (const first of [10, 100]) {
        const response = await world.gql(SHAPE_LIST, { first }, await dpo());
        expect(response.body.errors).toBeUndefined();
        const api = response.body.data!.clients.edges.map((edge: { node: unknown }) => edge.node);
        expect(api).toHaveLength(Math.min(first, 40));
        expect(api.some((c: { orders: unknown[] }) => c.orders.length === 3)).toBe(true);
        expect(JSON.parse(JSON.stringify(await floor(FLOOR_SHAPE_SQL.list, [first])))).toEqual(api);
      }
    });

    it('one client by id', async () => {
      const response = await world.gql(SHAPE_BY_ID, { id: firstClientId() }, await dpo());
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.client).not.toBeNull();
      expect(JSON.parse(JSON.stringify(await floor(FLOOR_SHAPE_SQL.byId, [firstClientId()])))).toEqual([response.body.data!.client]);
    });
  });
});
