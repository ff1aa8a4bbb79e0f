/**
 * The read path (src/subjects): a page with its clients' orders and consent histories is one
 * statement whatever its size, so a client changing while a page is read never voids the page
 * (the row and its lists come from one snapshot); and connections honour @skip/@include with
 * variables on every level.
 */
import { createCanaryClient, type Canary } from '../support/canaries';
import { type GraphQLResponse } from '../support/server';
import { assignOrder, dpoToken, issuePartnerToken, logRows, registerPartnerWithContract, requestIdOf } from '../support/disclosure';
import { registerClient, type Registered } from '../support/accounts';
import { useWorld } from '../support/world';

const PAGE = `query($first: Int!) {
  clients(first: $first) { edges { node { id fullName phones emails iin bankAccounts { iban } residenceAddress { city }
    orders(first: 3) { id amount contactPhone } consents { status } } } }
}`;

const world = useWorld({ seed: { count: 60, seed: 11 } });
let statements: string[] = [];

beforeAll(async () => {
  world.db.orm.em.getConnection().getKnex().on('query', (q: { sql: string }) => statements.push(q.sql));
});

async function counted<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  statements = [];
  const result = await run();
  return { result, statements: [...statements] };
}

describe('statements per request', () => {
  it('a page of clients with their orders and consents is one statement, whether 5 or 50 rows', async () => {
    const small = await counted(() => world.gql(PAGE, { first: 5 }, world.tokens.operator));
    const large = await counted(() => world.gql(PAGE, { first: 50 }, world.tokens.operator));
    expect(small.result.body.errors).toBeUndefined();
    expect(large.result.body.data!.clients.edges).toHaveLength(50);
    const reads = (list: string[]) => list.filter((sql) => /from client c/.test(sql));
    expect(reads(small.statements)).toHaveLength(1);
    expect(reads(large.statements)).toHaveLength(1);
    expect(large.statements.length).toBe(small.statements.length);
  });

  it('reads only the columns the query selects', async () => {
    const { statements: sent } = await counted(() => world.gql('{ clients(first: 3) { edges { node { id phones } } } }', {}, world.tokens.operator));
    const page = sent.find((sql) => /from client c/.test(sql))!;
    expect(page).toContain('c.phones');
    for (const column of ['c.emails', 'c.iin', 'c.surname', 'c.bank_accounts', 'c.residence_address', 'client_order']) {
      expect({ column, read: page.includes(column) }).toEqual({ column, read: column === 'client_order' && page.includes('oo.client_id') });
    }
  });

  it('the redaction report has one entry per path pattern, category, access and reason, counting the values', async () => {
    const response = await world.gql('{ clients(first: 40) { edges { node { id iin } } } }', {}, world.tokens.operator);
    // An operator never sees a requisite in full: each row's iin is masked or hidden, and reported once.
    const report = response.body.extensions!.redactions!.filter((r) => r.category === 'OFFICIAL_REQUISITES');
    expect(report.map((r) => r.path.join('.'))).toEqual(report.map(() => 'clients.edges.*.node.iin'));
    expect(new Set(report.map((r) => `${r.access}|${r.reason}`)).size).toBe(report.length);
    expect(report.reduce((sum, r) => sum + r.count, 0)).toBe(40);
    expect(report.find((r) => r.access === 'MASKED')?.count).toBeGreaterThan(0);
  });
});

describe('a page read while a listed client keeps changing (no half state, no voided page)', () => {
  let client: Registered;

  beforeAll(async () => {
    client = await registerClient(world);
  });

  it('every read answers the whole page: the row and its lists are one snapshot', async () => {
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        n += 1;
        const phone = `+7701${String(1000000 + (n % 9000000)).slice(-7)}`;
        await world.gql('mutation($input: UpdateContactsInput!) { updateMyContacts(input: $input) { id } }', { input: { phones: [phone] } }, client.token);
      }
      return n;
    })();
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await world.gql(PAGE, { first: 50 }, world.tokens.operator));
    writing = false;
    const writes = await writer;
    expect(writes).toBeGreaterThan(1);
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.clients.edges.length).toBeGreaterThan(0);
    }
  });
});

describe('partnerOrders with @skip/@include on its levels', () => {
  let token: string;
  let canary: Canary;

  beforeAll(async () => {
    const dpo = await dpoToken(world);
    const partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'ORDER_CONTACT']);
    canary = await createCanaryClient(world.em(), 'ACTIVE');
    await assignOrder(world.em(), canary, partner.partnerId);
    ({ token } = await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'ORDER_CONTACT']));
  });

  const loggedPaths = async (response: GraphQLResponse) =>
    (await logRows(world.em(), 'request_id = ?', [requestIdOf(response)])).flatMap((r) => r.fields.map((f) => f.path));

  it.each([
    ['edges', `query($b: Boolean!) { partnerOrders { edges @include(if: $b) { node { id } } pageInfo { hasNextPage } } }`, 'partnerOrders.edges.0'],
    ['pageInfo', `query($b: Boolean!) { partnerOrders { pageInfo @include(if: $b) { endCursor } } }`, 'partnerOrders.pageInfo.endCursor'],
    ['startCursor', `query($b: Boolean!) { partnerOrders { pageInfo { hasNextPage s: startCursor @include(if: $b) } } }`, 'partnerOrders.pageInfo.s'],
    ['a fragment', `query($b: Boolean!) { partnerOrders { ...Page @include(if: $b) pageInfo { hasNextPage } } } fragment Page on OrderConnection { edges { node { id } } }`, 'partnerOrders.edges.0'],
  ])('%s: served and logged with the variable true, left out and not logged with it false', async (_level, query, path) => {
    const shown = await world.gql(query, { b: true }, token);
    expect(shown.body.errors).toBeUndefined();
    expect(await loggedPaths(shown)).toContain(path);
    const left = await world.gql(query, { b: false }, token);
    expect(left.body.errors).toBeUndefined();
    expect(JSON.stringify(left.body.data)).not.toContain(canary.order.id);
    expect(await loggedPaths(left)).not.toContain(path);
  });
});
