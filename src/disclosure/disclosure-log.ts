/**
 * Writing, reading and verifying the disclosure log. Each recipient has its own hash chain
 * (src/disclosure/chain.ts); an append takes that chain's transaction-scoped advisory lock, so
 * concurrent requests of one recipient extend its chain one after another and it stays linear,
 * while other recipients' requests append to their own chains at the same time.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { query } from '../db/query';
import { contractInForceArgs } from '../partners/contract-in-force';
import type { PendingDisclosure } from './batch';
import { asStored, chainOf, entryHash, fieldsProblem, GENESIS_HASH, LEGACY_CHAIN, type ChainedEntry } from './chain';
import { revoked } from './recipient';
import { RecipientKind, type DisclosedField } from './disclosure.entity';

export interface RequestFacts {
  readonly operationName: string | null;
  readonly queryHash: string | null;
  readonly requestId: string | null;
}

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

/** What `lock_disclosure_chains` raises when a grant ended while the request ran. */
const GRANT_ENDED = 'KZ001';

const COLUMNS = [
  'seq', 'chain', 'chain_seq', 'id', 'at', 'recipient_kind', 'recipient', 'partner_id', 'contract_id', 'lawful_request_id', 'token_id', 'actor',
  'subject_id', 'fields', 'purpose', 'legal_basis', 'operation_name', 'query_hash', 'request_id', 'prev_hash', 'hash',
] as const;

/** A chain's newest entry as the append reads it, with the log-wide positions reserved for the new ones. */
interface HeadRow {
  chain: string;
  chain_seq: string | null;
  hash: string | null;
  seqs: string[];
}

/** The grants to re-check under the chains' locks: those of a token (an off-system record has none). */
function grantsOf(pending: readonly PendingDisclosure[]): Array<Record<string, string | null>> {
  const grants = new Map<string, Record<string, string | null>>();
  for (const { recipient: r } of pending) {
    if (r.tokenId === null || (r.kind !== RecipientKind.PARTNER && r.kind !== RecipientKind.AUTHORITY)) continue;
    grants.set(`${r.kind} ${r.tokenId} ${r.contractId} ${r.lawfulRequestId}`, { kind: r.kind, token_id: r.tokenId, contract_id: r.contractId, lawful_request_id: r.lawfulRequestId });
  }
  return [...grants.values()];
}

/**
 * Appends a request's disclosures, each chained after its recipient's current head, in four round
 * trips: BEGIN; `lock_disclosure_chains` (migrations/Migration20261206111500.ts: the timeouts, the
 * chains' locks, the grants re-checked, the heads, the positions); one INSERT of the hashed
 * entries; COMMIT. Throws if it cannot. Usually one chain; an access export per subject is one
 * chain each.
 */
export async function appendDisclosures(
  em: EntityManager,
  pending: readonly PendingDisclosure[],
  facts: RequestFacts,
  options: LogLimits & { readonly at?: Date },
): Promise<LoggedDisclosure[]> {
  if (pending.length === 0) return [];
  const at = options.at ?? new Date();
  const { lockTimeoutMs, statementTimeoutMs } = logTimeouts(options);
  const byChain = new Map<string, PendingDisclosure[]>();
  for (const p of pending) {
    const chain = chainOf(p.recipient, p.subjectId);
    byChain.set(chain, [...(byChain.get(chain) ?? []), p]);
  }
  const chains = [...byChain];
  return em.fork().transactional(async (tx) => {
    // Fail fast rather than hold a response: an unavailable log withholds the data instead. Never
    // longer than the request's deadline, after which the answer is no longer awaited (P5).
    const heads = await query<HeadRow>(tx, 'select * from lock_disclosure_chains(?::jsonb, ?::jsonb, ?, ?::date, ?, ?, ?)', [
      JSON.stringify(chains.map(([chain, entries]) => ({ chain, n: entries.length }))), JSON.stringify(grantsOf(pending)), at,
      ...contractInForceArgs(at), lockTimeoutMs, statementTimeoutMs,
    ]).catch((error: unknown) => {
      throw (error as { code?: unknown }).code === GRANT_ENDED ? revoked() : error;
    });
    const written: LoggedDisclosure[] = [];
    for (const [chain, entries] of chains) {
      const head = heads.find((h) => h.chain === chain)!;
      let chainSeq = head.chain_seq === null ? 0 : Number(head.chain_seq);
      let prevHash = head.hash ?? GENESIS_HASH;
      for (const [i, p] of entries.entries()) {
        chainSeq += 1;
        const entry: ChainedEntry = asStored({
          seq: Number(head.seqs[i]),
          chain,
          chainSeq,
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
        written.push({ ...entry, hash });
        prevHash = hash;
      }
    }
    // One bound parameter for the whole batch, whatever its size.
    await query(tx, `insert into disclosure_log (${COLUMNS.join(', ')}) select ${COLUMNS.join(', ')} from jsonb_populate_recordset(null::disclosure_log, ?::jsonb)`, [
      JSON.stringify(written.map(rowOf)),
    ]);
    return written;
  });
}

/** An entry as its `disclosure_log` row, keyed by column. */
const rowOf = (e: LoggedDisclosure) => ({
  seq: e.seq, chain: e.chain, chain_seq: e.chainSeq, id: e.id, at: e.at, recipient_kind: e.recipientKind, recipient: e.recipient, partner_id: e.partnerId,
  contract_id: e.contractId, lawful_request_id: e.lawfulRequestId, token_id: e.tokenId, actor: e.actor, subject_id: e.subjectId, fields: e.fields,
  purpose: e.purpose, legal_basis: e.legalBasis, operation_name: e.operationName, query_hash: e.queryHash, request_id: e.requestId, prev_hash: e.prevHash,
  hash: e.hash,
});

/** A `disclosure_log` row as PostgreSQL returns it. */
export interface LogRow {
  seq: string;
  chain: string;
  chain_seq: string;
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

/** An entry as the chain hashes it, from its row. */
export function entryOf(row: LogRow): LoggedDisclosure {
  return {
    seq: Number(row.seq),
    chain: row.chain,
    chainSeq: Number(row.chain_seq),
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
  return rows.map(entryOf);
}

/** One chain's verification: its entries that verified, its head, and its first broken link if any. */
export interface ChainReport {
  readonly chain: string;
  /** Entries verified before the first broken link (all of them when intact). */
  readonly entries: number;
  /** Position and hash of the last verified entry; null when none verified. */
  readonly head: ChainHead | null;
  readonly brokenAt: { readonly seq: number; readonly id: string | null; readonly reason: string } | null;
  /** The expected head it was held to, if one was given. */
  readonly expected: ChainHead | null;
}

export interface LogVerdict {
  readonly ok: boolean;
  /** Entries verified, over every chain. */
  readonly entries: number;
  /** Every chain of the log, and every expected chain the log no longer has, by name. */
  readonly chains: readonly ChainReport[];
}

/** A chain's head (position and hash), as verification prints it and as kept outside the database. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

const PAGE = 1000;

/** Walks one chain's entries in order, naming the first broken link. */
class ChainWalk {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private entries = 0;
  private head: ChainHead | null = null;
  private brokenAt: ChainReport['brokenAt'] = null;

  constructor(readonly chain: string, private readonly expected: ChainHead | null) {}

  add(row: LogRow): void {
    if (this.brokenAt) return;
    const entry = entryOf(row);
    const broken = (reason: string) => {
      this.brokenAt = { seq: entry.chainSeq, id: entry.id, reason };
    };
    if (entry.chainSeq < this.expectedSeq) return broken("an entry below the chain's start (position under 1)");
    if (entry.chainSeq !== this.expectedSeq) return broken(`entry ${this.expectedSeq} is missing (next entry is ${entry.chainSeq})`);
    // A legacy entry's hash covers its seq, not chain_seq: the two must agree, or its place was changed.
    if (this.chain === LEGACY_CHAIN && entry.seq !== entry.chainSeq) return broken('a legacy entry whose position is not its seq');
    if (entry.prevHash !== this.prevHash) return broken('prev_hash is not the hash of the previous entry');
    const problem = fieldsProblem(row.fields);
    if (problem) return broken(`${problem}: content outside the hash`);
    if (entryHash(entry) !== entry.hash) return broken("hash does not match the entry's content");
    if (this.expected && entry.chainSeq === this.expected.seq && entry.hash !== this.expected.hash) return broken("hash is not the expected head's hash");
    this.prevHash = entry.hash;
    this.head = { seq: entry.chainSeq, hash: entry.hash };
    this.expectedSeq += 1;
    this.entries += 1;
  }

  report(): ChainReport {
    const short = !this.brokenAt && this.expected && this.entries < this.expected.seq;
    const brokenAt = short
      ? {
          seq: this.expected!.seq,
          id: null,
          reason: this.entries === 0
            ? 'the log has no entry of this chain, which the expected head names: the chain was removed'
            : `the chain ends at entry ${this.entries}, before the expected head: newer entries were removed`,
        }
      : this.brokenAt;
    return { chain: this.chain, entries: this.entries, head: this.head, brokenAt, expected: this.expected };
  }
}

/**
 * Walks every chain in order (by chain, then position; 1000 rows at a time) and names each one's
 * first broken link: a gap in its positions (an entry removed), a `prev_hash` that is not the
 * previous entry's hash (removed or reordered), a `hash` that does not match the entry's content
 * (changed), or content the hash does not cover. A chain given an expected head must also reach
 * it and carry its hash there; an expected chain the log no longer has is broken too.
 */
export async function verifyChains(em: EntityManager, expectedHeads: ReadonlyMap<string, ChainHead> = new Map()): Promise<LogVerdict> {
  const reports: ChainReport[] = [];
  let walk = null as ChainWalk | null;
  let last: { chain: string; chainSeq: string } | null = null;
  for (;;) {
    const rows: LogRow[] = await em.getConnection().execute(
      `select * from disclosure_log ${last ? 'where (chain, chain_seq) > (?, ?)' : ''} order by chain, chain_seq limit ${PAGE}`,
      last ? [last.chain, last.chainSeq] : [],
    );
    for (const row of rows) {
      if (walk?.chain !== row.chain) {
        if (walk) reports.push(walk.report());
        walk = new ChainWalk(row.chain, expectedHeads.get(row.chain) ?? null);
      }
      walk.add(row);
      last = { chain: row.chain, chainSeq: row.chain_seq };
    }
    if (rows.length < PAGE) break;
  }
  if (walk) reports.push(walk.report());
  const present = new Set(reports.map((r) => r.chain));
  for (const [chain, head] of expectedHeads) if (!present.has(chain)) reports.push(new ChainWalk(chain, head).report());
  reports.sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
  return { ok: reports.every((r) => r.brokenAt === null), entries: reports.reduce((n, r) => n + r.entries, 0), chains: reports };
}
