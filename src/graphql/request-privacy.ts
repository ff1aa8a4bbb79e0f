/**
 * The per-request side of the privacy decision: who is calling, the subjects' states loaded once
 * per request, the redactions to report in `extensions.redactions`, and, for partners and
 * authorities (P5), the grant and the disclosures to log.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { DisclosureBatch, type RecipientRef } from '../disclosure/batch';
import type { DisclosedField } from '../disclosure/disclosure.entity';
import type { RequestFacts } from '../disclosure/disclosure-log';
import { loadRecipient, subjectAccessRecipient, type Recipient } from '../disclosure/recipient';
import { createServedLoader } from '../partners/served';
import type { PiiCategory } from '../privacy/categories';
import type { ConsentState } from '../privacy/consent-state';
import { audienceOf, decide, mayReach, type Caller, type Decision, type Grant, type RedactionReason } from '../privacy/decide';
import { POLICY } from '../privacy/policy';

export interface SubjectState {
  /** Changes with every change to the subject's row or consent (see loaders.ts): a read can check it was not overtaken. */
  readonly version: string;
  readonly erased: boolean;
  readonly consent: ConsentState;
}

/** Where subject states come from: batched loads, and the ones already read with their rows. */
export interface SubjectStates {
  load(id: string): Promise<SubjectState>;
  /** Synchronous: lets the guard decide without a Promise once a row's state is known. */
  peek(id: string): SubjectState | undefined;
}

export interface Redaction {
  readonly path: string;
  readonly category: PiiCategory;
  readonly access: 'MASKED' | 'HIDDEN';
  readonly reason: RedactionReason;
}

const DEPERSONALISED: Decision = { access: 'HIDDEN', reason: 'ERASED' };
const NO_ROLE: Decision = { access: 'HIDDEN', reason: 'ROLE' };
const NOTHING = new Set<PiiCategory>();

export class RequestPrivacy {
  readonly redactions: Redaction[] = [];
  /** Personal values served under P5 (or exported to the subject), written before the response leaves. */
  readonly disclosures = new DisclosureBatch();
  /** The operation as the log names it, set by the disclosure plugin once the operation is resolved. */
  query: Omit<RequestFacts, 'requestId'> = { operationName: null, queryHash: null };
  private readonly states = new Map<string, SubjectState>();
  /** The partner's served subjects learned so far: the grant's subject set grows as they are looked up. */
  private readonly served = new Set<string>();
  private exportRecipient: RecipientRef | null = null;
  private readonly exported = new Set<string>();
  readonly caller: Caller | null;
  /** One instant for the whole request, so every field of it is judged against the same consent dates. */
  readonly now = new Date();

  constructor(
    private readonly principal: Principal | null,
    private readonly subjects: SubjectStates,
    /** Set for partners and authorities: the contract or lawful request behind the token. */
    readonly recipient: Recipient | null = null,
    /** Partners only: does the partner serve this client (batched per request)? */
    private readonly serves: ((id: string) => Promise<boolean>) | null = null,
  ) {
    const grant: Grant | null = recipient
      ? { categories: recipient.inForce ? recipient.categories : NOTHING, subjectIds: recipient.subjectIds ?? this.served }
      : null;
    this.caller = principal ? { role: principal.role, clientId: principal.clientId, grant } : null;
  }

  /** Synchronous once the subject's state is loaded, so most fields cost no extra Promise. */
  decide(category: PiiCategory, subjectId: string | null): Decision | Promise<Decision> {
    const caller = this.caller;
    if (!caller) return NO_ROLE;
    if (subjectId === null) return DEPERSONALISED;
    if (POLICY[audienceOf(caller, subjectId)].access[category] === 'HIDDEN') return NO_ROLE;
    // Partners must also learn whether they serve the subject, which only load() does.
    const known = this.states.get(subjectId) ?? (this.serves ? undefined : this.subjects.peek(subjectId));
    if (known) return decide(category, caller, { id: subjectId, erased: known.erased }, known.consent, this.now);
    return this.load(subjectId).then((state) => decide(category, caller, { id: subjectId, erased: state.erased }, state.consent, this.now));
  }

  /**
   * Whether a partner or authority may reach this subject at all (mayReach; root lookups answer
   * null otherwise); other roles are governed by the field decisions alone.
   */
  async reaches(subjectId: string): Promise<boolean> {
    if (!this.recipient) return true;
    if (!this.caller || !this.recipient.inForce) return false;
    const state = await this.load(subjectId);
    return mayReach(this.caller, { id: subjectId, erased: state.erased }, state.consent, this.now);
  }

  redact(path: string, category: PiiCategory, access: 'MASKED' | 'HIDDEN', reason: RedactionReason): void {
    this.redactions.push({ path, category, access, reason });
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

  private load(subjectId: string): Promise<SubjectState> {
    return Promise.all([this.subjects.load(subjectId), this.lookUpServed(subjectId)]).then(([state]) => {
      this.states.set(subjectId, state);
      return state;
    });
  }

  private async lookUpServed(subjectId: string): Promise<void> {
    if (!this.serves || !this.recipient?.inForce || this.served.has(subjectId)) return;
    if (await this.serves(subjectId)) this.served.add(subjectId);
  }
}

/** The request's privacy state; for partners and authorities, one query resolves their grant first. */
export async function requestPrivacyFor(
  principal: Principal | null,
  em: EntityManager,
  subjects: SubjectStates,
): Promise<RequestPrivacy> {
  const recipient = principal ? await loadRecipient(em, principal) : null;
  const served = recipient?.partnerId ? createServedLoader(em, recipient.partnerId) : null;
  return new RequestPrivacy(principal, subjects, recipient, served ? (id) => served.load(id) : null);
}
