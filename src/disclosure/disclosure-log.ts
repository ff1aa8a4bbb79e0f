/**
 * Writing, reading and verifying the disclosure log. Appends take a transaction-scoped advisory
 * lock, so concurrent requests extend the chain one after another and it stays linear.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { PendingDisclosure } from './batch';
import { asStored, entryHash, fieldsProblem, GENESIS_HASH, type ChainedEntry } from './chain';
import { revoked, stillInForce } from './recipient';
import type { DisclosedField, RecipientKind } from './disclosure.entity';

/** Arbitrary but fixed: the one advisory lock key that serialises appends to the chain. */
export const CHAIN_LOCK = 0x6b7a7064; // "kzpd"

export interface RequestFacts {
  readonly operationName: string | null;
  readonly queryHash: string | null;
  readonly requestId: string | null;
}

const COLUMNS = [
  'seq', 'id', 'at', 'recipient_kind', 'recipient', 'partner_id', 'contract_id', 'lawful_request_id', 'token_id', 'actor',
  'subject_id', 'fields', 'purpose', 'legal_basis', 'operation_name', 'query_hash', 'request_id', 'prev_hash', 'hash',
] as const;
const ROW = `(${COLUMNS.map((c) => (c === 'fields' ? '?::jsonb' : '?')).join(', ')})`;

/** The request's configured deadline, which no wait of the log may outlast. */
export interface LogLimits {
  readonly requestTimeoutMs: number;
}

const LOCK_TIMEOUT_MS = 5000;
const STATEMENT_TIMEOUT_MS = 10_000;

/** The log transaction's lock and statement timeouts: its own, or the request's deadline if that is shorter. */
export function logTimeouts(limits: LogLimits): { lockTimeoutMs: number; statementTimeoutMs: number } {
  const deadline = Math.max(1, Math.floor(limits.requestTimeoutMs));
  return { lockTimeoutMs: Math.min(LOCK_TIMEOUT_MS, deadline), statementTimeoutMs: Math.min(STATEMENT_TIMEOUT_MS, deadline) };
}

/** Appends a request's disclosures as one INSERT, chained after the current head. Throws if it cannot. */
export async function appendDisclosures(
  em: EntityManager,
  pending: readonly PendingDisclosure[],
  facts: RequestFacts,
  options: LogLimits & { readonly at?: Date },
): Promise<LoggedDisclosure[]> {
  if (pending.length === 0) return [];
  const at = options.at ?? new Date();
  const { lockTimeoutMs, statementTimeoutMs } = logTimeouts(options);
  return em.fork().transactional(async (tx) => {
    // Fail fast rather than hold a response: an unavailable log withholds the data instead. Never
    // longer than the request's deadline, after which the answer is no longer awaited (P5).
    await tx.execute(`set local lock_timeout = ${lockTimeoutMs}`);
    await tx.execute(`set local statement_timeout = ${statementTimeoutMs}`);
    await tx.execute(`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
    for (const recipient of new Set(pending.map((p) => p.recipient))) {
      if (!(await stillInForce(tx, recipient, at))) throw revoked();
    }
    const [head]: Array<{ seq: string; hash: string }> = await tx.execute(`select seq, hash from disclosure_log order by seq desc limit 1`);
    let seq = head ? Number(head.seq) : 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const params: unknown[] = [];
    const written: LoggedDisclosure[] = [];
    for (const p of pending) {
      seq += 1;
      const entry: ChainedEntry = asStored({
        seq,
        id: randomUUID(),
        at,
        recipientKind: p.recipient.kind,
        recipient: p.recipient.label,
        partnerId: p.recipient.partnerId,
        contractId: p.recipient.contractId,
        lawfulRequestId: p.recipient.lawfulRequestId,
        tokenId: p.recipient.tokenId,
        actor: p.recipient.actor,
        subjectId: p.subjectId,
        fields: p.fields,
        purpose: p.recipient.purpose,
        legalBasis: p.recipient.legalBasis,
        ...facts,
        prevHash,
      });
      const hash = entryHash(entry);
      params.push(
        entry.seq, entry.id, entry.at, entry.recipientKind, entry.recipient, entry.partnerId, entry.contractId, entry.lawfulRequestId,
        entry.tokenId, entry.actor, entry.subjectId, JSON.stringify(entry.fields), entry.purpose, entry.legalBasis,
        entry.operationName, entry.queryHash, entry.requestId, entry.prevHash, hash,
      );
      written.push({ ...entry, hash });
      prevHash = hash;
    }
    await tx.execute(`insert into disclosure_log (${COLUMNS.join(', ')}) values ${pending.map(() => ROW).join(', ')}`, params);
    return written;
  });
}

/** A `disclosure_log` row as PostgreSQL returns it. */
export interface LogRow {
  seq: string;
  id: string;
  at: Date;
  recipient_kind: RecipientKind;
  recipient: string;
  partner_id: string | null;
  contract_id: string | null;
  lawful_request_id: string | null;
  token_id: string | null;
  actor: string;
  subject_id: string;
  fields: DisclosedField[];
  purpose: string;
  legal_basis: string;
  operation_name: string | null;
  query_hash: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface LoggedDisclosure extends ChainedEntry {
  readonly hash: string;
}

function fromRow(row: LogRow): LoggedDisclosure {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: new Date(row.at),
    recipientKind: row.recipient_kind,
    recipient: row.recipient,
    partnerId: row.partner_id,
    contractId: row.contract_id,
    lawfulRequestId: row.lawful_request_id,
    tokenId: row.token_id,
    actor: row.actor,
    subjectId: row.subject_id,
    fields: row.fields,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    operationName: row.operation_name,
    queryHash: row.query_hash,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface DisclosureSearch {
  readonly subjectId?: string | null;
  /** A partner, contract or lawful request id. */
  readonly recipientId?: string | null;
  /** Part of the recipient's label, any case. */
  readonly recipientName?: string | null;
  readonly tokenId?: string | null;
  readonly recipientKind?: RecipientKind | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
  /** Keyset: entries with a smaller seq than this (newest first). */
  readonly before?: number | null;
  /** Absent: every matching entry (the subject's access export). */
  readonly limit?: number;
}

/** Newest first. */
export async function searchDisclosures(em: EntityManager, search: DisclosureSearch): Promise<LoggedDisclosure[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (search.subjectId) add('subject_id = ?', search.subjectId);
  if (search.recipientId) add('(partner_id = ? or contract_id = ? or lawful_request_id = ?)', search.recipientId, search.recipientId, search.recipientId);
  if (search.recipientName) add(`recipient ilike ? escape '\\'`, `%${search.recipientName.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (search.tokenId) add('token_id = ?', search.tokenId);
  if (search.recipientKind) add('recipient_kind = ?', search.recipientKind);
  if (search.from) add('at >= ?', search.from);
  if (search.to) add('at < ?', search.to);
  if (search.before) add('seq < ?', search.before);
  const rows: LogRow[] = await em.execute(
    `select * from disclosure_log ${where.length ? `where ${where.join(' and ')}` : ''} order by seq desc ${search.limit ? 'limit ?' : ''}`,
    search.limit ? [...params, search.limit] : params,
  );
  return rows.map(fromRow);
}

export type ChainVerdict =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: { readonly seq: number; readonly id: string | null; readonly reason: string } };

/** A head (position and hash) recorded outside the database, so that cutting the newest entries shows. */
export interface ExpectedHead {
  readonly seq: number;
  readonly hash: string;
}

const PAGE = 1000;

/**
 * Walks the whole chain in order and names the first broken link: a gap in `seq` (an entry
 * removed), a `prev_hash` that is not the previous entry's hash (removed or reordered), a `hash`
 * that does not match the entry's content (changed), or content the hash does not cover. With an
 * expected head, the chain must also reach it and carry its hash there.
 */
export async function verifyChain(em: EntityManager, expectedHead: ExpectedHead | null = null): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  // From the lowest seq there is, not from 1: a row slipped in below the chain's start is a break too.
  let lastSeq: number | null = null;
  for (;;) {
    const rows: LogRow[] = await em.getConnection().execute(
      `select * from disclosure_log ${lastSeq === null ? '' : 'where seq > ?'} order by seq limit ${PAGE}`,
      lastSeq === null ? [] : [lastSeq],
    );
    for (const row of rows) {
      const entry = fromRow(row);
      const broken = (reason: string): ChainVerdict => ({ ok: false, entries, brokenAt: { seq: entry.seq, id: entry.id, reason } });
      if (entry.seq < expectedSeq) return broken('an entry below the chain\'s start (seq under 1)');
      if (entry.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing (next entry is ${entry.seq})`);
      if (entry.prevHash !== prevHash) return broken('prev_hash is not the hash of the previous entry');
      const problem = fieldsProblem(row.fields);
      if (problem) return broken(`${problem}: content outside the hash`);
      if (entryHash(entry) !== entry.hash) return broken("hash does not match the entry's content");
      if (expectedHead && entry.seq === expectedHead.seq && entry.hash !== expectedHead.hash) return broken("hash is not the expected head's hash");
      prevHash = entry.hash;
      lastSeq = entry.seq;
      expectedSeq += 1;
      entries += 1;
    }
    if (rows.length < PAGE) break;
  }
  if (expectedHead && entries < expectedHead.seq) {
    return { ok: false, entries, brokenAt: { seq: expectedHead.seq, id: null, reason: `the log ends at entry ${entries}, before the expected head: newer entries were removed` } };
  }
  return { ok: true, entries, head: prevHash };
}
