/** Clients whose every personal value is a unique canary string, written straight to the database. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes, randomInt } from 'node:crypto';
import { Client, ClientKind, ClientStatus, LegalForm } from '../../src/clients/client.entity';
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { iinCheckDigit } from '../../src/kz/identifiers';
import { Order, OrderStatus } from '../../src/orders/order.entity';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES, type ConsentPurpose } from '../../src/privacy/categories';
import type { ConsentStatus } from '../../src/privacy/consent-state';
import { validIban, validIin } from './fixtures';
import { DAY } from './world';

/**
 * The subject's consent history, as its records say:
 * - ACTIVE: given, every purpose;
 * - WITHDRAWAL_PENDING: a withdrawal noticed, effective in about three months (still in force, P3);
 * - NARROWED: opted out of marketing (P2 purpose 7), everything else as given;
 * - WITHDRAWN, EXPIRED: consent ended;
 * - ERASED: the client row marked erased while its values are still stored, to prove the guard alone hides them.
 */
export type SubjectState = 'ACTIVE' | 'WITHDRAWAL_PENDING' | 'NARROWED' | 'WITHDRAWN' | 'EXPIRED' | 'ERASED';

export interface Canary {
  readonly client: Client;
  readonly order: Order;
  /** Every personal value stored for this client, to search responses and logs for. */
  readonly values: string[];
  /** The order's item names: kept with the order for accounting, so listed apart from `values`. */
  readonly itemNames: string[];
}

let serial = 0;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters = (n: number) => Array.from({ length: n }, () => LETTERS[randomInt(LETTERS.length)]).join('');

/** A valid BIN (legal entity registered 2019-03), unique per call. */
function validBin(n: number): string {
  for (let bump = 0; bump < 100; bump++) {
    const first11 = `19034${String((n * 7 + bump) % 1_000_000).padStart(6, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no valid BIN found');
}

type ConsentRecord = { kind: ConsentEventKind; status: ConsentStatus; purposes?: ConsentPurpose[]; withdrawalEffectiveAt?: Date; expiresAt?: Date };

function consentHistory(state: SubjectState, now: number): ConsentRecord[] {
  const given: ConsentRecord = { kind: ConsentEventKind.GIVEN, status: 'ACTIVE' };
  switch (state) {
    case 'WITHDRAWAL_PENDING':
      return [given, { kind: ConsentEventKind.WITHDRAWAL_REQUESTED, status: 'WITHDRAWAL_PENDING', withdrawalEffectiveAt: new Date(now + 100 * DAY) }];
    case 'NARROWED':
      return [given, { kind: ConsentEventKind.PURPOSES_NARROWED, status: 'ACTIVE', purposes: CONSENT_PURPOSES.filter((p) => p !== 'MARKETING') }];
    case 'WITHDRAWN':
      return [{ kind: ConsentEventKind.WITHDRAWN, status: 'WITHDRAWN', withdrawalEffectiveAt: new Date(now - DAY) }];
    case 'EXPIRED':
      return [given, { kind: ConsentEventKind.EXPIRED, status: 'EXPIRED', expiresAt: new Date(now - DAY) }];
    default:
      return [given];
  }
}

export async function createCanaryClient(em: EntityManager, state: SubjectState, kind: ClientKind = ClientKind.PERSON): Promise<Canary> {
  serial += 1;
  const prefix = kind === ClientKind.ENTITY ? 'ENTITY' : state.replace('_', '');
  const tag = `${prefix}${randomBytes(3).toString('hex')}`.replace(/[0-9]/g, (d) => 'qwertyuiop'[Number(d)]!);
  const digits = String(1_000_000 + randomInt(8_999_999));
  const address = (k: string) => ({
    country: 'KZ',
    region: `${k}region${tag}`,
    city: `${k}city${tag}`,
    street: `${k}street${tag}`,
    building: `${k}b${tag}`,
    apartment: `${k}a${tag}`,
    postalCode: String(randomInt(100_000, 1_000_000)),
  });
  const person = kind === ClientKind.PERSON;
  const client = em.create(Client, {
    kind,
    surname: person ? `Surname${tag}` : null,
    firstName: person ? `First${tag}` : null,
    patronymic: person ? `Patr${tag}` : null,
    iin: person ? validIin(9000 + serial) : null,
    bin: person ? null : validBin(serial),
    legalName: person ? null : `ТОО «Canary${tag}»`,
    legalForm: person ? null : LegalForm.LLP,
    stateRegistrationDate: person ? null : '2019-03-14',
    headFullName: person ? null : `Head${tag} First${tag}`,
    kbe: person ? null : '17',
    vatCertificate: person ? null : `6${digits}${String(randomInt(1000, 10000))}`,
    registrationAddress: address('reg'),
    residenceAddress: person ? address('res') : null,
    phones: [`+7701${digits}`],
    emails: [`canary.${tag.toLowerCase()}@mail.kz`],
    // A person's BIC is BIC-shaped (a masked view keeps it); an entity's is free text (a masked view drops it).
    bankAccounts: [{ iban: validIban(`${serial}${digits}`), bankName: `Bank${tag}`, bic: person ? `${letters(4)}KZ${letters(2)}` : `bic ${tag}` }],
    login: `login.${tag.toLowerCase()}`,
    status: state === 'ERASED' ? ClientStatus.ERASED : ClientStatus.ACTIVE,
  });
  const now = Date.now();
  consentHistory(state, now).forEach((record, i) => {
    em.create(Consent, {
      client,
      kind: record.kind,
      status: record.status,
      policyVersion: 'test',
      policyTextHash: 'test',
      operations: [...CONSENT_OPERATIONS],
      purposes: [...(record.purposes ?? CONSENT_PURPOSES)],
      withdrawalEffectiveAt: record.withdrawalEffectiveAt ?? null,
      expiresAt: record.expiresAt ?? null,
      recordedAt: new Date(now - 1000 + i),
    });
  });
  const order = em.create(Order, {
    client,
    amountTiyn: 123456,
    items: [{ name: `Item${tag}`, quantity: 1, priceTiyn: 123456 }],
    status: OrderStatus.PAID,
    contactPhone: `+7702${digits}`,
    contactEmail: `order.${tag.toLowerCase()}@inbox.kz`,
    deliveryAddress: address('dlv'),
  });
  await em.flush();
  const b = client.bankAccounts[0]!;
  const leaves = (a: Client['residenceAddress']) => (a ? [a.street!, a.building!, a.apartment!, a.postalCode!] : []);
  const values = [
    client.surname, client.firstName, client.patronymic, client.iin, client.bin, client.legalName, client.headFullName, client.vatCertificate, client.login,
    ...client.phones, ...client.emails, b.iban, b.bankName, b.bic,
    ...leaves(client.registrationAddress), ...leaves(client.residenceAddress),
    order.contactPhone, order.contactEmail, ...leaves(order.deliveryAddress),
  ].filter((v): v is string => typeof v === 'string');
  return { client, order, values, itemNames: order.items.map((i) => i.name) };
}
