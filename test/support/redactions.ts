/** The redaction report's shape (`extensions.redactions`), as the tests expect it. */

export interface ReportedRedaction {
  readonly path: string[];
  readonly category: string;
  readonly access: string;
  readonly reason: string | null;
  readonly count: number;
}

/** A path pattern as text: `clients.edges.*.node.phones`. */
export const pathOf = (r: { path: readonly string[] }): string => r.path.join('.');

/** One expected entry per redacted value, keyed by its concrete path (`clients.edges.3.node.phones`). */
export interface RedactedValue {
  readonly path: string;
  readonly category: string;
  readonly access: string;
  readonly reason: string | null;
}

/**
 * The report a list of redacted values must produce: one entry per path pattern (list indexes as
 * `*`), category, access and reason, with the number of values. Written apart from the server's
 * code, so a test of the report does not reuse what it tests.
 */
export function expectedReport(values: readonly RedactedValue[]): ReportedRedaction[] {
  const entries = new Map<string, { path: string[]; category: string; access: string; reason: string | null; count: number }>();
  for (const value of values) {
    const path = value.path.split('.').map((segment) => (/^\d+$/.test(segment) ? '*' : segment));
    const key = JSON.stringify([path, value.category, value.access, value.reason]);
    const entry = entries.get(key);
    if (entry) entry.count += 1;
    else entries.set(key, { path, category: value.category, access: value.access, reason: value.reason, count: 1 });
  }
  return sortReport([...entries.values()]);
}

export function sortReport<T extends { path: readonly string[]; category: string; reason: string | null }>(report: readonly T[]): T[] {
  const key = (r: T) => `${pathOf(r)}|${r.category}|${r.reason}`;
  return [...report].sort((a, b) => key(a).localeCompare(key(b)));
}
