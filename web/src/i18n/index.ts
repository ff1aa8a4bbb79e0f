/** The interface language: one file per language, all of the same shape. */
import { ru } from './ru';

export type Messages = typeof ru;

export const t: Messages = ru;

/** A label of an enum value, or the value itself when the file has none (a value newer than the page). */
export function label(map: Readonly<Record<string, string>>, value: string): string {
  return map[value] ?? value;
}
