/** Registration and contact updates: validate everything first, then write in one transaction. */
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../auth/password';
import { evidenceOf, recordInitialConsent } from '../consent/consent.service';
import { apiError, badInput, conflict } from '../errors';
import type { RequestOrigin } from '../graphql/context';
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

export async function registerClient(em: EntityManager, input: RegisterClientInput, origin: RequestOrigin): Promise<Client> {
  const person = input.kind === ClientKind.PERSON;
  const values = {
    kind: input.kind,
    surname: v.personName('surname', input.surname),
    firstName: v.personName('firstName', input.firstName),
    patronymic: input.patronymic ? v.personName('patronymic', input.patronymic) : null,
    iin: person ? v.iin('iin', input.iin ?? '') : null,
    bin: person ? null : v.bin('bin', input.bin ?? ''),
    legalName: person ? null : v.text('legalName', input.legalName ?? '', 2, 200),
    registrationAddress: input.registrationAddress ? v.address('registrationAddress', input.registrationAddress) : null,
    residenceAddress: input.residenceAddress ? v.address('residenceAddress', input.residenceAddress) : null,
    phones: v.list('phones', input.phones, 1, MAX_PHONES, v.phone),
    emails: v.list('emails', input.emails, 0, MAX_EMAILS, v.email),
    bankAccounts: bankAccounts('bankAccounts', input.bankAccounts),
    login: v.login('login', input.login),
  };
  if (person && input.bin) throw badInput('bin', 'is only for legal entities');
  if (!person && input.iin) throw badInput('iin', 'is only for natural persons');
  const passwordHash = await hashPassword(v.password('password', input.password));
  try {
    return await em.transactional(async (tx) => {
      const client = tx.create(Client, { ...values, passwordHash });
      recordInitialConsent(tx, client, { marketing: input.marketing, channel: input.channel, evidence: evidenceOf(origin) });
      await tx.flush();
      return client;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      // Say which kind of value clashed, never the value itself.
      const field = /login/.test(error.message) ? 'login' : person ? 'iin' : 'bin';
      throw conflict(field === 'login' ? 'This login is taken' : 'A client with these requisites is already registered');
    }
    throw error;
  }
}

export async function updateContacts(em: EntityManager, clientId: string, input: UpdateContactsInput): Promise<Client> {
  const changes: Partial<Client> = {};
  if (input.phones) changes.phones = v.list('phones', input.phones, 1, MAX_PHONES, v.phone);
  if (input.emails) changes.emails = v.list('emails', input.emails, 0, MAX_EMAILS, v.email);
  if (input.residenceAddress) changes.residenceAddress = v.address('residenceAddress', input.residenceAddress);
  if (input.registrationAddress) changes.registrationAddress = v.address('registrationAddress', input.registrationAddress);
  if (input.bankAccounts) changes.bankAccounts = bankAccounts('bankAccounts', input.bankAccounts);
  return em.transactional(async (tx) => {
    const client = await tx.findOneOrFail(Client, { id: clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // An erased (P4) or blocked account takes no new personal data.
    if (client.status !== ClientStatus.ACTIVE) throw apiError('FORBIDDEN', 'This account can no longer be changed', { reason: 'NO_SERVICE' });
    tx.assign(client, changes);
    await tx.flush();
    return client;
  });
}
