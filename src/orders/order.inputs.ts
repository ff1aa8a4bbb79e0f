import { Field, InputType, Int } from 'type-graphql';
import { AddressInput } from '../clients/client.inputs';

@InputType('OrderItemInput')
export class OrderItemInput {
  @Field(() => String) name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Int, { description: 'Unit price in tiyn' }) priceTiyn!: number;
}

@InputType('PlaceOrderInput')
export class PlaceOrderInput {
  @Field(() => [OrderItemInput]) items!: OrderItemInput[];
  @Field(() => String, { nullable: true, description: "A phone to reach the client about this order, kept with the order; never copied from the profile: without it the order has none" })
  contactPhone?: string | null;
  @Field(() => String, { nullable: true, description: "An e-mail for this order, kept with the order; never copied from the profile: without it the order has none" })
  contactEmail?: string | null;
  @Field(() => AddressInput, { nullable: true, description: "Where to deliver this order, kept with the order; never copied from the profile: without it the order has none" })
  deliveryAddress?: AddressInput | null;
}
