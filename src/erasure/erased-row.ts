/**
 * The SQL that erasure and the erased-row trigger derive from the personal-column declaration
 * (src/privacy/personal-columns.ts). The trigger itself lives in a migration: `npm run
 * migration:create` writes a new one when the migrated function differs from `erasedRowGuardSql`,
 * and a test holds the latest migration's text to it.
 */
import { CLIENT_PERSONAL_COLUMNS, type PersonalColumn } from '../privacy/personal-columns';

export const ERASED_ROW_GUARD = 'client_erased_stays_empty';

/** The column's erased value, as SQL. */
export function emptySql(column: PersonalColumn): string {
  switch (column.emptied) {
    case 'null':
      return 'null';
    case 'text[]':
      return `'{}'`;
    case 'json[]':
      return `'[]'::jsonb`;
  }
}

/** Whether the column of row `row` still holds a value, as SQL. */
export function holdsValueSql(column: PersonalColumn, row: string): string {
  const ref = `${row}.${column.column}`;
  switch (column.emptied) {
    case 'null':
      return `${ref} is not null`;
    case 'text[]':
      return `cardinality(${ref}) > 0`;
    case 'json[]':
      return `jsonb_array_length(${ref}) > 0`;
  }
}

/** `a = null, b = '{}'`: empties the columns in an UPDATE. */
export function emptyAssignments(columns: readonly PersonalColumn[]): string {
  return columns.map((c) => `${c.column} = ${emptySql(c)}`).join(', ');
}

/** The trigger function's body: an erased client row stays erased and holds no personal value (P4), whichever code path writes it. */
export function erasedRowGuardBody(): string {
  const held = CLIENT_PERSONAL_COLUMNS.map((c) => holdsValueSql(c, 'new')).join('\n    or ');
  return `
begin
  if old.status = 'ERASED' and new.status <> 'ERASED' then
    raise exception 'an erased client cannot be restored' using errcode = 'check_violation';
  end if;
  if new.status = 'ERASED' and (
       ${held}) then
    raise exception 'an erased client holds no personal data' using errcode = 'check_violation';
  end if;
  return new;
end `;
}

/** The function with `body`, as a migration creates or replaces it. */
export function erasedRowGuardSql(body: string = erasedRowGuardBody()): string {
  return `create or replace function ${ERASED_ROW_GUARD}() returns trigger language plpgsql as $$${body}$$;`;
}
