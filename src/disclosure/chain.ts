/**
 * The hash chains of the disclosure log, one per recipient. An entry's hash covers its every column
 * and the hash of its chain's previous entry, so changing, removing or reordering any entry breaks
 * every later link of its chain. Chains are independent: appending to one never waits for another.
 */
import { createHash } from 'node:crypto';
import { PII_CATEGORIES } from '../privacy/categories';
import type { RecipientRef } from './batch';
import { RecipientKind, type DisclosedField } from './disclosure.entity';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The one chain of the log before chains were per recipient: its entries keep the version 1 hash,
 * over their log-wide `seq`, which is also their position in it. Nothing new is written to it.
 */
export const LEGACY_CHAIN = 'legacy';

/**
 * The recipient's chain. A partner's requests and the DPO's off-system records for it share one, as
 * do an authority's under one lawful request; an access export is the subject's own; other
 * off-system recipients, named only by free text, share `other`.
 */
export function chainOf(recipient: RecipientRef, subjectId: string): string {
  const id = (value: string | null): string => {
    if (!value) throw new Error(`a ${recipient.kind} disclosure names no recipient id`);
    return value;
  };
  switch (recipient.kind) {
    case RecipientKind.PARTNER:
      return `partner:${id(recipient.partnerId)}`;
    case RecipientKind.AUTHORITY:
      return `lawful-request:${id(recipient.lawfulRequestId)}`;
    case RecipientKind.SUBJECT:
      return `subject:${subjectId}`;
    case RecipientKind.OTHER:
      return 'other';
  }
}

/**
 * The class of the chains' advisory locks (`pg_advisory_xact_lock(CHAIN_LOCK, chainLockKey(chain))`),
 * as the database function `lock_disclosure_chains` takes them (its `disclosure_chain_lock_key` is this key).
 */
export const CHAIN_LOCK = 0x6b7a7064; // "kzpd"

/**
 * A chain's advisory lock key: 32 bits of the SHA-256 of its name. Two chains that collide only
 * share a lock (their writes queue), never an entry; the unique (chain, chain_seq) keeps each linear.
 */
export function chainLockKey(chain: string): number {
  return createHash('sha256').update(chain, 'utf8').digest().readInt32BE(0);
}

/** The chained content of an entry: every column except `hash`. */
export interface ChainedEntry {
  readonly seq: number;
  readonly chain: string;
  readonly chainSeq: number;
  readonly id: string;
  readonly at: Date;
  readonly recipientKind: RecipientKind;
  readonly recipient: string;
  readonly partnerId: string | null;
  readonly contractId: string | null;
  readonly lawfulRequestId: string | null;
  readonly tokenId: string | null;
  readonly actor: string;
  readonly subjectId: string;
  readonly fields: readonly DisclosedField[];
  readonly purpose: string;
  readonly legalBasis: string;
  readonly operationName: string | null;
  readonly queryHash: string | null;
  readonly requestId: string | null;
  readonly prevHash: string;
}

/**
 * A fixed-order JSON array, so the serialisation does not depend on key order (jsonb reorders
 * object keys) or on how a driver returns a type (bigint as string, timestamps as Date). Version 2
 * adds the chain and the position in it; the legacy chain's entries keep version 1, as written.
 */
export function canonical(entry: ChainedEntry): string {
  const version = entry.chain === LEGACY_CHAIN ? ['kzpay-disclosure-v1', Number(entry.seq)] : ['kzpay-disclosure-v2', Number(entry.seq), entry.chain, Number(entry.chainSeq)];
  return JSON.stringify([
    ...version,
    entry.id,
    new Date(entry.at).toISOString(),
    entry.recipientKind,
    entry.recipient,
    entry.partnerId,
    entry.contractId,
    entry.lawfulRequestId,
    entry.tokenId,
    entry.actor,
    entry.subjectId,
    entry.fields.map((f) => [f.path, f.category, f.access]),
    entry.purpose,
    entry.legalBasis,
    entry.operationName,
    entry.queryHash,
    entry.requestId,
    entry.prevHash,
  ]);
}

const FIELD_KEYS = 'access,category,path';
const ACCESS: readonly unknown[] = ['FULL', 'MASKED'];

/**
 * Why a row's `fields` is not what the writer produces, or null. The hash covers each field's
 * path, category and access only (v1 entries stay verifiable), so anything else in the jsonb, such
 * as an added value, is refused here rather than passing unhashed.
 */
export function fieldsProblem(fields: unknown): string | null {
  if (!Array.isArray(fields)) return 'fields is not a list';
  for (const [i, field] of fields.entries()) {
    if (typeof field !== 'object' || field === null || Array.isArray(field)) return `fields[${i}] is not an object`;
    if (Object.keys(field).sort().join(',') !== FIELD_KEYS) return `fields[${i}] has keys other than path, category and access`;
    const { path, category, access } = field as Record<string, unknown>;
    if (typeof path !== 'string' || !(PII_CATEGORIES as readonly unknown[]).includes(category) || !ACCESS.includes(access)) {
      return `fields[${i}] has an invalid path, category or access`;
    }
  }
  return null;
}

const stored = <T extends string | null>(text: T): T => (text === null ? text : (text.toWellFormed() as T));

/**
 * The entry as PostgreSQL will store it, which is what its hash must cover: text goes to the
 * database as UTF-8, where a lone surrogate (no character, and no UTF-8 form) becomes U+FFFD.
 */
export function asStored<T extends ChainedEntry>(entry: T): T {
  return {
    ...entry,
    recipient: stored(entry.recipient),
    partnerId: stored(entry.partnerId),
    contractId: stored(entry.contractId),
    lawfulRequestId: stored(entry.lawfulRequestId),
    tokenId: stored(entry.tokenId),
    actor: stored(entry.actor),
    subjectId: stored(entry.subjectId),
    fields: entry.fields.map((f) => ({ ...f, path: stored(f.path) })),
    purpose: stored(entry.purpose),
    legalBasis: stored(entry.legalBasis),
    operationName: stored(entry.operationName),
    queryHash: stored(entry.queryHash),
    requestId: stored(entry.requestId),
  };
}

export function entryHash(entry: ChainedEntry): string {
  return createHash('sha256').update(canonical(entry), 'utf8').digest('hex');
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
