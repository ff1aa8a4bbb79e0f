/**
 * P1: an order's contact data is what was captured for that order. Nothing is copied in silently
 * that would show more than the profile shows: operators see a residence address only generalised.
 */
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import { placeOrder, registerClient } from '../support/accounts';
import { useWorld } from '../support/world';

const world = useWorld();

const READ = `query($id: ID!) { order(id: $id) { deliveryAddress { city street building apartment } client { residenceAddress { city street } } } }`;

describe("an order's contact copy", () => {
  it('an order placed without a delivery address has none, so the operator never sees the residence street through it', async () => {
    const client = await registerClient(world);
    const orderId = await placeOrder(world, client.token);
    const read = await world.gql(READ, { id: orderId }, world.tokens.operator);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.order.deliveryAddress).toBeNull();
    const street = client.input.residenceAddress.street as string;
    expect(read.body.data!.order.client.residenceAddress.street).not.toBe(street);
    expect(JSON.stringify(read.body.data)).not.toContain(street);
  });

  it('a delivery address given with the order is the order contact the operator needs to deliver it', async () => {
    const client = await registerClient(world);
    const deliveryAddress = { country: 'KZ', region: 'Алматы', city: 'Алматы', street: 'Сатпаева', building: '22', apartment: '5', postalCode: '050000' };
    const orderId = await placeOrder(world, client.token, { deliveryAddress });
    const read = await world.gql(READ, { id: orderId }, world.tokens.operator);
    expect(read.body.data!.order.deliveryAddress).toEqual({ city: 'Алматы', street: 'Сатпаева', building: '22', apartment: '5' });
  });

  it('an order placed without a contact phone or e-mail has none, and the schema promises no default from the profile', async () => {
    const client = await registerClient(world);
    const orderId = await placeOrder(world, client.token);
    const dpo = world.tokens.dpo;
    const read = await world.gql(`query($id: ID!) { order(id: $id) { contactPhone contactEmail } }`, { id: orderId }, dpo);
    expect(read.body.data!.order).toEqual({ contactPhone: null, contactEmail: null });
    const sdl = buildSchema(readFileSync(join(PROJECT_ROOT, 'schema', 'schema.graphql'), 'utf8'));
    const fields = (sdl.getType('PlaceOrderInput') as GraphQLInputObjectType).getFields();
    for (const name of ['contactPhone', 'contactEmail', 'deliveryAddress']) {
      expect(fields[name]!.description).toMatch(/never copied from the profile/);
      expect(fields[name]!.description).not.toMatch(/default/i);
    }
  });
});
