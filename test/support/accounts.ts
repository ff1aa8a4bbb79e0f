/** Clients registered, and their orders placed, through the API as a caller does it. */
import { REGISTER, registration, validIin } from './fixtures';
import type { TestServer } from './server';

export interface Registered {
  readonly clientId: string;
  readonly token: string;
  readonly input: Record<string, any>;
}

let serial = 0;

/**
 * A registration through the API, refused registrations thrown. One account per IIN: the IIN
 * comes from a counter of its own, 5000 + n, clear of `registration()`'s and the canaries' (canaries.ts).
 */
export async function registerClient(server: TestServer, overrides: Record<string, unknown> = {}): Promise<Registered> {
  serial += 1;
  const input = registration({ iin: validIin(5000 + serial), ...overrides });
  const response = await server.gql(REGISTER, { input });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  const { clientId, token } = response.body.data!.registerClient;
  return { clientId, token, input };
}

export const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;

export async function placeOrder(server: TestServer, token: string, input: Record<string, unknown> = {}): Promise<string> {
  const response = await server.gql(PLACE_ORDER, { input: { items: [{ name: 'Tea', quantity: 2, priceTiyn: 1500 }], ...input } }, token);
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.placeOrder.id;
}
