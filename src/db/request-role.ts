/**
 * The database role the API runs as, when migrations run as another (MIGRATION_DATABASE_URL):
 * it reads and writes the tables, but can only append to the consent history and the disclosure
 * log, may run the consent purge (as the job runner), and owns nothing, so it can neither disable their append-only triggers nor touch the
 * migrations' own table. A role that owns the tables (or a superuser) could do all of that.
 */
import type { MikroORM } from '@mikro-orm/postgresql';

/** Append-only for the API: INSERT and SELECT, never UPDATE, DELETE or TRUNCATE. */
const APPEND_ONLY = ['consent', 'disclosure_log'] as const;
const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export function roleOf(url: string): string {
  const user = decodeURIComponent(new URL(url).username);
  if (!user) throw new Error('DATABASE_URL names no user: the request role cannot be granted its rights');
  return user;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Run by the migrating role after every migration run; idempotent. */
export async function grantRequestRole(orm: MikroORM, role: string): Promise<void> {
  const r = quoted(role);
  const conn = orm.em.getConnection();
  await conn.execute(`grant usage on schema public to ${r}`);
  await conn.execute(`grant select, insert, update, delete on all tables in schema public to ${r}`);
  await conn.execute(`grant usage, select on all sequences in schema public to ${r}`);
  await conn.execute(`revoke update, delete, truncate on ${APPEND_ONLY.map(quoted).join(', ')} from ${r}`);
  await conn.execute(`revoke insert, update, delete, truncate on ${quoted(MIGRATIONS_TABLE)} from ${r}`);
  // The job runner runs as this role: it alone is granted the consent purge, which PUBLIC is not;
  // the function itself refuses to cut a history younger than the law's retention.
  await conn.execute(`grant execute on function purge_consent_records(timestamptz) to ${r}`);
}
