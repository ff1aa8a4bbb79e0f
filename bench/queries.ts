/** The benchmark's requests, and the floor's SQL: the statements the API runs for scenario 1. */
const ADDRESS = '{ country region city street building apartment postalCode }';

const ORDER_FIELDS = `id status amount currency items { name quantity priceTiyn } createdAt completedAt
  contactPhone contactEmail deliveryAddress ${ADDRESS}`;

// Every personal field of Client (test/ops/bench-queries.test.ts keeps it so).
const CLIENT_FIELDS = `id kind status surname firstName patronymic fullName iin bin legalName
  legalForm stateRegistrationDate headFullName kbe vatCertificate
  registrationAddress ${ADDRESS} residenceAddress ${ADDRESS} phones emails bankAccounts { iban bankName bic }
  login createdAt updatedAt`;

/** Scenarios 1 and 2: an operator lists clients with every personal field and their orders. */
export const OPERATOR_LIST = `query OperatorList($first: Int!) {
  clients(first: $first) { edges { cursor node { ${CLIENT_FIELDS} orders { ${ORDER_FIELDS} } } } pageInfo { hasNextPage endCursor } }
}`;

/** Scenario 3: a partner reads the orders it serves, each disclosure logged. */
export const PARTNER_ORDERS = `query PartnerOrders($first: Int!) {
  partnerOrders(first: $first) { edges { node { ${ORDER_FIELDS} client { id fullName phones residenceAddress ${ADDRESS} } } } }
}`;

/** Scenario 4: a client reads itself with its orders. */
export const ME = `query Me { me { ${CLIENT_FIELDS} orders { ${ORDER_FIELDS} } } }`;

/**
 * The shapes a user compares (issue 9's table): names, IIN, phones, e-mails, IBANs, residence city,
 * 3 orders each (test/ops/bench-queries.test.ts holds the selection to that list).
 */
const SHAPE_ORDER_FIELDS = 'id status amount createdAt';
const SHAPE_CLIENT_FIELDS = `id surname firstName patronymic iin phones emails bankAccounts { iban } residenceAddress { city }
  orders(first: 3) { ${SHAPE_ORDER_FIELDS} }`;

/** The first `first` clients in the list's default order (creation time, then id). */
export const SHAPE_LIST = `query ShapeList($first: Int!) { clients(first: $first) { edges { node { ${SHAPE_CLIENT_FIELDS} } } } }`;

/** One client by id. */
export const SHAPE_BY_ID = `query ShapeById($id: ID!) { client(id: $id) { ${SHAPE_CLIENT_FIELDS} } }`;

/**
 * The floor's one statement per shape: the same rows, shaped like the API's `node`s (the same keys,
 * the amount as the API formats it, times as ISO strings), each client's newest 3 orders as JSON.
 */
const SHAPE_SELECT = `select c.id, c.surname, c.first_name as "firstName", c.patronymic, c.iin, c.phones, c.emails,
         coalesce((select json_agg(json_build_object('iban', b->>'iban')) from jsonb_array_elements(c.bank_accounts) b), '[]') as "bankAccounts",
         case when c.residence_address is null then null else json_build_object('city', c.residence_address->>'city') end as "residenceAddress",
         coalesce(o.orders, '[]') as orders
    from client c
    left join lateral (
      select json_agg(json_build_object(
               'id', x.id, 'status', x.status,
               'amount', case when x.amount_tiyn < 0 then '-' else '' end || (abs(x.amount_tiyn) / 100)::text || '.' || lpad((abs(x.amount_tiyn) % 100)::text, 2, '0'),
               'createdAt', to_char(x.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
             order by x.created_at desc, x.id desc) as orders
        from (select id, status, amount_tiyn, created_at from client_order
               where client_id = c.id order by created_at desc, id desc limit 3) x) o on true`;

export const FLOOR_SHAPE_SQL = {
  list: `${SHAPE_SELECT} order by c.created_at asc, c.id asc limit $1`,
  byId: `${SHAPE_SELECT} where c.id = $1`,
};

/** Scenario 5: the floor runs scenario 1's statements (client page with consent states, orders) with `pg`. */
export const FLOOR_SQL = {
  page: `select c.*, k.status as consent_status, k.operations, k.purposes
           from client c
           left join lateral (
             select status, operations, purposes from consent
              where client_id = c.id order by recorded_at desc, id desc limit 1) k on true
          where true order by c.created_at asc, c.id asc limit $1`,
  orders: `select t.* from (
             select o.*, row_number() over (partition by o.client_id order by o.created_at desc, o.id desc) as page_rank
               from client_order o where o.client_id = any($1::uuid[])) t
            where t.page_rank <= $2 order by t.created_at desc, t.id desc`,
};
