import type { Role } from '../privacy/roles';

/** Who is calling, as proven by a verified token. Carries no personal values. */
export interface Principal {
  readonly role: Role;
  readonly sub: string;
  /** For role `client`: the client id the token acts as (its `sub`). */
  readonly clientId: string | null;
  readonly scopes: ReadonlySet<string>;
  readonly partnerId: string | null;
  readonly contractId: string | null;
}
