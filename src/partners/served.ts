import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeholders } from '../db/sql';
import { UUID } from '../validation/validate';

/**
 * "Does this partner serve client C?" for every C of a request in one query: a client is served
 * while it has an order assigned to the partner (P5.1). Per request, like every loader.
 */
export function createServedLoader(em: EntityManager, partnerId: string): DataLoader<string, boolean> {
  return new DataLoader(async (keys) => {
    const clientIds = keys.filter((id) => UUID.test(id));
    if (clientIds.length === 0) return keys.map(() => false);
    const rows: Array<{ client_id: string }> = await em.getConnection().execute(
      `select distinct client_id from client_order where partner_id = ? and client_id in (${placeholders(clientIds)})`,
      [partnerId, ...clientIds],
    );
    const served = new Set(rows.map((r) => r.client_id));
    return keys.map((id) => served.has(id));
  });
}
