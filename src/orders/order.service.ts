import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, ClientStatus } from '../clients/client.entity';
import { apiError, badInput } from '../errors';
import { loadSubjectState } from '../subjects/subject-state';
import { acceptsNewService } from '../privacy/consent-state';
import * as v from '../validation/validate';
import { Order, OrderStatus } from './order.entity';
import type { PlaceOrderInput } from './order.inputs';

const MAX_ITEMS = 50;
const MAX_QUANTITY = 10_000;
const MAX_PRICE_TIYN = 2_000_000_000;

/** `now`: the instant consent must be in force at (P3 dates count as soon as they pass). */
export async function placeOrder(em: EntityManager, clientId: string, input: PlaceOrderInput, now: Date = new Date()): Promise<Order> {
  if (input.items.length < 1 || input.items.length > MAX_ITEMS) throw badInput('items', `must have 1 to ${MAX_ITEMS} entries`);
  const items = input.items.map((item, i) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      throw badInput(`items[${i}].quantity`, `must be between 1 and ${MAX_QUANTITY}`);
    }
    if (!Number.isInteger(item.priceTiyn) || item.priceTiyn < 0 || item.priceTiyn > MAX_PRICE_TIYN) {
      throw badInput(`items[${i}].priceTiyn`, `must be between 0 and ${MAX_PRICE_TIYN}`);
    }
    return { name: v.text(`items[${i}].name`, item.name, 1, 200), quantity: item.quantity, priceTiyn: item.priceTiyn };
  });
  const contactPhone = input.contactPhone ? v.phone('contactPhone', input.contactPhone) : null;
  const contactEmail = input.contactEmail ? v.email('contactEmail', input.contactEmail) : null;
  const deliveryAddress = input.deliveryAddress ? v.address('deliveryAddress', input.deliveryAddress) : null;

  return em.transactional(async (tx) => {
    // Locked, so an erasure or withdrawal cannot commit between this check and the insert.
    const client = await tx.findOneOrFail(Client, { id: clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const state = await loadSubjectState(tx, clientId);
    // P3/P4: once consent's end has come (a due withdrawal counts before the job runner records it,
    // and open orders holding it back do not make room for new ones), or once erased or blocked,
    // there is no service.
    if (client.status !== ClientStatus.ACTIVE || !acceptsNewService(state.consent, now)) {
      throw apiError('FORBIDDEN', 'This account can no longer place orders', { reason: 'NO_SERVICE' });
    }
    const order = tx.create(Order, {
      client,
      items,
      amountTiyn: items.reduce((sum, item) => sum + item.quantity * item.priceTiyn, 0),
      status: OrderStatus.NEW,
      // Only contacts given for this order: a silent copy of the profile's phone, e-mail or residence
      // would serve it as ORDER_CONTACT to whoever sees order contacts but not that category (a
      // partner scoped to order contacts, an operator who sees residences only generalised, P1).
      contactPhone,
      contactEmail,
      deliveryAddress,
    });
    await tx.flush();
    return order;
  });
}
