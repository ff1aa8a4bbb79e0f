/** Consent over time (the subject's acts, the consent history) and scanning the whole database for values. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsentAct } from '../../src/consent/consent-lifecycle';
import { ConsentChannel } from '../../src/consent/consent.entity';

/** The subject acting on the web at `now` (service calls with a fake clock). */
export const act = (now: Date): ConsentAct => ({ actor: 'SUBJECT', actorId: null, channel: ConsentChannel.WEB, evidence: { userAgent: 'test', ipPrefix: null }, now });

export const CONSENT_FIELDS = 'id kind status purposes operations actor actorId channel recordedAt withdrawalNoticeAt withdrawalEffectiveAt noticeSha256 noticeLength';

export async function consentHistory(em: EntityManager, clientId: string): Promise<Array<Record<string, any>>> {
  return em.fork().getConnection().execute(`select * from consent where client_id = ? order by recorded_at, id`, [clientId]);
}

/** Every text, varchar, json, jsonb and text[] column of every table in the public schema. */
export async function textColumns(em: EntityManager): Promise<Array<{ table: string; column: string }>> {
  const rows: Array<{ table_name: string; column_name: string }> = await em.fork().getConnection().execute(
    `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or c.udt_name in ('_text', '_varchar'))
      order by 1, 2`,
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

/** Where any of `needles` occurs (case-insensitively) in the database: `table.column: needle` entries. */
export async function scanDatabase(em: EntityManager, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const lowered = needles.map((n) => n.toLowerCase());
  for (const { table, column } of await textColumns(em)) {
    const values: Array<{ v: string }> = await em.fork().getConnection().execute(
      `select "${column}"::text as v from "${table}" where "${column}" is not null`,
    );
    for (const { v } of values) {
      const text = v.toLowerCase();
      for (const [i, needle] of lowered.entries()) if (text.includes(needle)) found.push(`${table}.${column}: ${needles[i]}`);
    }
  }
  return found;
}
