/**
 * Clients, orders and consents as the read paths serve them: plain objects, read with SQL and
 * never turned into managed entities (no identity map, no snapshots). Property names are the
 * GraphQL field names, so default resolvers read them as they are.
 */
import type { Address, BankAccount, ClientKind, ClientStatus, LegalForm } from '../clients/client.entity';
import type { OrderItem, OrderStatus } from '../orders/order.entity';
import type { SubjectRef } from './subject-state';

/** A client row; only the columns a read selected are present, besides id, status and the times. */
export interface ClientRecord {
  readonly id: string;
  readonly kind?: ClientKind;
  readonly status: ClientStatus;
  readonly surname?: string | null;
  readonly firstName?: string | null;
  readonly patronymic?: string | null;
  readonly iin?: string | null;
  readonly bin?: string | null;
  readonly legalName?: string | null;
  readonly legalForm?: LegalForm | null;
  readonly stateRegistrationDate?: string | null;
  readonly headFullName?: string | null;
  readonly kbe?: string | null;
  readonly vatCertificate?: string | null;
  readonly registrationAddress?: Address | null;
  readonly residenceAddress?: Address | null;
  readonly phones?: string[];
  readonly emails?: string[];
  readonly bankAccounts?: BankAccount[];
  readonly login?: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The subject and the privacy state read in the same statement as these values. */
  readonly subject: SubjectRef;
  /** The client's newest orders, read in the same statement (see ClientReadSpec.orders). */
  readonly orderList?: PreloadedOrders;
  /** The consent history, oldest first, read in the same statement (see ClientReadSpec.consents). */
  readonly consentList?: ConsentRecord[];
}

export interface PreloadedOrders {
  readonly first: number;
  readonly partnerId: string | null;
  /** Set when the list starts after this order (a connection's `after`), not at the newest. */
  readonly after?: OrderPosition | null;
  readonly orders: OrderRecord[];
}

/** An order's place in newest-first order: a keyset position. */
export interface OrderPosition {
  readonly createdAt: Date;
  readonly id: string;
}

export interface OrderRecord {
  readonly id: string;
  readonly status?: OrderStatus;
  readonly amountTiyn?: number;
  readonly items?: OrderItem[];
  readonly contactPhone?: string | null;
  readonly contactEmail?: string | null;
  readonly deliveryAddress?: Address | null;
  readonly createdAt: Date;
  readonly completedAt?: Date | null;
  /** Null once depersonalised (P4): the order is nobody's any more. */
  readonly subject: SubjectRef | null;
}

export interface ConsentRecord {
  readonly id: string;
  readonly clientId: string | null;
  readonly kind: string;
  readonly status: string;
  readonly policyVersion: string;
  readonly policyTextHash: string;
  readonly operations: string[];
  readonly purposes: string[];
  readonly channel: string;
  readonly evidence: { userAgent: string | null; ipPrefix: string | null };
  readonly actor: string;
  readonly actorId: string | null;
  readonly givenAt: Date;
  readonly recordedAt: Date;
  readonly withdrawalNoticeAt: Date | null;
  readonly withdrawalEffectiveAt: Date | null;
  readonly expiresAt: Date | null;
  readonly noticeSha256: string | null;
  readonly noticeLength: number | null;
}
