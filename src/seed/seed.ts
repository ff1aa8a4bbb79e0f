/**
 * Demo data: deterministic from a seed (ids included; times relative to `now`), fed to `npm start`
 * on an empty database, to tests and to the benchmark. Every demo account shares one password,
 * hashed once (its salt is the only random part).
 */
import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { hashPassword, STANDARD_HASHING, type PasswordHashing } from '../auth/password';
import { Client, ClientKind, type LegalForm } from '../clients/client.entity';
import { Consent, ConsentChannel, ConsentEventKind } from '../consent/consent.entity';
import { Order, OrderStatus } from '../orders/order.entity';
import { LawfulRequest } from '../disclosure/lawful-request.entity';
import { Contract } from '../partners/contract.entity';
import { Partner } from '../partners/partner.entity';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES } from '../privacy/categories';
import { privacyPolicy } from '../notice/notice';
import { createRng, generateAccountOrders, generateBin, generateDemoClients, generateUuid, type DemoOrder } from './demo-data';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_LOGIN = 'demo.client';

export interface SeedResult {
  readonly clients: number;
  readonly firstClientId: string | null;
  readonly partnerIds: string[];
  /** One contract per partner, in the order of `partnerIds`. */
  readonly contractIds: string[];
  /** A demo lawful request over the first three clients (P5.2). */
  readonly lawfulRequestId: string | null;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** Long enough that the tokens `npm start` prints keep working on a database seeded years ago. */
const DEMO_VALIDITY = 10 * YEAR;

/** A calendar day in Kazakhstan time (UTC+5), as contracts record it. */
const kzDate = (at: number): string => new Date(at + 5 * 3_600_000).toISOString().slice(0, 10);
const BATCH = 1000;

export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(Client, {})) === 0;
}

export async function seedDemoData(
  em: EntityManager,
  options: { count: number; seed: number; now?: Date; passwordHashing?: PasswordHashing },
): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const demo = generateDemoClients(options.count, options.seed);
  const random = createRng(options.seed + 1);
  // Ids from their own stream, so adding a row kind does not change the other values.
  const ids = createRng(options.seed + 2);
  const id = () => generateUuid(ids);
  const passwordHash = await hashPassword(DEMO_PASSWORD, options.passwordHashing ?? STANDARD_HASHING);
  const policy = privacyPolicy();
  const bins = new Set<string>();
  const partners = [
    { id: id(), name: 'ТОО «Жедел Жеткізу»', bin: generateBin(random, '1803', '4', bins), createdAt: now },
    { id: id(), name: 'АО «Алем Логистик»', bin: generateBin(random, '0501', '4', bins), createdAt: now },
  ];
  const at = now.getTime();
  // A courier sees what a delivery needs; the logistics contract has lapsed (a partner outside its period).
  const contracts: RequiredEntityData<Contract>[] = [
    {
      id: id(), partner: partners[0]!.id, number: 'AG-2025/014', validFrom: kzDate(at - YEAR), validTo: kzDate(at + DEMO_VALIDITY),
      categories: ['FULL_NAME', 'PHONE', 'RESIDENCE_ADDRESS', 'ORDER_CONTACT'], purposes: ['CONTRACT_PERFORMANCE', 'THIRD_PARTY_OBLIGATIONS'], createdAt: now,
    },
    {
      id: id(), partner: partners[1]!.id, number: 'TP-2024/102', validFrom: kzDate(at - 2 * YEAR), validTo: kzDate(at - 30 * DAY),
      categories: ['FULL_NAME', 'ORDER_CONTACT'], purposes: ['THIRD_PARTY_OBLIGATIONS'], createdAt: now,
    },
  ];
  const clients: RequiredEntityData<Client>[] = [];
  const orders: RequiredEntityData<Order>[] = [];
  const order = (o: DemoOrder, clientId: string, orderId: string, partner: string | null): RequiredEntityData<Order> => {
    const orderAt = new Date(now.getTime() - o.createdDaysAgo * DAY);
    const status = o.status as OrderStatus;
    return {
      id: orderId,
      client: clientId,
      partner,
      amountTiyn: o.amountTiyn,
      items: o.items,
      status,
      contactPhone: o.contactPhone,
      contactEmail: o.contactEmail,
      deliveryAddress: o.deliveryAddress,
      createdAt: orderAt,
      completedAt: status === OrderStatus.COMPLETED ? new Date(orderAt.getTime() + 3 * DAY) : null,
    };
  };
  const consents: RequiredEntityData<Consent>[] = [];
  demo.forEach((d, i) => {
    const clientId = id();
    const createdAt = new Date(now.getTime() - (options.count - i) * 60_000 - 400 * DAY);
    clients.push({
      id: clientId,
      kind: d.kind === 'PERSON' ? ClientKind.PERSON : ClientKind.ENTITY,
      surname: d.surname,
      firstName: d.firstName,
      patronymic: d.patronymic,
      iin: d.iin,
      bin: d.bin,
      legalName: d.legalName,
      legalForm: d.legalForm as LegalForm | null,
      stateRegistrationDate: d.stateRegistrationDate,
      headFullName: d.headFullName,
      kbe: d.kbe,
      vatCertificate: d.vatCertificate,
      registrationAddress: d.registrationAddress,
      residenceAddress: d.residenceAddress,
      phones: d.phones,
      emails: d.emails,
      bankAccounts: d.bankAccounts,
      login: i === 0 ? DEMO_LOGIN : d.login,
      passwordHash,
      createdAt,
      updatedAt: createdAt,
    });
    consents.push({
      id: id(),
      client: clientId,
      kind: ConsentEventKind.GIVEN,
      status: 'ACTIVE',
      policyVersion: policy.version,
      policyTextHash: policy.textHash,
      operations: [...CONSENT_OPERATIONS],
      purposes: CONSENT_PURPOSES.filter((p) => p !== 'MARKETING' || random() < 0.4),
      channel: [ConsentChannel.WEB, ConsentChannel.MOBILE, ConsentChannel.TELEGRAM][i % 3]!,
      evidence: { userAgent: 'demo-seed', ipPrefix: null },
      actor: 'SUBJECT',
      givenAt: createdAt,
      recordedAt: createdAt,
    });
    for (const o of d.orders) {
      orders.push(order(o, clientId, id(), random() < 0.3 ? partners[random() < 0.5 ? 0 : 1]!.id : null));
    }
  });
  // The demo account's own orders come last, with ids of their own, so nothing above moves.
  const accountIds = createRng(options.seed + 4);
  if (demo[0]) {
    generateAccountOrders(options.seed, demo[0]).forEach((o) => {
      // Its paid order goes to the courier under contract, so the printed partner token sees the demo client too.
      orders.push(order(o, clients[0]!.id as string, generateUuid(accountIds), o.status === 'PAID' ? partners[0]!.id : null));
    });
  }
  const lawfulRequest: RequiredEntityData<LawfulRequest> | null = clients.length > 0
    ? {
        id: id(),
        issuingBody: 'Агентство по финансовому мониторингу РК (демо)',
        documentNumber: 'AFM-DEMO-001',
        documentDate: now.toISOString().slice(0, 10),
        legalBasis: 'Закон РК «О противодействии легализации (отмыванию) доходов», ст. 13 (демо)',
        subjectIds: clients.slice(0, 3).map((c) => c.id as string),
        categories: ['FULL_NAME', 'OFFICIAL_REQUISITES', 'BANK_ACCOUNT'],
        expiresAt: new Date(at + DEMO_VALIDITY),
        registeredBy: 'demo-seed',
        createdAt: now,
      }
    : null;
  await em.transactional(async (tx) => {
    await tx.insertMany(Partner, partners);
    await tx.insertMany(Contract, contracts);
    for (let i = 0; i < clients.length; i += BATCH) await tx.insertMany(Client, clients.slice(i, i + BATCH));
    for (let i = 0; i < consents.length; i += BATCH) await tx.insertMany(Consent, consents.slice(i, i + BATCH));
    for (let i = 0; i < orders.length; i += BATCH) await tx.insertMany(Order, orders.slice(i, i + BATCH));
    if (lawfulRequest) await tx.insertMany(LawfulRequest, [lawfulRequest]);
  });
  return {
    clients: clients.length,
    firstClientId: clients[0]?.id ?? null,
    partnerIds: partners.map((p) => p.id),
    contractIds: contracts.map((c) => c.id as string),
    lawfulRequestId: (lawfulRequest?.id as string | undefined) ?? null,
  };
}
