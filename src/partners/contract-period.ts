/** Contract dates are calendar days in Kazakhstan (UTC+5 throughout the country since 2024). */
const KZ_OFFSET_MS = 5 * 3600_000;

export function kazakhstanDate(at: Date): string {
  return new Date(at.getTime() + KZ_OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant after the last valid day of a contract. */
export function endOfValidity(validTo: string): Date {
  return new Date(Date.parse(`${validTo}T00:00:00Z`) + 24 * 3600_000 - KZ_OFFSET_MS);
}
