import { Migration } from '@mikro-orm/migrations';

/** The purge's body as Migration20261125040000 wrote it, with the condition that bounds its cutoff. */
const purgeFunction = (bound: string) => `create or replace function purge_consent_records(ended_before timestamptz) returns integer
language plpgsql security definer set search_path from current as $body$
declare
  purged integer;
begin
  delete from consent d
   using (
     select k.client_id from consent k join client c on c.id = k.client_id
      where c.status = 'ERASED' and k.status in ('WITHDRAWN', 'EXPIRED') and k.recorded_at < ended_before${bound}
        and not exists (select 1 from consent l where l.client_id = k.client_id and (l.recorded_at, l.id) > (k.recorded_at, k.id))
   ) ended
   where d.client_id = ended.client_id;
  get diagnostics purged = row_count;
  return purged;
end $body$;`;

/**
 * Runs `statements` as a role that may replace the purge function and grant on it: a superuser, or
 * a member of its owner. A migrating role that is neither joins the owner role for these statements
 * only, as Migration20261125040000 did for the hand-over (CREATEROLE, or a DBA's grant beforehand).
 */
const asOwner = (statements: string) => `do $$
declare
  superuser boolean := (select rolsuper from pg_roles where rolname = current_user);
  joined boolean := false;
begin
  if not superuser and not pg_has_role(current_user, 'kzpay_consent_purger', 'MEMBER') then
    execute format('grant kzpay_consent_purger to %I', current_user);
    joined := true;
  end if;
  ${statements}
  if joined then
    execute format('revoke kzpay_consent_purger from %I', current_user);
  end if;
end $$;`;

export class Migration20261206074348 extends Migration {

  override async up(): Promise<void> {
    // P2: consent records are proof for the retention the law requires, 5 years after consent ended
    // (MIN_CONSENT_RECORD_RETENTION_YEARS, src/consent/retention.ts). The function clamps any
    // cutoff to that, by the database's clock, so no caller can cut a younger history, whatever it
    // passes ('infinity' included). EXECUTE was PUBLIC's, PostgreSQL's default for a function: now
    // only the migrating role has it, with the grant option, so that at every start it grants it to
    // the role the job runner runs as (grantRequestRole, src/db/request-role.ts).
    this.addSql(asOwner(`${purgeFunction(`\n        and k.recorded_at < now() - interval '5 years'`)}
  revoke execute on function purge_consent_records(timestamptz) from public;
  execute format('grant execute on function purge_consent_records(timestamptz) to %I with grant option', current_user);`));
  }

  override async down(): Promise<void> {
    this.addSql(asOwner(`${purgeFunction('')}
  execute format('revoke execute on function purge_consent_records(timestamptz) from %I cascade', current_user);
  grant execute on function purge_consent_records(timestamptz) to public;`));
  }

}
