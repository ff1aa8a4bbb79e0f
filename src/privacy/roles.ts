/** Who may call the API. A JWT's `role` claim must be one of these. */
export const ROLES = ['client', 'operator', 'dpo', 'partner', 'authority', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
