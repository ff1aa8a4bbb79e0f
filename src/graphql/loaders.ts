/**
 * Per-request batching over the subject store: one statement per kind of lookup, whatever the
 * page size. Loaders live in the request context and die with it, so nothing personal is cached
 * across callers.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readClients } from '../subjects/client-store';
import { readConsentsOfClients } from '../subjects/consent-store';
import { readOrdersOfClients } from '../subjects/order-store';
import type { ClientRecord, ConsentRecord, OrderPosition, OrderRecord } from '../subjects/records';
import { GONE, loadSubjectStates, loadVersions, type SubjectState } from '../subjects/subject-state';

export interface Loaders {
  /** A client with every field, read by id (for partner callers, with whether the partner serves it). */
  readonly client: DataLoader<string, ClientRecord | null>;
  readonly subjectState: DataLoader<string, SubjectState>;
  readonly consents: DataLoader<string, ConsentRecord[]>;
  /**
   * Each client's newest `first` orders; with `partnerId`, only those assigned to that partner
   * (P5.1), chosen in SQL so a client's orders with others never crowd the partner's own out;
   * with `after`, the `first` that follow that position.
   */
  orders(first: number, partnerId: string | null, after?: OrderPosition | null): DataLoader<string, OrderRecord[]>;
  /** The subject's version read afresh (not cached for the request): what has committed since. */
  readonly currentVersion: DataLoader<string, string>;
}

export function createLoaders(em: EntityManager, partnerId: () => string | null): Loaders {
  const ordersByPage = new Map<string, DataLoader<string, OrderRecord[]>>();
  return {
    client: new DataLoader(async (ids) => {
      const found = await readClients(em, ids, { fields: null, partnerId: partnerId() });
      const byId = new Map(found.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    subjectState: new DataLoader(async (ids) => {
      const states = await loadSubjectStates(em, ids);
      return ids.map((id) => states.get(id) ?? GONE);
    }),
    currentVersion: new DataLoader(
      async (ids) => {
        const versions = await loadVersions(em, ids);
        return ids.map((id) => versions.get(id) ?? GONE.version);
      },
      { cache: false },
    ),
    consents: new DataLoader(async (ids) => {
      const byClient = await readConsentsOfClients(em, ids);
      return ids.map((id) => byClient.get(id) ?? []);
    }),
    orders(first, partner, after = null) {
      const key = `${first}:${partner ?? ''}:${after ? `${after.createdAt.toISOString()}/${after.id}` : ''}`;
      let loader = ordersByPage.get(key);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const byClient = await readOrdersOfClients(em, ids, first, { fields: null, partnerId: partner }, after);
          return ids.map((id) => byClient.get(id) ?? []);
        });
        ordersByPage.set(key, loader);
      }
      return loader;
    },
  };
}
