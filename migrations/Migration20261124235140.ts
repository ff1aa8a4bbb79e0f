import { Migration } from '@mikro-orm/migrations';

export class Migration20261124235140 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "erasure_receipt" ("id" uuid not null, "client_id" uuid not null, "basis" text check ("basis" in ('SUBJECT_REQUEST', 'WRITTEN_REQUEST_OFFLINE', 'RETENTION_ENDED')) not null, "reference" text null, "categories" text[] not null, "orders_depersonalised" int not null, "sessions_revoked" int not null, "actor_role" text not null, "actor_id" text not null, "erased_at" timestamptz not null, constraint "erasure_receipt_pkey" primary key ("id"));`);
    this.addSql(`create index "erasure_receipt_client_id_erased_at_index" on "erasure_receipt" ("client_id", "erased_at");`);

    this.addSql(`create table "erasure_request" ("id" uuid not null, "client_id" uuid not null, "status" text check ("status" in ('PENDING', 'DONE')) not null default 'PENDING', "requested_at" timestamptz not null, "evidence" jsonb not null, "receipt_id" uuid null, constraint "erasure_request_pkey" primary key ("id"));`);
    this.addSql(`create index "erasure_request_client_id_index" on "erasure_request" ("client_id");`);
    this.addSql(`create index "erasure_request_status_requested_at_index" on "erasure_request" ("status", "requested_at");`);

    this.addSql(`alter table "erasure_receipt" add constraint "erasure_receipt_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade;`);

    this.addSql(`alter table "erasure_request" add constraint "erasure_request_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade;`);

    this.addSql(`alter table "consent" add column "actor_id" text null, add column "notice_sha256" text null, add column "notice_length" int null;`);

    this.addSql(`alter table "client_order" add column "tombstone_id" uuid null;`);

    // P2: consent history is append-only. The only way to remove records is the retention purge
    // below, which opens the door for its own DELETE with a transaction-local setting and closes it.
    this.addSql(`create function consent_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('kzpay.consent_purge', true) = 'on' then
    return old;
  end if;
  raise exception 'consent records are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this.addSql(`create trigger consent_append_only before update or delete on "consent" for each row execute function consent_append_only();`);
    this.addSql(`create trigger consent_no_truncate before truncate on "consent" for each statement execute function consent_append_only();`);

    // Deletes whole histories whose consent ended (withdrawn or expired) before the cutoff, and
    // only of erased clients: a history is never cut while contact data it justified is still held.
    // SECURITY DEFINER so that a deployment can revoke UPDATE/DELETE on consent from the app role
    // and grant it EXECUTE on this function alone.
    this.addSql(`create function purge_consent_records(ended_before timestamptz) returns integer
language plpgsql security definer set search_path from current as $$
declare
  purged integer;
begin
  perform set_config('kzpay.consent_purge', 'on', true);
  delete from consent d
   using (
     select k.client_id from consent k join client c on c.id = k.client_id
      where c.status = 'ERASED' and k.status in ('WITHDRAWN', 'EXPIRED') and k.recorded_at < ended_before
        and not exists (select 1 from consent l where l.client_id = k.client_id and (l.recorded_at, l.id) > (k.recorded_at, k.id))
   ) ended
   where d.client_id = ended.client_id;
  get diagnostics purged = row_count;
  perform set_config('kzpay.consent_purge', 'off', true);
  return purged;
end $$;`);

    // P4: an erased client row stays empty and stays erased, whichever code path writes to it.
    this.addSql(`create function client_erased_stays_empty() returns trigger language plpgsql as $$
begin
  if old.status = 'ERASED' and new.status <> 'ERASED' then
    raise exception 'an erased client cannot be restored' using errcode = 'check_violation';
  end if;
  if new.status = 'ERASED' and (
       new.surname is not null or new.first_name is not null or new.patronymic is not null
    or new.iin is not null or new.bin is not null or new.legal_name is not null
    or new.registration_address is not null or new.residence_address is not null
    or cardinality(new.phones) > 0 or cardinality(new.emails) > 0 or jsonb_array_length(new.bank_accounts) > 0
    or new.login is not null or new.password_hash is not null) then
    raise exception 'an erased client holds no personal data' using errcode = 'check_violation';
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger client_erased_stays_empty before update on "client" for each row execute function client_erased_stays_empty();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists client_erased_stays_empty on "client";`);
    this.addSql(`drop function if exists client_erased_stays_empty();`);
    this.addSql(`drop function if exists purge_consent_records(timestamptz);`);
    this.addSql(`drop trigger if exists consent_no_truncate on "consent";`);
    this.addSql(`drop trigger if exists consent_append_only on "consent";`);
    this.addSql(`drop function if exists consent_append_only();`);

    this.addSql(`drop table if exists "erasure_receipt" cascade;`);

    this.addSql(`drop table if exists "erasure_request" cascade;`);

    this.addSql(`alter table "client_order" drop column "tombstone_id";`);

    this.addSql(`alter table "consent" drop column "actor_id", drop column "notice_sha256", drop column "notice_length";`);
  }

}
