import { BigIntType, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client, type Address } from '../clients/client.entity';
import { Partner } from '../partners/partner.entity';

export enum OrderStatus {
  NEW = 'NEW',
  PAID = 'PAID',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

/** Orders the Company still owes the client something on (P3: they hold back the end of consent). */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = [OrderStatus.NEW, OrderStatus.PAID];

export interface OrderItem {
  name: string;
  quantity: number;
  priceTiyn: number;
}

/** P1 counts "the Order with its contact information" as personal data: the contact copy is nullable for erasure. */
@Entity({ tableName: 'client_order' })
@Index({ properties: ['client', 'createdAt'] })
export class Order {
  [OptionalProps]?: 'status' | 'createdAt' | 'items' | 'tombstoneId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Null once the client is erased and the order is kept, depersonalised, for accounting (P4). */
  @ManyToOne(() => Client, { nullable: true, deleteRule: 'set null' })
  client: Client | null = null;

  /** The partner (agent) fulfilling the order, if any (P5.1). */
  @ManyToOne(() => Partner, { nullable: true, deleteRule: 'set null' })
  @Index()
  partner: Partner | null = null;

  /** Amount in tiyn (1 KZT = 100 tiyn): integers, never floats. */
  @Property({ type: new BigIntType('number') })
  amountTiyn!: number;

  @Property({ type: 'json' })
  items: OrderItem[] = [];

  @Enum({ items: () => OrderStatus })
  status: OrderStatus = OrderStatus.NEW;

  @Property({ type: 'text', nullable: true })
  contactPhone: string | null = null;

  @Property({ type: 'text', nullable: true })
  contactEmail: string | null = null;

  @Property({ type: 'json', nullable: true })
  deliveryAddress: Address | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  /**
   * Set when the client is erased or depersonalised (P4): one random id per erasure, shared by that
   * client's orders so accounting can still reconcile them together; stored nowhere else, so it
   * leads back to no one.
   */
  @Property({ type: 'uuid', nullable: true })
  tombstoneId: string | null = null;
}
