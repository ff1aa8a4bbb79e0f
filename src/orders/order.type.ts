import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AddressType } from '../clients/client.type';
import { connectionType, type Connection } from '../graphql/connection';
import { pii } from '../graphql/pii.directive';
import { OrderStatus } from './order.entity';

registerEnumType(OrderStatus, { name: 'OrderStatus' });

@ObjectType('OrderItem')
export class OrderItemType {
  @Field(() => String) name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Int, { description: 'Unit price in tiyn (1 KZT = 100 tiyn)' }) priceTiyn!: number;
}

@ObjectType('Order', { description: 'An order; its contact copy is personal data (P1)' })
export class OrderType {
  @Field(() => ID) id!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => String, { description: 'Total in KZT as an exact decimal string, e.g. "12500.50"' }) amount!: string;
  @Field(() => String) currency!: string;
  @Field(() => [OrderItemType]) items!: OrderItemType[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;

  @Field(() => String, { nullable: true })
  @Directive(pii('ORDER_CONTACT', 'PHONE'))
  contactPhone!: string | null;

  @Field(() => String, { nullable: true })
  @Directive(pii('ORDER_CONTACT', 'EMAIL'))
  contactEmail!: string | null;

  @Field(() => AddressType, { nullable: true })
  @Directive(pii('ORDER_CONTACT', 'ADDRESS'))
  deliveryAddress!: AddressType | null;
}

export const OrderConnection = connectionType('Order', OrderType, 'Orders, one page, newest first');
export type OrderConnection = Connection<OrderType>;
