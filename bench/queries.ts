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
