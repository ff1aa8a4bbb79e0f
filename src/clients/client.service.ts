/** Registration and contact updates: validate everything first, then write in one transaction. */
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, type PasswordHashing } from '../auth/password';
import { evidenceOf, recordInitialConsent } from '../consent/consent.service';
import { SELF_SERVICE_CHANNELS } from '../consent/consent.entity';
import { apiError, badInput } from '../errors';
import type { RequestOrigin } from '../net/http-exchange';
import { loadSubjectState } from '../subjects/subject-state';
import { acceptsNewService } from '../privacy/consent-state';
import * as v from '../validation/validate';
import { Client, ClientKind, ClientStatus, type BankAccount } from './client.entity';
import type { BankAccountInput, RegisterClientInput, UpdateContactsInput } from './client.inputs';

const MAX_PHONES = 5;
const MAX_EMAILS = 5;
const MAX_ACCOUNTS = 5;

function bankAccounts(field: string, accounts: BankAccountInput[]): BankAccount[] {
  if (accounts.length > MAX_ACCOUNTS) throw badInput(field, `must have at most ${MAX_ACCOUNTS} entries`);
  const out = accounts.map((a, i) => ({
    iban: v.iban(`${field}[${i}].iban`, a.iban),
    bankName: v.text(`${field}[${i}].bankName`, a.bankName, 2, 100),
    bic: a.bic ? v.bic(`${field}[${i}].bic`, a.bic) : null,
  }));
  if (new Set(out.map((a) => a.iban)).size !== out.length) throw badInput(field, 'must not repeat an account');
  return out;
}

const ENTITY_ONLY = ['legalForm', 'stateRegistrationDate', 'headFullName', 'kbe', 'vatCertificate'] as const;
// A floor that catches mistyped years while admitting every entity registered in the independent republic.
const FIRST_REGISTRATION_DATE = '1991-01-01';

/** Official requisites of a legal entity besides BIN and legal name; a person may send none of them. */
function entityRequisites(person: boolean, input: RegisterClientInput): Pick<Client, (typeof ENTITY_ONLY)[number]> {
  if (person) {
    const sent = ENTITY_ONLY.find((field) => input[field] !== null && input[field] !== undefined);
    if (sent) throw badInput(sent, 'is only for legal entities');
    return { legalForm: null, stateRegistrationDate: null, headFullName: null, kbe: null, vatCertificate: null };
  }
  if (!input.legalForm) throw badInput('legalForm', 'is required for a legal entity');
  const today = new Date().toISOString().slice(0, 10);
  return {
    legalForm: input.legalForm,
    stateRegistrationDate: v.calendarDate('stateRegistrationDate', input.stateRegistrationDate ?? '', FIRST_REGISTRATION_DATE, today),
    headFullName: v.personName('headFullName', input.headFullName ?? ''),
    kbe: v.kbe('kbe', input.kbe ?? ''),
    vatCertificate: input.vatCertificate ? v.vatCertificate('vatCertificate', input.vatCertificate) : null,
  };
}

/**
 * Registers a client and hands it to `issue` (which signs its token) before the transaction
 * commits, so a failure to issue leaves no account behind.
 */
export async function registerClient<T>(
  em: EntityManager,
  input: RegisterClientInput,
  origin: RequestOrigin,
  issue: (client: Client) => Promise<T>,
  terms: { readonly consentTermYears: number; readonly passwordHashing: PasswordHashing },
): Promise<T> {
  const person = input.kind === ClientKind.PERSON;
  const values = {
    kind: input.kind,
    surname: v.personName('surname', input.surname),
    firstName: v.personName('firstName', input.firstName),
    patronymic: input.patronymic ? v.personName('patronymic', input.patronymic) : null,
    iin: person ? v.iin('iin', input.iin ?? '') : null,
    bin: person ? null : v.bin('bin', input.bin ?? ''),
    legalName: person ? null : v.text('legalName', input.legalName ?? '', 2, 200),
    ...entityRequisites(person, input),
    registrationAddress: input.registrationAddress ? v.address('registrationAddress', input.registrationAddress) : null,
    residenceAddress: input.residenceAddress ? v.address('residenceAddress', input.residenceAddress) : null,
    phones: v.list('phones', input.phones, 1, MAX_PHONES, v.phone),
    emails: v.list('emails', input.emails, 0, MAX_EMAILS, v.email),
    bankAccounts: bankAccounts('bankAccounts', input.bankAccounts),
    login: v.login('login', input.login),
  };
  // Registration is the subject's own act: the record's proof of channel must not claim staff or the server took it.
  if (!SELF_SERVICE_CHANNELS.includes(input.channel)) throw badInput('channel', `must be one of ${SELF_SERVICE_CHANNELS.join(', ')}`);
  if (person && input.bin) throw badInput('bin', 'is only for legal entities');
  if (!person && input.iin) throw badInput('iin', 'is only for natural persons');
  const password = v.password('password', input.password);
  await refuseTaken(em, values);
  const passwordHash = await hashPassword(password, terms.passwordHashing);
  try {
    return await em.transactional(async (tx) => {
      const client = tx.create(Client, { ...values, passwordHash });
      recordInitialConsent(tx, client, { marketing: input.marketing, channel: input.channel, evidence: evidenceOf(origin), termYears: terms.consentTermYears });
      await tx.flush();
      return issue(client);
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw duplicateOf(error);
    throw error;
  }
}

/**
 * A taken login is said plainly: the user must pick another. A registered IIN/BIN is not named:
 * the answer says only that these details cannot be registered. The CONFLICT itself still tells
 * a caller who submits someone's requisites with a fresh login that some requisite is on file;
 * that residual oracle is the price of one account per IIN/BIN (registrations are rate-limited per IP).
 */
const loginTaken = () => apiError('CONFLICT', 'This login is taken', { field: 'login' });
const notRegistrable = () =>
  apiError('CONFLICT', 'These details cannot be registered: if you already have an account, log in or contact support', { reason: 'NOT_REGISTRABLE' });

/**
 * What the database would refuse, asked before the password is hashed: a registration that cannot
 * succeed must not cost an argon2 hash. The unique constraints stay the guard against a race.
 */
async function refuseTaken(em: EntityManager, values: Pick<Client, 'login' | 'iin' | 'bin'>): Promise<void> {
  const taken = await em.getConnection().execute<Array<{ login: boolean }>>(
    `select login = ? as login from client where login = ? or iin = ? or bin = ? limit 2`,
    [values.login, values.login, values.iin, values.bin],
  );
  if (taken.some((row) => row.login)) throw loginTaken();
  if (taken.length > 0) throw notRegistrable();
}

function duplicateOf(error: UniqueConstraintViolationException): Error {
  const constraint = (error as { constraint?: unknown }).constraint;
  if (constraint === 'client_login_unique') return loginTaken();
  if (constraint === 'client_iin_unique' || constraint === 'client_bin_unique') return notRegistrable();
  return error;
}

/** `now`: the instant consent must be in force at (P3 dates count as soon as they pass). */
export async function updateContacts(em: EntityManager, clientId: string, input: UpdateContactsInput, now: Date = new Date()): Promise<Client> {
  const changes: Partial<Client> = {};
  if (input.phones) changes.phones = v.list('phones', input.phones, 1, MAX_PHONES, v.phone);
  if (input.emails) changes.emails = v.list('emails', input.emails, 0, MAX_EMAILS, v.email);
  if (input.residenceAddress) changes.residenceAddress = v.address('residenceAddress', input.residenceAddress);
  if (input.registrationAddress) changes.registrationAddress = v.address('registrationAddress', input.registrationAddress);
  if (input.bankAccounts) changes.bankAccounts = bankAccounts('bankAccounts', input.bankAccounts);
  return em.transactional(async (tx) => {
    // Locked, so an erasure or withdrawal cannot commit between this check and the write.
    const client = await tx.findOneOrFail(Client, { id: clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const state = await loadSubjectState(tx, clientId);
    // P2-P4: collecting data needs consent whose end has not come; an erased or blocked account,
    // or one whose consent was withdrawn or expired (a passed date counts before the job runner
    // records it), takes no new personal data. Open orders holding consent back do not reopen
    // collection: they keep their own contact copy.
    if (client.status !== ClientStatus.ACTIVE || !acceptsNewService(state.consent, now)) {
      throw apiError('FORBIDDEN', 'This account can no longer be changed', { reason: 'NO_SERVICE' });
    }
    tx.assign(client, changes);
    await tx.flush();
    return client;
  });
}
