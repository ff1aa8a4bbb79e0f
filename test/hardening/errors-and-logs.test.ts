/**
 * Error and log hygiene: the whole API flow runs with canary values at log level debug; no error
 * message and no log line carries any of them, nor a stack trace or SQL. GraphQL's own coercion,
 * validation and syntax messages, which quote what the caller sent, are included.
 */
import { randomBytes } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { DriverException } from '@mikro-orm/core';
import { GraphQLError, locatedError } from 'graphql';
import { isDatabaseUnavailable } from '../../src/db/outage';
import { createFormatError, wholeSentences, withoutValues } from '../../src/graphql/format-error';
import { runJobs } from '../../src/jobs/run-jobs';
import { scrubPostgresLine } from '../../src/logger';
import { assignOrder, gqlOk, issuePartnerToken, registerPartnerWithContract } from '../support/disclosure';
import { errorCodes } from '../support/server';
import { captureLog } from '../support/logs';
import type { Canary } from '../support/canaries';
import { validIban, validIin } from '../support/fixtures';
import { useWorld } from '../support/world';

const letters = (n: number) => Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26]).join('');
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

const tag = letters(10);
const canary = {
  surname: `Zsur${tag}`,
  firstName: `Zfirst${tag}`,
  patronymic: `Zpatr${tag}`,
  iin: validIin(Number(digits(4))),
  phone: `+7701${digits(7)}`,
  phone2: `+7705${digits(7)}`,
  email: `zmail${tag}@mail.kz`,
  email2: `zmailtwo${tag}@inbox.kz`,
  iban: validIban(digits(13)),
  login: `zlogin.${tag}`,
  password: `zpassword-${tag}-secret`,
  newPassword: `znewpassword-${tag}-secret`,
  notice: `Znotice${tag}`,
  street: `Zstreet${tag}`,
  orderStreet: `Zdelivery${tag}`,
  orderPhone: `+7707${digits(7)}`,
  /** Sent where a value does not fit, to be echoed by GraphQL's own messages. */
  wrongType: `Zwrong${tag}`,
  unknownKey: `Zkey${tag}`,
  enumLiteral: `Zenum${tag}`,
  syntax: `Zsyntax${tag}`,
};
const CANARIES = Object.values(canary);

const address = (street: string) => ({ country: 'KZ', region: 'Алматы', city: 'Алматы', street, building: '1', apartment: '2', postalCode: '050000' });
const REGISTER = `mutation Register($input: RegisterClientInput!) { registerClient(input: $input) { clientId token } }`;
const ALL_CLIENT_FIELDS = `id surname firstName patronymic fullName iin login phones emails bankAccounts { iban bankName bic }
  residenceAddress { country city street } orders { id contactPhone contactEmail deliveryAddress { street } }`;

const { log, lines } = captureLog('debug');
const world = useWorld({ env: { LOG_LEVEL: 'debug' }, log });
const errorBodies: string[] = [];
let requests = 0;

async function call(query: string, variables: Record<string, unknown> = {}, token?: string | null) {
  requests += 1;
  const response = await world.gql(query, variables, token);
  if (response.body?.errors) errorBodies.push(JSON.stringify(response.body.errors));
  return response;
}


describe('the whole flow with canary values', () => {
  let token: string;
  let operator: string;
  let clientId: string;
  let orderId: string;
  /** Secrets handed out on the way: none may reach a log line either. */
  const secrets: string[] = [];

  it('register, log in, read, update contacts, order, list: works', async () => {
    const input = {
      kind: 'PERSON',
      surname: canary.surname,
      firstName: canary.firstName,
      patronymic: canary.patronymic,
      iin: canary.iin,
      residenceAddress: address(canary.street),
      phones: [canary.phone],
      emails: [canary.email],
      bankAccounts: [{ iban: canary.iban, bankName: 'Kaspi Bank', bic: 'CASPKZKA' }],
      login: canary.login,
      password: canary.password,
    };
    const registered = await call(REGISTER, { input });
    expect(registered.body.errors).toBeUndefined();
    clientId = registered.body.data!.registerClient.clientId;
    const login = await call('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: canary.login, p: canary.password });
    expect(login.body.errors).toBeUndefined();
    token = login.body.data!.login.token;
    expect((await call(`{ me { ${ALL_CLIENT_FIELDS} } }`, {}, token)).body.data!.me.surname).toBe(canary.surname);
    const updated = await call('mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { phones emails } }', { i: { phones: [canary.phone, canary.phone2], emails: [canary.email2] } }, token);
    expect(updated.body.errors).toBeUndefined();
    const order = await call(
      'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id contactPhone } }',
      { i: { items: [{ name: 'Кофе', quantity: 1, priceTiyn: 100000 }], contactPhone: canary.orderPhone, deliveryAddress: address(canary.orderStreet) } },
      token,
    );
    expect(order.body.errors).toBeUndefined();
    orderId = order.body.data!.placeOrder.id;
    operator = world.tokens.operator;
    const list = await call(`query($s: String) { clients(first: 10, filter: { surname: $s }) { edges { node { ${ALL_CLIENT_FIELDS} } } } }`, { s: canary.surname }, operator);
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data!.clients.edges).toHaveLength(1);
  });

  it('errors on the way: every one has a stable code and none quotes what was sent', async () => {
    const expectCodes = async (expected: string[], query: string, variables: Record<string, unknown> = {}, as?: string | null) =>
      expect(errorCodes((await call(query, variables, as)).body)).toEqual(expected);
    // Duplicate login; a wrong password; a value our validators refuse.
    const again = { kind: 'PERSON', surname: canary.surname, firstName: canary.firstName, iin: validIin(Number(digits(4))), phones: [canary.phone], login: canary.login, password: canary.password };
    await expectCodes(['CONFLICT'], REGISTER, { input: again });
    await expectCodes(['UNAUTHENTICATED'], 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: canary.login, p: `${canary.password}x` });
    await expectCodes(['BAD_USER_INPUT'], 'mutation($i: UpdateContactsInput!) { updateMyContacts(input: $i) { id } }', { i: { phones: [canary.wrongType] } }, token);
    // GraphQL's own variable coercion: wrong type, unknown input field, a personal value where an Int goes.
    await expectCodes(['BAD_USER_INPUT'], 'query($n: Int!) { clients(first: $n) { totalCount } }', { n: canary.wrongType }, operator);
    await expectCodes(['BAD_USER_INPUT'], 'query($n: Int!) { clients(first: $n) { totalCount } }', { n: Number(canary.iin) }, operator);
    await expectCodes(['BAD_USER_INPUT'], REGISTER, { input: { ...again, [canary.unknownKey]: canary.email } });
    await expectCodes(['BAD_USER_INPUT'], REGISTER, { input: { ...again, phones: canary.iin, surname: 7 } });
    await expectCodes(['BAD_USER_INPUT'], 'query($f: ClientFilter) { clients(filter: $f) { totalCount } }', { f: { status: canary.enumLiteral } }, operator);
    // Literals in the document: validation and syntax messages.
    await expectCodes(['GRAPHQL_VALIDATION_FAILED'], `{ clients(first: "${canary.wrongType}") { totalCount } }`, {}, operator);
    await expectCodes(['GRAPHQL_VALIDATION_FAILED'], `{ clients(filter: { surname: ${canary.iin} }) { totalCount } }`, {}, operator);
    await expectCodes(['GRAPHQL_VALIDATION_FAILED'], `{ clients(filter: { status: ${canary.enumLiteral} }) { totalCount } }`, {}, operator);
    await expectCodes(['GRAPHQL_VALIDATION_FAILED'], `{ ${canary.unknownKey} }`);
    await expectCodes(['GRAPHQL_PARSE_FAILED'], `{ me { id "${canary.syntax}" } }`, {}, token);
    await expectCodes(['GRAPHQL_PARSE_FAILED'], `{ me { id ${canary.phone} } }`, {}, token);
    // A token that is not one.
    await expectCodes(['UNAUTHENTICATED'], '{ me { id } }', {}, `${token.slice(0, -4)}AAAA`);
    expect(errorBodies.length).toBeGreaterThanOrEqual(15);
  });

  it('partner and authority disclosure, export, withdrawal, compromise, erasure and a job run: work', async () => {
    const dpo = world.tokens.dpo;
    const ok = async (query: string, variables: Record<string, unknown>, as: string) => {
      const response = await call(query, variables, as);
      expect(response.body.errors).toBeUndefined();
      return response.body.data!;
    };
    // A partner serving the order reads it: a disclosure logged (P5.1).
    const partner = await registerPartnerWithContract(world, dpo, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
    await assignOrder(world.em(), { order: { id: orderId } } as Canary, partner.partnerId);
    const { token: partnerToken } = await issuePartnerToken(world, dpo, partner.contractId, ['FULL_NAME', 'PHONE', 'ORDER_CONTACT']);
    const served = await ok('{ partnerOrders(first: 10) { edges { node { id contactPhone client { fullName phones } } } } }', {}, partnerToken);
    expect(JSON.stringify(served)).toContain(canary.orderPhone);
    // An authority with a lawful request reads the subject (P5.2).
    const { registerLawfulRequest } = await gqlOk(world, 'mutation($input: RegisterLawfulRequestInput!) { registerLawfulRequest(input: $input) { id } }', {
      input: {
        issuingBody: 'Агентство по финансовому мониторингу РК', documentNumber: 'AFM-2026/78', documentDate: '2026-11-01', legalBasis: 'Закон РК о ПОД/ФТ, ст. 13',
        subjectIds: [clientId], categories: ['FULL_NAME', 'PHONE'], expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    }, dpo);
    const { issueAuthorityToken } = await ok('mutation($r: ID!) { issueAuthorityToken(requestId: $r, ttl: 600) { token } }', { r: registerLawfulRequest.id }, dpo);
    const authority = await ok('{ authorityRequestSubjects(first: 10) { edges { node { id fullName phones } } } }', {}, issueAuthorityToken.token);
    expect(JSON.stringify(authority)).toContain(canary.phone);
    // The client's export names both disclosures (P6).
    const exported = await ok('{ myData { client { surname phones iin } disclosures { recipientKind } } }', {}, token);
    expect(exported.myData.client.iin).toBe(canary.iin);
    // A written withdrawal notice (P3): only its hash is kept.
    await ok('mutation($n: String!) { requestConsentWithdrawal(notice: $n) { status } }', { n: canary.notice }, token);
    // Suspected compromise, then a password change with the one-time reset token (P7).
    await ok('mutation { reportSuspectedCompromise }', {}, token);
    const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';
    const required = await call(LOGIN, { l: canary.login, p: canary.password });
    expect(errorCodes(required.body)).toEqual(['PASSWORD_CHANGE_REQUIRED']);
    const resetToken = String(required.body.errors![0]!.extensions!.resetToken);
    await ok('mutation($t: String!, $p: String!) { changePassword(resetToken: $t, newPassword: $p) }', { t: resetToken, p: canary.newPassword }, '');
    token = (await ok(LOGIN, { l: canary.login, p: canary.newPassword }, '')).login.token;
    // Erasure on the client's request, executed by the DPO (P4).
    await ok('mutation { requestErasure { id } }', {}, token);
    await ok('mutation($id: ID!) { eraseClient(clientId: $id, basis: SUBJECT_REQUEST) { id } }', { id: clientId }, dpo);
    // The job runner, now and a year on, logging to the same captured log.
    for (const offset of [0, 366 * 24 * 3600_000]) {
      await runJobs({ em: world.em(), log, now: () => new Date(Date.now() + offset), throttleSecret: world.config.jwt.secret });
    }
    secrets.push(dpo, partnerToken, issueAuthorityToken.token, resetToken, token);
  });

  it('no error message carries a canary, a stack trace or SQL', () => {
    const errors = errorBodies.join('\n');
    // A field name the caller typed is its own document, quoted back to it (never logged: see the log test).
    expect(errors).toContain(`Cannot query field \\"${canary.unknownKey}\\" on type \\"Query\\".`);
    for (const value of CANARIES.filter((v) => v !== canary.unknownKey)) expect(errors).not.toContain(value);
    expect(errors).not.toMatch(/\bat .+\.(js|ts):\d+|stacktrace|select |insert into|update "|client_order/i);
  });

  it('no log line carries a canary or the bearer token, at level debug', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.length).toBeGreaterThan(10);
    const text = lines.join('\n');
    for (const value of [...CANARIES, ...secrets, token, operator]) expect(text).not.toContain(value);
    // Every step above logged something: the net was cast over the whole flow.
    expect(requests).toBeGreaterThanOrEqual(30);
    expect(lines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(requests);
  });
});

describe('withoutValues and the formatter', () => {
  const vocabulary = new Set(['Query', 'clients', 'Client', 'String', 'Int', 'ClientStatus', 'RegisterClientInput', 'input', 'phones']);

  it('keeps schema names and variable references, cuts every value', () => {
    expect(withoutValues('Variable "$input" got invalid value "Zsecret" at "input.phones[0]"; String cannot represent a non string value: 870412300123', vocabulary))
      .toBe('Variable "$input" got invalid value at "input.phones[0]"; String cannot represent a non string value.');
    expect(withoutValues('Field "Zsecret" is not defined by type "RegisterClientInput".', vocabulary)).toBe('Field <value> is not defined by type "RegisterClientInput".');
    expect(withoutValues('Value "Zsecret" does not exist in "ClientStatus" enum.', vocabulary)).toBe('Value <value> does not exist in "ClientStatus" enum.');
    expect(withoutValues('Expected value of type "Int", found {iin: 870412300123}; oops', vocabulary)).toBe('Expected value of type "Int", found <value>.');
    expect(withoutValues("Unable to parse 'Zsecret' as DateTime", vocabulary)).toBe('Unable to parse <value> as DateTime');
    expect(withoutValues('Cannot query field "Zsecret" on type "Query".', vocabulary)).toBe('Cannot query field <value> on type "Query".');
  });

  it('a long message is cut after a whole sentence, or else after a whole word', () => {
    expect(wholeSentences('One. Two three.', 10)).toBe('One.');
    expect(wholeSentences('Onelongword twolongword', 15)).toBe('Onelongword…');
    expect(wholeSentences('Short.', 10)).toBe('Short.');
  });

  it('an unexpected error is INTERNAL_SERVER_ERROR with a fixed message; its text goes neither out nor to the log', () => {
    const { log: captured, lines: logged } = captureLog('debug');
    const format = createFormatError(captured);
    const inner = new Error(`insert into "client" values ('${canary.surname}')`);
    const wrapped = new GraphQLError(`Context creation failed: ${inner.message}`, { originalError: inner });
    const out = format({ message: wrapped.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
    expect(out).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged.join('\n')).not.toContain(canary.surname);
  });

  it('what the driver says during an outage is SERVICE_UNAVAILABLE, a wrong query is not', () => {
    const format = createFormatError(captureLog('debug').log);
    const code = (inner: Error): unknown => {
      // MikroORM's wrapper as the resolver throws it, inside graphql-js's located error.
      const driver = new DriverException(inner);
      return format({ message: driver.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError(driver.message, { originalError: driver })).extensions?.code;
    };
    const withCode = (message: string, sqlState: string) => Object.assign(new Error(message), { code: sqlState });
    for (const inner of [
      new Error('Connection terminated unexpectedly'),
      new Error('Connection ended unexpectedly'),
      new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'),
      new Error('Client was closed and is not queryable'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    ]) expect([inner.message, code(inner)]).toEqual([inner.message, 'SERVICE_UNAVAILABLE']);
    // A socket error from Node's realm is no `instanceof Error` here: graphql-js wraps it as a thrown value.
    const foreign = runInNewContext("Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })") as Error;
    expect(foreign instanceof Error).toBe(false);
    expect(isDatabaseUnavailable(foreign)).toBe(true);
    const located = locatedError(foreign, undefined, ['me']);
    expect(format({ message: located.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, located).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(code(withCode('column "nope" does not exist', '42703'))).toBe('INTERNAL_SERVER_ERROR');
    expect(code(new Error('Cannot read properties of undefined'))).toBe('INTERNAL_SERVER_ERROR');
  });

  it('the logger censors personal keys and error messages wherever a caller puts them', () => {
    const { log: captured, lines: logged } = captureLog('debug');
    captured.info({ input: { surname: canary.surname }, client: { phone: canary.phone, iin: canary.iin }, err: new Error(canary.email) }, 'oops');
    captured.debug({ postgres: `ERROR: duplicate key value violates unique constraint DETAIL: Key (login)=(${canary.login}) already exists.` });
    captured.warn({ postgres: `ERROR:  invalid input syntax for type uuid: "${canary.surname}"` });
    captured.warn({ knex: `Connection Error: error: value too long for '${canary.phone}' at (iin)=(${canary.iin}` });
    const text = logged.join('\n');
    for (const value of [canary.surname, canary.phone, canary.iin, canary.email, canary.login]) expect(text).not.toContain(value);
  });

  it("PostgreSQL's messages keep their kind and lose every quoted value", () => {
    expect(scrubPostgresLine(`ERROR:  invalid input syntax for type uuid: "${canary.surname}"`)).toBe('ERROR:  invalid input syntax for type uuid: <value>');
    expect(scrubPostgresLine(`ERROR: new row violates check constraint "c" (iin)=(${canary.iin})`)).toBe('ERROR: new row violates check constraint <value> (iin)=(<value>)');
    expect(scrubPostgresLine(`value '${canary.email}`)).toBe('value <value>');
  });
});
