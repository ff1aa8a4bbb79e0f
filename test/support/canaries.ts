/** Clients whose every personal value is a unique canary string, written straight to the database. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Client, ClientStatus } from '../../src/clients/client.entity';
import { Consent, ConsentEventKind } from '../../src/consent/consent.entity';
import { Order, OrderStatus } from '../../src/orders/order.entity';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../../src/privacy/categories';
import type { ConsentStatus } from '../../src/privacy/consent-state';
import { validIban, validIin } from './fixtures';

export type SubjectState = 'ACTIVE' | 'WITHDRAWN' | 'ERASED';

export interface Canary {
  readonly client: Client;
  readonly order: Order;
  /** Every personal value stored for this client, to search responses and logs for. */
  readonly values: string[];
}

let serial = 0;

export async function createCanaryClient(em: EntityManager, state: SubjectState): Promise<Canary> {
  serial += 1;
  const tag = `${state}${randomBytes(3).toString('hex')}`.replace(/[0-9]/g, (d) => 'qwertyuiop'[Number(d)]!);
  const digits = String(1_000_000 + Math.floor(Math.random() * 8_999_999));
  const address = (kind: string) => ({
    country: 'KZ',
    region: `${kind}region${tag}`,
    city: `${kind}city${tag}`,
    street: `${kind}street${tag}`,
    building: `b${tag}`,
    apartment: `a${tag}`,
    postalCode: String(100000 + serial * 7 + (kind === 'reg' ? 1 : 2)).slice(0, 6),
  });
  const client = em.create(Client, {
    surname: `Surname${tag}`,
    firstName: `First${tag}`,
    patronymic: `Patr${tag}`,
    iin: validIin(9000 + serial),
    registrationAddress: address('reg'),
    residenceAddress: address('res'),
    phones: [`+7701${digits}`],
    emails: [`canary.${tag.toLowerCase()}@mail.kz`],
    bankAccounts: [{ iban: validIban(`${serial}${digits}`), bankName: 'Kaspi Bank', bic: 'CASPKZKA' }],
    login: `login.${tag.toLowerCase()}`,
    status: state === 'ERASED' ? ClientStatus.ERASED : ClientStatus.ACTIVE,
  });
  const consentStatus: ConsentStatus = state === 'WITHDRAWN' ? 'WITHDRAWN' : 'ACTIVE';
  em.create(Consent, {
    client,
    kind: state === 'WITHDRAWN' ? ConsentEventKind.WITHDRAWN : ConsentEventKind.GIVEN,
    status: consentStatus,
    policyVersion: 'test',
    policyTextHash: 'test',
    operations: [...CONSENT_OPERATIONS],
    purposes: [...CONSENT_PURPOSES],
  });
  const order = em.create(Order, {
    client,
    amountTiyn: 123456,
    items: [{ name: 'Item', quantity: 1, priceTiyn: 123456 }],
    status: OrderStatus.PAID,
    contactPhone: `+7702${digits}`,
    contactEmail: `order.${tag.toLowerCase()}@inbox.kz`,
    deliveryAddress: address('dlv'),
  });
  await em.flush();
  const values = [
    client.surname!, client.firstName!, client.patronymic!, client.iin!, client.login!,
    ...client.phones, ...client.emails, client.bankAccounts[0]!.iban,
    client.registrationAddress!.street!, client.residenceAddress!.street!, order.contactPhone!, order.contactEmail!,
    order.deliveryAddress!.street!,
  ];
  return { client, order, values };
}
