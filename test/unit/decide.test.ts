import { CONSENT_OPERATIONS, CONSENT_PURPOSES, PII_CATEGORIES, type ConsentPurpose } from '../../src/privacy/categories';
import { NO_CONSENT, type ConsentState, type ConsentStatus } from '../../src/privacy/consent-state';
import { decide, roleSeesInFull, type Caller } from '../../src/privacy/decide';
import { POLICY } from '../../src/privacy/policy';

const consent = (status: ConsentStatus, purposes: readonly ConsentPurpose[] = CONSENT_PURPOSES): ConsentState => ({
  status,
  operations: new Set(CONSENT_OPERATIONS),
  purposes: new Set(purposes),
});
const ACTIVE = consent('ACTIVE');
const subject = { id: 'subject-1', erased: false };
const caller = (role: Caller['role'], extra: Partial<Caller> = {}): Caller => ({ role, clientId: null, grant: null, ...extra });

describe('the decision (who may see what)', () => {
  it('the subject sees all of its own data in full, whatever its consent state', () => {
    for (const state of [ACTIVE, consent('WITHDRAWN'), NO_CONSENT]) {
      for (const category of PII_CATEGORIES) {
        expect(decide(category, caller('client', { clientId: 'subject-1' }), subject, state)).toEqual({ access: 'FULL', reason: null });
      }
    }
  });

  it('another client sees nothing of a subject', () => {
    for (const category of PII_CATEGORIES) {
      expect(decide(category, caller('client', { clientId: 'other' }), subject, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
    }
  });

  it('an operator sees names, phones and e-mails in full and IIN, bank accounts and addresses masked, never the login', () => {
    const op = caller('operator');
    expect(decide('FULL_NAME', op, subject, ACTIVE).access).toBe('FULL');
    expect(decide('PHONE', op, subject, ACTIVE).access).toBe('FULL');
    expect(decide('EMAIL', op, subject, ACTIVE).access).toBe('FULL');
    expect(decide('OFFICIAL_REQUISITES', op, subject, ACTIVE)).toEqual({ access: 'MASKED', reason: 'ROLE' });
    expect(decide('BANK_ACCOUNT', op, subject, ACTIVE)).toEqual({ access: 'MASKED', reason: 'ROLE' });
    expect(decide('RESIDENCE_ADDRESS', op, subject, ACTIVE)).toEqual({ access: 'MASKED', reason: 'ROLE' });
    expect(decide('LOGIN', op, subject, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
  });

  it.each<ConsentStatus>(['WITHDRAWN', 'EXPIRED', 'NONE'])('an operator sees nothing while consent is %s (P2, P3)', (status) => {
    for (const category of PII_CATEGORIES) {
      const decision = decide(category, caller('operator'), subject, consent(status));
      expect(decision.access).toBe('HIDDEN');
    }
    expect(decide('PHONE', caller('operator'), subject, consent(status)).reason).toBe('CONSENT');
  });

  it('a pending withdrawal keeps consent in force until it takes effect (P3)', () => {
    expect(decide('PHONE', caller('operator'), subject, consent('WITHDRAWAL_PENDING')).access).toBe('FULL');
  });

  it('consent that does not cover the operator purpose hides data from operators', () => {
    const narrowed = consent('ACTIVE', ['CONTRACT_CONCLUSION', 'MARKETING']);
    expect(decide('PHONE', caller('operator'), subject, narrowed)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
  });

  it('opting out of marketing hides nothing from operators', () => {
    const noMarketing = consent('ACTIVE', CONSENT_PURPOSES.filter((p) => p !== 'MARKETING'));
    expect(decide('PHONE', caller('operator'), subject, noMarketing).access).toBe('FULL');
  });

  it('the DPO sees everything in full, even after withdrawal', () => {
    for (const category of PII_CATEGORIES) {
      expect(decide(category, caller('dpo'), subject, consent('WITHDRAWN')).access).toBe('FULL');
    }
  });

  it('nobody sees anything of an erased subject (P4)', () => {
    const grant = { categories: new Set(PII_CATEGORIES), subjectIds: new Set(['subject-1']) };
    for (const role of ['operator', 'dpo', 'partner', 'authority'] as const) {
      expect(decide('PHONE', caller(role, { grant }), { id: 'subject-1', erased: true }, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'ERASED' });
    }
    expect(decide('PHONE', caller('analyst'), { id: 'subject-1', erased: true }, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
  });

  it('an analyst sees no personal data at all (P1: anonymous data only)', () => {
    for (const category of PII_CATEGORIES) {
      expect(decide(category, caller('analyst'), subject, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'ROLE' });
    }
  });

  describe('partners (P5.1)', () => {
    const grant = { categories: new Set(['PHONE'] as const), subjectIds: new Set(['subject-1']) };
    it('a partner without a grant sees nothing', () => {
      expect(decide('PHONE', caller('partner'), subject, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    });
    it('a partner sees a granted category of a served subject with transfer consent', () => {
      expect(decide('PHONE', caller('partner', { grant }), subject, ACTIVE).access).toBe('FULL');
    });
    it('a partner sees no category outside its grant', () => {
      expect(decide('EMAIL', caller('partner', { grant }), subject, ACTIVE)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    });
    it('a partner sees nothing of a subject it does not serve', () => {
      expect(decide('PHONE', caller('partner', { grant }), { id: 'other', erased: false }, ACTIVE).reason).toBe('SCOPE');
    });
    it('a partner sees nothing without consent to transfer for third-party obligations', () => {
      const noTransfer = consent('ACTIVE', CONSENT_PURPOSES.filter((p) => p !== 'THIRD_PARTY_OBLIGATIONS'));
      expect(decide('PHONE', caller('partner', { grant }), subject, noTransfer)).toEqual({ access: 'HIDDEN', reason: 'CONSENT' });
    });
  });

  it('an authority sees exactly what its lawful request grants, consent or not (P5.2)', () => {
    const grant = { categories: new Set(['FULL_NAME'] as const), subjectIds: new Set(['subject-1']) };
    expect(decide('FULL_NAME', caller('authority', { grant }), subject, consent('WITHDRAWN')).access).toBe('FULL');
    expect(decide('PHONE', caller('authority', { grant }), subject, ACTIVE).access).toBe('HIDDEN');
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
