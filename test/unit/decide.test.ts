import { CONSENT_OPERATIONS, CONSENT_PURPOSES, PII_CATEGORIES, type ConsentPurpose } from '../../src/privacy/categories';
import { acceptsNewService, consentCovers, consentInForce, NO_CONSENT, statusInForce, type ConsentState, type ConsentStatus } from '../../src/privacy/consent-state';
import { decide, decideRelation, grantOpensOrders, mayReach, roleSeesInFull, type Caller, type Relation, type Subject } from '../../src/privacy/decide';
import { POLICY } from '../../src/privacy/policy';

const consent = (status: ConsentStatus, purposes: readonly ConsentPurpose[] = CONSENT_PURPOSES, dates: Partial<ConsentState> = {}): ConsentState => ({
  status,
  operations: new Set(CONSENT_OPERATIONS),
  purposes: new Set(purposes),
  withdrawalEffectiveAt: status === 'WITHDRAWAL_PENDING' ? new Date('2099-01-01T00:00:00Z') : null,
  expiresAt: null,
  openObligations: false,
  ...dates,
});
const NOW = new Date('2031-06-10T12:00:00Z');
const BEFORE = new Date(NOW.getTime() - 1);
const AFTER = new Date(NOW.getTime() + 1);
const ACTIVE = consent('ACTIVE');
/** Subject 1 in `state`; the grants below name it unless `extra` says otherwise. */
const subject = (state: ConsentState, extra: Partial<Subject> = {}): Subject => ({ id: 'subject-1', erased: false, consent: state, granted: true, ...extra });
const caller = (role: Caller['role'], extra: Partial<Caller> = {}): Caller => ({ role, clientId: null, grant: null, ...extra });

describe('the decision (who may see what)', () => {
  it('the subject sees all of its own data in full, whatever its consent state', () => {
    for (const state of [ACTIVE, consent('WITHDRAWN'), NO_CONSENT]) {
      for (const category of PII_CATEGORIES) {
        expect(decide(category, caller('client', { clientId: 'subject-1' }), subject(state))).toEqual({ access: 'FULL', reason: null });
      }
    }
  });

  it('another client sees nothing of a subject', () => {
    for (const category of PII_CATEGORIES) {
      expect(decide(category, caller('client', { clientId: 'other' }), subject(ACTIVE))).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
    }
  });

  it('an operator sees names, phones and e-mails in full and IIN, bank accounts and addresses masked, never the login', () => {
    const op = caller('operator');
    expect(decide('FULL_NAME', op, subject(ACTIVE)).access).toBe('FULL');
    expect(decide('PHONE', op, subject(ACTIVE)).access).toBe('FULL');
    expect(decide('EMAIL', op, subject(ACTIVE)).access).toBe('FULL');
    expect(decide('OFFICIAL_REQUISITES', op, subject(ACTIVE))).toEqual({ access: 'MASKED', reason: 'ROLE' });
    expect(decide('BANK_ACCOUNT', op, subject(ACTIVE))).toEqual({ access: 'MASKED', reason: 'ROLE' });
    expect(decide('RESIDENCE_ADDRESS', op, subject(ACTIVE))).toEqual({ access: 'MASKED', reason: 'ROLE' });
    expect(decide('LOGIN', op, subject(ACTIVE))).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
  });

  it.each<ConsentStatus>(['WITHDRAWN', 'EXPIRED', 'NONE'])('an operator sees nothing while consent is %s (P2, P3)', (status) => {
    for (const category of PII_CATEGORIES) {
      const decision = decide(category, caller('operator'), subject(consent(status)));
      expect(decision.access).toBe('HIDDEN');
    }
    expect(decide('PHONE', caller('operator'), subject(consent(status))).reason).toBe('CONSENT');
  });

  it('a pending withdrawal keeps consent in force until it takes effect (P3)', () => {
    expect(decide('PHONE', caller('operator'), subject(consent('WITHDRAWAL_PENDING'))).access).toBe('FULL');
  });

  it('consent that does not cover the operator purpose hides data from operators', () => {
    const narrowed = consent('ACTIVE', ['CONTRACT_CONCLUSION', 'MARKETING']);
    expect(decide('PHONE', caller('operator'), subject(narrowed))).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
  });

  it('an operator acts for support and settlements (P2 purposes 2 and 3): consent must cover both', () => {
    const noSettlements = consent('ACTIVE', CONSENT_PURPOSES.filter((p) => p !== 'SETTLEMENTS'));
    const noPerformance = consent('ACTIVE', CONSENT_PURPOSES.filter((p) => p !== 'CONTRACT_PERFORMANCE'));
    expect(decide('PHONE', caller('operator'), subject(noSettlements))).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
    expect(decide('PHONE', caller('operator'), subject(noPerformance))).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
  });

  it('an audience description that cites P2 purposes names exactly the purposes its consent basis checks', () => {
    for (const [audience, policy] of Object.entries(POLICY)) {
      const cited = /P2 purposes? ([\d, and]+)/.exec(policy.description)?.[1]?.match(/\d/g)?.map((n) => CONSENT_PURPOSES[Number(n) - 1]);
      if (!cited) continue;
      const checked = policy.basis.kind === 'CONSENT' ? [...policy.basis.purposes] : [];
      expect({ audience, purposes: checked.sort() }).toEqual({ audience, purposes: cited.sort() });
    }
  });

  it('opting out of marketing hides nothing from operators', () => {
    const noMarketing = consent('ACTIVE', CONSENT_PURPOSES.filter((p) => p !== 'MARKETING'));
    expect(decide('PHONE', caller('operator'), subject(noMarketing)).access).toBe('FULL');
  });

  it('the DPO sees everything in full, even after withdrawal', () => {
    for (const category of PII_CATEGORIES) {
      expect(decide(category, caller('dpo'), subject(consent('WITHDRAWN'))).access).toBe('FULL');
    }
  });

  it('nobody sees anything of an erased subject (P4)', () => {
    const grant = { categories: new Set(PII_CATEGORIES), inForce: true };
    for (const role of ['operator', 'dpo', 'partner', 'authority'] as const) {
      expect(decide('PHONE', caller(role, { grant }), subject(ACTIVE, { erased: true }))).toEqual({ access: 'HIDDEN', reason: 'ERASED' });
    }
    expect(decide('PHONE', caller('analyst'), subject(ACTIVE, { erased: true }))).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
  });

  it('an analyst sees no personal data at all (P1: anonymous data only)', () => {
    for (const category of PII_CATEGORIES) {
      expect(decide(category, caller('analyst'), subject(ACTIVE))).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
    }
  });

  describe('partners (P5.1)', () => {
    const grant = { categories: new Set(['PHONE'] as const), inForce: true };
    it('a partner without a grant sees nothing', () => {
      expect(decide('PHONE', caller('partner'), subject(ACTIVE))).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    });
    it('a partner sees a granted category of a served subject with transfer consent', () => {
      expect(decide('PHONE', caller('partner', { grant }), subject(ACTIVE)).access).toBe('FULL');
    });
    it('a partner sees no category outside its grant', () => {
      expect(decide('EMAIL', caller('partner', { grant }), subject(ACTIVE))).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    });
    it('a partner sees nothing of a subject it does not serve', () => {
      expect(decide('PHONE', caller('partner', { grant }), subject(ACTIVE, { id: 'other', granted: false })).reason).toBe('SCOPE');
    });
    it('a partner sees nothing without consent to transfer for third-party obligations', () => {
      const noTransfer = consent('ACTIVE', CONSENT_PURPOSES.filter((p) => p !== 'THIRD_PARTY_OBLIGATIONS'));
      expect(decide('PHONE', caller('partner', { grant }), subject(noTransfer))).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
    });
  });

  it('an authority sees exactly what its lawful request grants, consent or not (P5.2)', () => {
    const grant = { categories: new Set(['FULL_NAME'] as const), inForce: true };
    expect(decide('FULL_NAME', caller('authority', { grant }), subject(consent('WITHDRAWN'))).access).toBe('FULL');
    expect(decide('PHONE', caller('authority', { grant }), subject(ACTIVE)).access).toBe('HIDDEN');
  });

  it('only roles that see a category in full, without a grant, may filter or sort by it', () => {
    expect(roleSeesInFull('operator', 'PHONE')).toBe(true);
    expect(roleSeesInFull('operator', 'OFFICIAL_REQUISITES')).toBe(false);
    expect(roleSeesInFull('dpo', 'OFFICIAL_REQUISITES')).toBe(true);
    expect(roleSeesInFull('partner', 'PHONE')).toBe(false);
    expect(roleSeesInFull('analyst', 'FULL_NAME')).toBe(false);
    expect(roleSeesInFull('client', 'FULL_NAME')).toBe(false);
  });

  it('the matrix gives every audience a level for every category', () => {
    for (const policy of Object.values(POLICY)) {
      expect(Object.keys(policy.access).sort()).toEqual([...PII_CATEGORIES].sort());
    }
  });
});

describe('consent in force is judged by its dates, not only by the latest status (P3, fail closed)', () => {
  it('an active consent without an end is in force', () => {
    expect(consentInForce(ACTIVE, NOW)).toBe(true);
  });

  it('a pending withdrawal is in force before its effective instant and not from it on, whether or not a job recorded it', () => {
    expect(consentInForce(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: AFTER }), NOW)).toBe(true);
    expect(consentInForce(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: NOW }), NOW)).toBe(false);
    expect(consentInForce(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: BEFORE }), NOW)).toBe(false);
  });

  it('a pending withdrawal without an effective date is not in force (fail closed)', () => {
    expect(consentInForce(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: null }), NOW)).toBe(false);
  });

  it('a consent past its expiry is not in force, active or pending', () => {
    expect(consentInForce(consent('ACTIVE', CONSENT_PURPOSES, { expiresAt: AFTER }), NOW)).toBe(true);
    expect(consentInForce(consent('ACTIVE', CONSENT_PURPOSES, { expiresAt: NOW }), NOW)).toBe(false);
    expect(consentInForce(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: AFTER, expiresAt: BEFORE }), NOW)).toBe(false);
  });

  it.each<ConsentStatus>(['NONE', 'WITHDRAWN', 'EXPIRED'])('%s is never in force, whatever the dates', (status) => {
    expect(consentInForce(consent(status, CONSENT_PURPOSES, { withdrawalEffectiveAt: AFTER, expiresAt: AFTER }), NOW)).toBe(false);
    expect(statusInForce(status)).toBe(false);
  });

  it('the status-only test (what the job runner acts on) still counts a due pending withdrawal', () => {
    expect(statusInForce('WITHDRAWAL_PENDING')).toBe(true);
    expect(statusInForce('ACTIVE')).toBe(true);
  });

  it('an operator sees nothing once a pending withdrawal is due or consent has expired, before any job runs', () => {
    const due = consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: BEFORE });
    const expired = consent('ACTIVE', CONSENT_PURPOSES, { expiresAt: BEFORE });
    for (const state of [due, expired]) {
      expect(decide('PHONE', caller('operator'), subject(state), NOW)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
      expect(decide('PHONE', caller('dpo'), subject(state), NOW).access).toBe('FULL');
    }
    const notYet = consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: AFTER });
    expect(decide('PHONE', caller('operator'), subject(notYet), NOW).access).toBe('FULL');
  });

  it('open orders hold a due withdrawal or a passed expiry in force for the Company finishing them, and for nothing else', () => {
    const due = consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: BEFORE, openObligations: true });
    const expired = consent('ACTIVE', CONSENT_PURPOSES, { expiresAt: BEFORE, openObligations: true });
    for (const state of [due, expired]) {
      expect(consentInForce(state, NOW)).toBe(true);
      expect(acceptsNewService(state, NOW)).toBe(false);
      expect(decide('PHONE', caller('operator'), subject(state), NOW).access).toBe('FULL');
      expect(consentCovers(state, 'SETTLEMENTS', ['USE'], NOW)).toBe(true);
      // Open orders are the client's, not a partner's: no transfer rides on them (P5.1).
      expect(consentCovers(state, 'THIRD_PARTY_OBLIGATIONS', ['TRANSFER_TO_THIRD_PARTIES'], NOW)).toBe(false);
      expect(decide('PHONE', caller('partner', { grant: { categories: new Set(['PHONE']), inForce: true } }), subject(state), NOW)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
      expect(consentCovers(state, 'MARKETING', ['USE'], NOW)).toBe(false);
      expect(consentCovers(state, 'SERVICE_INFORMATION', ['USE'], NOW)).toBe(false);
    }
    // Open orders never revive a consent whose end the job runner has recorded.
    expect(consentInForce(consent('WITHDRAWN', CONSENT_PURPOSES, { openObligations: true }), NOW)).toBe(false);
  });

  it('new service needs consent whose end has not come', () => {
    expect(acceptsNewService(ACTIVE, NOW)).toBe(true);
    expect(acceptsNewService(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: AFTER }), NOW)).toBe(true);
    expect(acceptsNewService(consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: NOW }), NOW)).toBe(false);
    expect(acceptsNewService(consent('EXPIRED'), NOW)).toBe(false);
  });
});

describe("a subject's orders and consent history (relations) follow the same gate", () => {
  const both: Relation[] = ['ORDERS', 'CONSENTS'];
  const withdrawn = consent('WITHDRAWN');
  const due = consent('WITHDRAWAL_PENDING', CONSENT_PURPOSES, { withdrawalEffectiveAt: BEFORE });

  it('the subject and the DPO always get both, even withdrawn or erased', () => {
    for (const relation of both) {
      expect(decideRelation(relation, caller('client', { clientId: 'subject-1' }), subject(withdrawn), NOW).access).toBe('FULL');
      expect(decideRelation(relation, caller('dpo'), subject(withdrawn, { erased: true }), NOW).access).toBe('FULL');
    }
  });

  it('an operator gets them while consent is in force, and nothing (CONSENT) once it is not, by status or by date', () => {
    for (const relation of both) {
      expect(decideRelation(relation, caller('operator'), subject(ACTIVE), NOW).access).toBe('FULL');
      expect(decideRelation(relation, caller('operator'), subject(withdrawn), NOW)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
      expect(decideRelation(relation, caller('operator'), subject(due), NOW)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
      expect(decideRelation(relation, caller('operator'), subject(ACTIVE, { erased: true }), NOW)).toEqual({ access: 'HIDDEN', reason: 'ERASED' });
    }
  });

  it('another client and an analyst get neither (ROLE)', () => {
    for (const relation of both) {
      expect(decideRelation(relation, caller('client', { clientId: 'other' }), subject(ACTIVE), NOW)).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
      expect(decideRelation(relation, caller('analyst'), subject(ACTIVE), NOW)).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
    }
  });

  it('partners and authorities never get the consent history, whatever they are granted (SCOPE)', () => {
    const grant = { categories: new Set(PII_CATEGORIES), inForce: true };
    for (const role of ['partner', 'authority'] as const) {
      expect(decideRelation('CONSENTS', caller(role, { grant }), subject(ACTIVE), NOW)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    }
  });

  it('an authority gets orders only when its request grants ORDER_CONTACT for this subject', () => {
    const nameOnly = { categories: new Set(['FULL_NAME'] as const), inForce: true };
    const orders = { categories: new Set(['ORDER_CONTACT'] as const), inForce: true };
    expect(decideRelation('ORDERS', caller('authority', { grant: nameOnly }), subject(withdrawn), NOW)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    expect(decideRelation('ORDERS', caller('authority', { grant: orders }), subject(withdrawn), NOW).access).toBe('FULL');
    expect(decideRelation('ORDERS', caller('authority', { grant: orders }), subject(ACTIVE, { id: 'other', granted: false }), NOW).reason).toBe('SCOPE');
  });

  it('a partner gets orders of a subject it serves only when its grant names ORDER_CONTACT, and while transfer consent is in force', () => {
    const orders = { categories: new Set(['ORDER_CONTACT'] as const), inForce: true };
    const phoneOnly = { categories: new Set(['PHONE'] as const), inForce: true };
    expect(decideRelation('ORDERS', caller('partner', { grant: orders }), subject(ACTIVE), NOW).access).toBe('FULL');
    expect(decideRelation('ORDERS', caller('partner', { grant: phoneOnly }), subject(ACTIVE), NOW)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    expect(grantOpensOrders(caller('partner', { grant: orders }))).toBe(true);
    expect(grantOpensOrders(caller('partner', { grant: phoneOnly }))).toBe(false);
    expect(decideRelation('ORDERS', caller('partner', { grant: orders }), subject(due), NOW)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
    expect(decideRelation('ORDERS', caller('partner', { grant: orders }), subject(ACTIVE, { id: 'other', granted: false }), NOW).reason).toBe('SCOPE');
    expect(decideRelation('ORDERS', caller('partner'), subject(ACTIVE), NOW).reason).toBe('SCOPE');
  });

  it('a partner reaches a subject only when it serves it, transfer consent holds and it is not erased; an authority by its request alone', () => {
    const grant = { categories: new Set(['PHONE'] as const), inForce: true };
    expect(mayReach(caller('partner', { grant }), subject(ACTIVE), NOW)).toBe(true);
    expect(mayReach(caller('partner', { grant }), subject(due), NOW)).toBe(false);
    expect(mayReach(caller('partner', { grant }), subject(withdrawn), NOW)).toBe(false);
    expect(mayReach(caller('partner', { grant }), subject(ACTIVE, { erased: true }), NOW)).toBe(false);
    expect(mayReach(caller('partner', { grant }), subject(ACTIVE, { id: 'other', granted: false }), NOW)).toBe(false);
    expect(mayReach(caller('partner'), subject(ACTIVE), NOW)).toBe(false);
    expect(mayReach(caller('authority', { grant }), subject(withdrawn), NOW)).toBe(true);
    expect(mayReach(caller('authority', { grant }), subject(ACTIVE, { id: 'other', granted: false }), NOW)).toBe(false);
    expect(mayReach(caller('operator'), subject(withdrawn), NOW)).toBe(true);
  });
});
