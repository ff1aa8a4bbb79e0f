import { Migration } from '@mikro-orm/migrations';

export class Migration20261125040000 extends Migration {

  override async up(): Promise<void> {
    // P2: the purge's door was a transaction-local setting, which any session can set for itself.
    // Now the door is an identity: a NOLOGIN role that nobody can log in as, owning the SECURITY
    // DEFINER purge function; only while that function runs is current_user this role. Roles are
    // cluster-wide and several databases (tests, tenants) migrate on one cluster, possibly at once:
    // create it only if missing, and accept losing the race to a concurrent migration.
    this.addSql(`do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'kzpay_consent_purger') then
    create role kzpay_consent_purger nologin;
  end if;
exception when duplicate_object or unique_violation then null;
end $$;`);

    this.addSql(`create or replace function consent_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_user = 'kzpay_consent_purger' then
    return old;
  end if;
  raise exception 'consent records are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;`);

    this.addSql(`create or replace function purge_consent_records(ended_before timestamptz) returns integer
language plpgsql security definer set search_path from current as $$
declare
  purged integer;
begin
  delete from consent d
   using (
     select k.client_id from consent k join client c on c.id = k.client_id
      where c.status = 'ERASED' and k.status in ('WITHDRAWN', 'EXPIRED') and k.recorded_at < ended_before
        and not exists (select 1 from consent l where l.client_id = k.client_id and (l.recorded_at, l.id) > (k.recorded_at, k.id))
   ) ended
   where d.client_id = ended.client_id;
  get diagnostics purged = row_count;
  return purged;
end $$;`);

    // The function runs as its owner, so the role needs exactly what the body reads and deletes.
    this.addSql(`grant usage on schema "public" to kzpay_consent_purger;`);
    this.addSql(`grant select, delete on "consent" to kzpay_consent_purger;`);
    this.addSql(`grant select on "client" to kzpay_consent_purger;`);

    // A superuser hands the function over directly. Any other migrating role must be able to act as
    // the new owner (a member of it: CREATEROLE lets it join, or a DBA grants it beforehand), and the
    // new owner needs CREATE on the schema, both for the moment of the hand-over only.
    this.addSql(`do $$
declare
  superuser boolean := (select rolsuper from pg_roles where rolname = current_user);
  joined boolean := false;
begin
  if not superuser then
    if not pg_has_role(current_user, 'kzpay_consent_purger', 'MEMBER') then
      execute format('grant kzpay_consent_purger to %I', current_user);
      joined := true;
    end if;
    grant create on schema "public" to kzpay_consent_purger;
  end if;
  alter function purge_consent_records(timestamptz) owner to kzpay_consent_purger;
  if not superuser then
    revoke create on schema "public" from kzpay_consent_purger;
    if joined then
      execute format('revoke kzpay_consent_purger from %I', current_user);
    end if;
  end if;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter function purge_consent_records(timestamptz) owner to current_user;`);
    this.addSql(`create or replace function purge_consent_records(ended_before timestamptz) returns integer
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
    this.addSql(`create or replace function consent_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('kzpay.consent_purge', true) = 'on' then
    return old;
  end if;
  raise exception 'consent records are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;`);
    // The role is cluster-wide and may own the function in other databases: it is kept.
    this.addSql(`revoke select on "client" from kzpay_consent_purger;`);
    this.addSql(`revoke select, delete on "consent" from kzpay_consent_purger;`);
    this.addSql(`revoke usage on schema "public" from kzpay_consent_purger;`);
  }

}
