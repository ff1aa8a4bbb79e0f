/** Consent histories (P2) as plain records, oldest first, for any number of clients in one statement. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../db/query';
import type { ConsentRecord } from './records';

const CONSENT_KEYS: ReadonlyArray<[string, string]> = [
  ['id', 'k.id'],
  ['clientId', 'k.client_id'],
  ['kind', 'k.kind'],
  ['status', 'k.status'],
  ['policyVersion', 'k.policy_version'],
  ['policyTextHash', 'k.policy_text_hash'],
  ['operations', 'k.operations'],
  ['purposes', 'k.purposes'],
  ['channel', 'k.channel'],
  ['evidence', 'k.evidence'],
  ['actor', 'k.actor'],
  ['actorId', 'k.actor_id'],
  ['givenAt', 'k.given_at'],
  ['recordedAt', 'k.recorded_at'],
  ['withdrawalNoticeAt', 'k.withdrawal_notice_at'],
  ['withdrawalEffectiveAt', 'k.withdrawal_effective_at'],
  ['expiresAt', 'k.expires_at'],
  ['noticeSha256', 'k.notice_sha256'],
  ['noticeLength', 'k.notice_length'],
];

const CONSENT_COLUMNS = CONSENT_KEYS.map(([key, column]) => `${column} as "${key}"`).join(', ');

/** A consent record `k` as a JSON object, for histories aggregated inside a client's statement. */
export const CONSENT_JSON = `json_build_object(${CONSENT_KEYS.map(([key, column]) => `'${key}', ${column}`).join(', ')})`;

const TIMES = ['givenAt', 'recordedAt', 'withdrawalNoticeAt', 'withdrawalEffectiveAt', 'expiresAt'] as const;

/** Timestamps arrive as text, inside JSON and from the driver alike (MikroORM's type parsers). */
export function consentFromJson(json: Record<string, unknown>): ConsentRecord {
  for (const key of TIMES) if (json[key] !== null) json[key] = new Date(json[key] as string);
  return json as unknown as ConsentRecord;
}

export async function readConsentsOfClients(em: EntityManager, clientIds: readonly string[]): Promise<Map<string, ConsentRecord[]>> {
  const byClient = new Map<string, ConsentRecord[]>(clientIds.map((id) => [id, []]));
  if (clientIds.length === 0) return byClient;
  const rows: Array<Record<string, unknown>> = await query(
    em,
    `select ${CONSENT_COLUMNS} from consent k where k.client_id = any(?::uuid[]) order by k.recorded_at asc, k.id asc`,
    [clientIds],
  );
  for (const row of rows.map(consentFromJson)) if (row.clientId) byClient.get(row.clientId)?.push(row);
  return byClient;
}
