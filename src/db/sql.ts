/** `?, ?, ?` for a raw statement's list of values (knex-style bindings). */
export const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');
