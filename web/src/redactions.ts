/**
 * What a redaction means, in words, from its category, access and reason only: the path is
 * technical detail (a list of keys with "*" for list items, or, from older servers, a dotted
 * string). Entries that say the same are merged and their counts added. Anything unknown is
 * explained as withheld by the policy, never as shown.
 */
import type { Redaction } from './api/client';
import { label, t } from './i18n';

export interface RedactionExplanation {
  /** The category of personal data, in words. */
  readonly what: string;
  /** Masked or hidden, in words. */
  readonly how: string;
  /** Why, in words. */
  readonly why: string;
  /** How many values it covers. */
  readonly count: number;
  /** The response paths it covers, as text, for the specialist. */
  readonly paths: readonly string[];
}

/** The path as one string: ["me", "orders", "*", "contactPhone"] → me.orders.*.contactPhone. */
export function pathText(path: unknown): string {
  if (Array.isArray(path)) return path.map((key) => String(key)).join('.');
  return typeof path === 'string' ? path : '';
}

/** The last named key of a path (list markers skipped): the field it is about. */
export function pathField(path: unknown): string {
  const keys = pathText(path).split('.').filter((key) => key !== '*' && !/^\d+$/.test(key));
  return keys[keys.length - 1] ?? '';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function explainRedactions(redactions: readonly Redaction[] | unknown): RedactionExplanation[] {
  if (!Array.isArray(redactions)) return [];
  const merged = new Map<string, { what: string; how: string; why: string; count: number; paths: string[] }>();
  for (const entry of redactions as Array<Partial<Redaction> | null>) {
    if (!entry || typeof entry !== 'object') continue;
    const category = text(entry.category);
    const access = text(entry.access);
    const reason = text(entry.reason);
    const what = category ? label({ ...t.enums.PiiCategory, ...t.enums.ErasedCategory }, category) : t.redactions.categoryUnknown;
    const how = t.redactions.access[access] ?? t.redactions.accessUnknown;
    const why = t.redactions.reason[reason] ?? t.redactions.reasonUnknown;
    const count = typeof entry.count === 'number' && Number.isInteger(entry.count) && entry.count > 0 ? entry.count : 1;
    const key = `${what}\u0000${how}\u0000${why}`;
    const item = merged.get(key) ?? { what, how, why, count: 0, paths: [] };
    item.count += count;
    const path = pathText(entry.path);
    if (path && !item.paths.includes(path)) item.paths.push(path);
    merged.set(key, item);
  }
  return [...merged.values()];
}

/** Whether a field was withheld (so a null there means "hidden", not "not given"). */
export function isRedacted(redactions: readonly Redaction[], field: string): boolean {
  return redactions.some((entry) => pathField(entry.path) === field);
}
