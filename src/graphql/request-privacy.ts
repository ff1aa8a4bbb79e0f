/**
 * The per-request side of the privacy decision: who is calling, one decision per (subject state,
 * category) for the whole request, the redactions to report in `extensions.redactions`, and, for
 * partners and authorities (P5), the grant and the disclosures to log.
 */
import type { Path } from 'graphql/jsutils/Path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { DisclosureBatch, type RecipientRef } from '../disclosure/batch';
import type { DisclosedField } from '../disclosure/disclosure.entity';
import type { RequestFacts } from '../disclosure/disclosure-log';
import { loadRecipient, subjectAccessRecipient, type Recipient } from '../disclosure/recipient';
import { createServedLoader } from '../partners/served';
import type { PiiCategory } from '../privacy/categories';
import { audienceOf, decide, decideRelation, mayReach, type Caller, type Decision, type RedactionReason, type Relation, type Subject } from '../privacy/decide';
import { POLICY } from '../privacy/policy';
import type { SubjectRef, SubjectState } from '../subjects/subject-state';

/** Where subject states come from when a value arrives without one (batched, one answer per id per request). */
export type LoadState = (id: string) => Promise<SubjectState>;

/**
 * One entry per place in the response shape, category, access and reason: list indexes are `*`,
 * and `count` says how many values there were withheld, so the report does not grow with the page.
 */
export interface Redaction {
  readonly path: readonly string[];
  readonly category: PiiCategory;
  readonly access: 'MASKED' | 'HIDDEN';
  readonly reason: RedactionReason;
  count: number;
}

const DEPERSONALISED: Decision = { access: 'HIDDEN', reason: 'ERASED' };
const NO_ROLE: Decision = { access: 'HIDDEN', reason: 'ROLE' };

const segmentOf = (at: Path): string => (typeof at.key === 'number' ? '*' : at.key);

const joined = (pattern: string, segment: string): string => (pattern === '' ? segment : `${pattern}.${segment}`);

/**
 * pathPattern as text, for the report's key: built as a string from the leaf up, without the arrays.
 * Not cached per path object: graphql-jit passes a fresh path chain to every resolver call.
 */
function patternText(at: Path | undefined): string {
  let text = '';
  for (let p = at; p; p = p.prev) text = text === '' ? segmentOf(p) : `${segmentOf(p)}.${text}`;
  return text;
}

/** A response path as its pattern: `clients.edges.*.node.phones` for every row of a page. */
export function pathPattern(at: Path | undefined, ...below: string[]): string[] {
  const segments: string[] = [];
  for (let p = at; p; p = p.prev) segments.push(segmentOf(p));
  return segments.reverse().concat(below);
}

export class RequestPrivacy {
  private readonly redacted = new Map<string, Redaction>();
  /** Personal values served under P5 (or exported to the subject), written before the response leaves. */
  readonly disclosures = new DisclosureBatch();
  /** The operation as the log names it, set by the disclosure plugin once the operation is resolved. */
  query: Omit<RequestFacts, 'requestId'> = { operationName: null, queryHash: null };
  /** Decisions made per state read, for subjects the grant does not name: each is made once per request. */
  private readonly decisions = new Map<SubjectState, Map<PiiCategory | Relation, Decision>>();
  /** The same, for subjects the grant names. */
  private readonly grantedDecisions = new Map<SubjectState, Map<PiiCategory | Relation, Decision>>();
  private exportRecipient: RecipientRef | null = null;
  private readonly exported = new Set<string>();
  readonly caller: Caller | null;
  /** One instant for the whole request, so every field of it is judged against the same consent dates. */
  readonly now = new Date();

  constructor(
    private readonly principal: Principal | null,
    private readonly loadState: LoadState,
    /** Set for partners and authorities: the contract or lawful request behind the token. */
    readonly recipient: Recipient | null = null,
    /** Partners only: does the partner serve this client (batched per request)? */
    private readonly serves: ((id: string) => Promise<boolean>) | null = null,
  ) {
    const grant = recipient ? { categories: recipient.categories, inForce: recipient.inForce } : null;
    this.caller = principal ? { role: principal.role, clientId: principal.clientId, grant } : null;
  }

  /** The partner this request reads for (P5.1), if any: reads then say whether it serves each client. */
  get partnerId(): string | null {
    return this.serves ? (this.recipient?.partnerId ?? null) : null;
  }

  /** Synchronous when the value came with its subject's state, as every read of the subject store does. */
  decide(category: PiiCategory, subject: SubjectRef | null): Decision | Promise<Decision> {
    const caller = this.caller;
    if (!caller) return NO_ROLE;
    if (subject === null) return DEPERSONALISED;
    // Role first: a caller who could never see the category learns nothing about the subject's state.
    if (POLICY[audienceOf(caller, subject.id)].access[category] === 'HIDDEN') return NO_ROLE;
    return this.decideOn(category, subject);
  }

  /** Whether the caller gets the subject's orders or consent history at all (decideRelation); null: depersonalised. */
  decideRelation(relation: Relation, subject: SubjectRef | null): Decision | Promise<Decision> {
    const caller = this.caller;
    if (!caller) return NO_ROLE;
    if (subject === null) return decideRelation(relation, caller, null, this.now);
    return this.decideOn(relation, subject);
  }

  /**
   * Whether a partner or authority may reach this subject at all (mayReach; root lookups answer
   * null otherwise); other roles are governed by the field decisions alone.
   */
  async reaches(subject: SubjectRef): Promise<boolean> {
    if (!this.recipient) return true;
    // Nothing is open: no need to read the subject to say so.
    if (!this.caller || !this.recipient.inForce) return false;
    const [state, granted] = await Promise.all(this.facts(subject));
    return mayReach(this.caller, subjectOf(subject.id, state, granted), this.now);
  }

  /** Reports a withheld or masked value at `at` (plus `below`, for a part of it not resolved on its own). */
  redact(at: Path | undefined, category: PiiCategory, access: 'MASKED' | 'HIDDEN', reason: RedactionReason, ...below: string[]): void {
    const key = `${below.reduce(joined, patternText(at))}|${category}|${access}|${reason}`;
    const entry = this.redacted.get(key);
    if (entry) entry.count += 1;
    else this.redacted.set(key, { path: pathPattern(at, ...below), category, access, reason, count: 1 });
  }

  get redactions(): Redaction[] {
    return [...this.redacted.values()];
  }

  /** Whether served values must be logged: under P5 (partner or authority), or in an access export. */
  get logsDisclosures(): boolean {
    return this.recipient !== null || this.exportRecipient !== null;
  }

  /**
   * Marks this request as an access export of the subject: the export itself is one entry, with
   * the subject as recipient, even if it serves no personal value (consents, amounts, an empty
   * record); every personal value of the subject that the @pii guard serves is named in it. It
   * fails closed like P5.
   */
  exporting(subjectId: string): void {
    if (!this.principal) return;
    this.exportRecipient ??= subjectAccessRecipient(this.principal);
    this.exported.add(subjectId);
    this.disclosures.open(this.exportRecipient, subjectId);
  }

  /** A personal value actually served to a P5 recipient or in an access export. */
  disclosed(subjectId: string, field: DisclosedField): void {
    if (this.recipient) this.disclosures.add(this.recipient, subjectId, field);
    else if (this.exportRecipient && this.exported.has(subjectId)) this.disclosures.add(this.exportRecipient, subjectId, field);
  }

  private decideOn(what: PiiCategory | Relation, subject: SubjectRef): Decision | Promise<Decision> {
    const [state, granted] = this.facts(subject);
    if (!(state instanceof Promise) && !(granted instanceof Promise)) return this.decided(what, subject.id, state, granted);
    return Promise.all([state, granted]).then(([s, g]) => this.decided(what, subject.id, s, g));
  }

  /**
   * What the decision reads of a subject, each from the subject's own record: the state read with
   * the value (or loaded for its id), and whether the grant names it, as read with the row (a
   * partner's `served` flag) or answered for its id (the authority's request, the served loader).
   * Nothing learnt from other rows counts, so answers do not depend on the order of reads.
   */
  private facts(subject: SubjectRef): [SubjectState | Promise<SubjectState>, boolean | Promise<boolean>] {
    return [subject.state ?? this.loadState(subject.id), this.granted(subject)];
  }

  private granted(subject: SubjectRef): boolean | Promise<boolean> {
    const recipient = this.recipient;
    // A grant not in force opens nothing, whichever subjects it names.
    if (!recipient?.inForce) return false;
    if (recipient.subjectIds) return recipient.subjectIds.has(subject.id);
    if (subject.served !== undefined) return subject.served;
    return this.serves?.(subject.id) ?? false;
  }

  private decided(what: PiiCategory | Relation, subjectId: string, state: SubjectState, granted: boolean): Decision {
    const caller = this.caller!;
    const byState = granted ? this.grantedDecisions : this.decisions;
    let made = byState.get(state);
    if (!made) byState.set(state, (made = new Map()));
    let decision = made.get(what);
    if (!decision) {
      const subject = subjectOf(subjectId, state, granted);
      decision =
        what === 'ORDERS' || what === 'CONSENTS'
          ? decideRelation(what, caller, subject, this.now)
          : decide(what, caller, subject, this.now);
      made.set(what, decision);
    }
    return decision;
  }
}

const subjectOf = (id: string, state: SubjectState, granted: boolean): Subject => ({ id, erased: state.erased, consent: state.consent, granted });

/** The request's privacy state; for partners and authorities, one query resolves their grant first. */
export async function requestPrivacyFor(principal: Principal | null, em: EntityManager, loadState: LoadState): Promise<RequestPrivacy> {
  const recipient = principal ? await loadRecipient(em, principal) : null;
  const served = recipient?.partnerId ? createServedLoader(em, recipient.partnerId) : null;
  return new RequestPrivacy(principal, loadState, recipient, served ? (id) => served.load(id) : null);
}
