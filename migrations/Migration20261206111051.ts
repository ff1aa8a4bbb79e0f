import { Migration } from '@mikro-orm/migrations';

export class Migration20261206111051 extends Migration {

  override async up(): Promise<void> {
    // P4: the erased-row guard, written by `npm run migration:create` from the personal-column
    // declaration (src/privacy/personal-columns.ts): one column a line, the same columns as before.
    this.addSql(`create or replace function client_erased_stays_empty() returns trigger language plpgsql as \$\$
begin
  if old.status = 'ERASED' and new.status <> 'ERASED' then
    raise exception 'an erased client cannot be restored' using errcode = 'check_violation';
  end if;
  if new.status = 'ERASED' and (
       new.surname is not null
    or new.first_name is not null
    or new.patronymic is not null
    or new.iin is not null
    or new.bin is not null
    or new.legal_name is not null
    or new.legal_form is not null
    or new.state_registration_date is not null
    or new.head_full_name is not null
    or new.kbe is not null
    or new.vat_certificate is not null
    or new.registration_address is not null
    or new.residence_address is not null
    or cardinality(new.phones) > 0
    or cardinality(new.emails) > 0
    or jsonb_array_length(new.bank_accounts) > 0
    or new.login is not null
    or new.password_hash is not null) then
    raise exception 'an erased client holds no personal data' using errcode = 'check_violation';
  end if;
  return new;
end \$\$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function client_erased_stays_empty() returns trigger language plpgsql as \$\$
begin
  if old.status = 'ERASED' and new.status <> 'ERASED' then
    raise exception 'an erased client cannot be restored' using errcode = 'check_violation';
  end if;
  if new.status = 'ERASED' and (
       new.surname is not null or new.first_name is not null or new.patronymic is not null
    or new.iin is not null or new.bin is not null or new.legal_name is not null
    or new.legal_form is not null or new.state_registration_date is not null or new.head_full_name is not null
    or new.kbe is not null or new.vat_certificate is not null
    or new.registration_address is not null or new.residence_address is not null
    or cardinality(new.phones) > 0 or cardinality(new.emails) > 0 or jsonb_array_length(new.bank_accounts) > 0
    or new.login is not null or new.password_hash is not null) then
    raise exception 'an erased client holds no personal data' using errcode = 'check_violation';
  end if;
  return new;
end \$\$;`);
  }

}
