/** Tiyn are integers; KZT is shown as an exact decimal string, never through a float. */
export function formatTiyn(tiyn: number): string {
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
