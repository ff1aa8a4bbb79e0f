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
  @Field(() => String, { nullable: true, description: 'Defaults to the first phone of the client' }) contactPhone?: string | null;
  @Field(() => String, { nullable: true }) contactEmail?: string | null;
  @Field(() => AddressInput, { nullable: true }) deliveryAddress?: AddressInput | null;
}
