/**
 * The per-request side of the privacy decision: who is calling, the subjects' states loaded once
 * per request, and the redactions to report in `extensions.redactions`.
 */
import type { Principal } from '../auth/principal';
import type { PiiCategory } from '../privacy/categories';
import type { ConsentState } from '../privacy/consent-state';
import { audienceOf, decide, type Caller, type Decision, type Grant, type RedactionReason } from '../privacy/decide';
import { POLICY } from '../privacy/policy';

export interface SubjectState {
  readonly erased: boolean;
  readonly consent: ConsentState;
}

export interface Redaction {
  readonly path: string;
  readonly category: PiiCategory;
  readonly access: 'MASKED' | 'HIDDEN';
  readonly reason: RedactionReason;
}

const DEPERSONALISED: Decision = { access: 'HIDDEN', reason: 'ERASED' };
const NO_ROLE: Decision = { access: 'HIDDEN', reason: 'ROLE' };

export class RequestPrivacy {
  readonly redactions: Redaction[] = [];
  private readonly states = new Map<string, SubjectState>();
  readonly caller: Caller | null;

  constructor(
    principal: Principal | null,
    private readonly loadSubject: (id: string) => Promise<SubjectState>,
    grant: Grant | null = null,
  ) {
    this.caller = principal ? { role: principal.role, clientId: principal.clientId, grant } : null;
  }

  /** Synchronous once the subject's state is loaded, so most fields cost no extra Promise. */
  decide(category: PiiCategory, subjectId: string | null): Decision | Promise<Decision> {
    const caller = this.caller;
    if (!caller) return NO_ROLE;
    if (subjectId === null) return DEPERSONALISED;
    if (POLICY[audienceOf(caller, subjectId)].access[category] === 'HIDDEN') return NO_ROLE;
    const known = this.states.get(subjectId);
    if (known) return decide(category, caller, { id: subjectId, erased: known.erased }, known.consent);
    return this.loadSubject(subjectId).then((state) => {
      this.states.set(subjectId, state);
      return decide(category, caller, { id: subjectId, erased: state.erased }, state.consent);
    });
  }

  redact(path: string, category: PiiCategory, access: 'MASKED' | 'HIDDEN', reason: RedactionReason): void {
    this.redactions.push({ path, category, access, reason });
  }
}
