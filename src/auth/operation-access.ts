/**
 * Who may call each root operation, as data. The shield is derived from it; any root field not
 * listed here is denied (default deny), and a test checks every root field is listed.
 */
import type { Role } from '../privacy/roles';

/** `public`: anyone; a role list: those roles; `client:self`: a client whose id is the `id` argument. */
export type OperationAccess = 'public' | ReadonlyArray<Role | 'client:self'>;

export const OPERATION_ACCESS: Readonly<Record<'Query' | 'Mutation', Readonly<Record<string, OperationAccess>>>> = {
  Query: {
    privacyPolicy: 'public',
    me: ['client'],
    client: ['client:self', 'operator', 'dpo'],
    clients: ['operator', 'dpo'],
    order: ['client', 'operator', 'dpo'],
    orders: ['client', 'operator', 'dpo'],
    statistics: ['analyst', 'operator', 'dpo'],
  },
  Mutation: {
    registerClient: 'public',
    login: 'public',
    placeOrder: ['client'],
    updateMyContacts: ['client'],
  },
};
