/**
 * The relation decision (a subject's orders and consent history) and whom a lookup reaches, as pure
 * functions of the caller and the subject's own facts: each role's answer, and the same answer
 * for the same inputs whatever was decided before, in the core and in a request.
 */
import fc from 'fast-check';
import { RecipientKind } from '../../src/disclosure/disclosure.entity';
import type { Recipient } from '../../src/disclosure/recipient';
import { RequestPrivacy } from '../../src/graphql/request-privacy';
import type { Principal } from '../../src/auth/principal';
import { CONSENT_OPERATIONS, CONSENT_PURPOSES, PII_CATEGORIES, type PiiCategory } from '../../src/privacy/categories';
import { NO_CONSENT, type ConsentState } from '../../src/privacy/consent-state';
import { decide, decideRelation, mayReach, type Caller, type Decision, type Grant, type Relation, type Subject } from '../../src/privacy/decide';
import type { SubjectState } from '../../src/subjects/subject-state';

const NOW = new Date('2031-06-10T12:00:00Z');
const consent = (status: ConsentState['status']): ConsentState => ({
  status,
  operations: new Set(CONSENT_OPERATIONS),
  purposes: new Set(CONSENT_PURPOSES),
  withdrawalEffectiveAt: null,
  expiresAt: null,
  openObligations: false,
});
const ACTIVE = consent('ACTIVE');
const WITHDRAWN = consent('WITHDRAWN');

const GRANT: Grant = { categories: new Set<PiiCategory>(['ORDER_CONTACT', 'PHONE']), inForce: true };
const VIEWERS = ['SUBJECT', 'CLIENT', 'OPERATOR', 'DPO', 'PARTNER', 'AUTHORITY', 'ANALYST'] as const;
type Viewer = (typeof VIEWERS)[number];
const CALLERS: Record<Viewer, Caller> = {
  SUBJECT: { role: 'client', clientId: 's1', grant: null },
  CLIENT: { role: 'client', clientId: 'someone-else', grant: null },
  OPERATOR: { role: 'operator', clientId: null, grant: null },
  DPO: { role: 'dpo', clientId: null, grant: null },
  PARTNER: { role: 'partner', clientId: null, grant: GRANT },
  AUTHORITY: { role: 'authority', clientId: null, grant: GRANT },
  ANALYST: { role: 'analyst', clientId: null, grant: null },
};

/** Subject s1 as its own record states it: consent in force, named by the grant, not erased, unless told otherwise. */
const s1 = (facts: Partial<Subject> = {}): Subject => ({ id: 's1', erased: false, consent: ACTIVE, granted: true, ...facts });
const SUBJECTS = {
  named: s1(),
  'not named': s1({ granted: false }),
  withdrawn: s1({ consent: WITHDRAWN }),
  erased: s1({ erased: true }),
};
type Case = keyof typeof SUBJECTS;

const FULL = 'FULL';
/** [ORDERS, CONSENTS] per viewer and subject: the whole list, or why it is withheld. */
const EXPECTED: Record<Viewer, Record<Case, [string, string]>> = {
  SUBJECT: { named: [FULL, FULL], 'not named': [FULL, FULL], withdrawn: [FULL, FULL], erased: [FULL, FULL] },
  CLIENT: { named: ['ROLE', 'ROLE'], 'not named': ['ROLE', 'ROLE'], withdrawn: ['ROLE', 'ROLE'], erased: ['ROLE', 'ROLE'] },
  OPERATOR: { named: [FULL, FULL], 'not named': [FULL, FULL], withdrawn: ['CONSENT', 'CONSENT'], erased: ['ERASED', 'ERASED'] },
  DPO: { named: [FULL, FULL], 'not named': [FULL, FULL], withdrawn: [FULL, FULL], erased: [FULL, FULL] },
  PARTNER: { named: [FULL, 'SCOPE'], 'not named': ['SCOPE', 'SCOPE'], withdrawn: ['CONSENT', 'SCOPE'], erased: ['ERASED', 'ERASED'] },
  AUTHORITY: { named: [FULL, 'SCOPE'], 'not named': ['SCOPE', 'SCOPE'], withdrawn: [FULL, 'SCOPE'], erased: ['ERASED', 'ERASED'] },
  ANALYST: { named: ['ROLE', 'ROLE'], 'not named': ['ROLE', 'ROLE'], withdrawn: ['ROLE', 'ROLE'], erased: ['ROLE', 'ROLE'] },
};
/** Whether a lookup by id reaches the subject at all (null otherwise). */
const REACHES: Record<Viewer, Record<Case, boolean>> = {
  SUBJECT: { named: true, 'not named': true, withdrawn: true, erased: true },
  CLIENT: { named: true, 'not named': true, withdrawn: true, erased: true },
  OPERATOR: { named: true, 'not named': true, withdrawn: true, erased: true },
  DPO: { named: true, 'not named': true, withdrawn: true, erased: true },
  PARTNER: { named: true, 'not named': false, withdrawn: false, erased: false },
  AUTHORITY: { named: true, 'not named': false, withdrawn: true, erased: true },
  ANALYST: { named: true, 'not named': true, withdrawn: true, erased: true },
};

const outcome = (decision: Decision): string => (decision.access === 'FULL' ? FULL : decision.reason);

describe('the relation decision, role by role', () => {
  describe.each(VIEWERS)('%s', (viewer) => {
    it.each(Object.keys(SUBJECTS) as Case[])('a subject %s: orders, consent history and reach', (key) => {
      const caller = CALLERS[viewer];
      const subject = SUBJECTS[key];
      const got = [outcome(decideRelation('ORDERS', caller, subject, NOW)), outcome(decideRelation('CONSENTS', caller, subject, NOW))];
      expect({ viewer, key, relations: got, reaches: mayReach(caller, subject, NOW) }).toEqual({ viewer, key, relations: EXPECTED[viewer][key], reaches: REACHES[viewer][key] });
    });
  });

  it('a grant out of force opens nothing, even for a subject it names (P5)', () => {
    for (const role of ['partner', 'authority'] as const) {
      const caller: Caller = { role, clientId: null, grant: { ...GRANT, inForce: false } };
      expect(decideRelation('ORDERS', caller, s1(), NOW)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
      expect(decide('PHONE', caller, s1(), NOW)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
      expect(mayReach(caller, s1(), NOW)).toBe(false);
    }
  });

  it('a grant without ORDER_CONTACT opens no orders of a subject it names', () => {
    const caller: Caller = { role: 'partner', clientId: null, grant: { categories: new Set(['PHONE']), inForce: true } };
    expect(decideRelation('ORDERS', caller, s1(), NOW)).toEqual({ access: 'HIDDEN', reason: 'SCOPE' });
    expect(decide('PHONE', caller, s1(), NOW).access).toBe('FULL');
  });

  it("records that are nobody's any more (P4) are anonymous records for staff and nothing under a grant", () => {
    for (const relation of ['ORDERS', 'CONSENTS'] as const) {
      expect(decideRelation(relation, CALLERS.OPERATOR, null, NOW).access).toBe('FULL');
      expect(decideRelation(relation, CALLERS.DPO, null, NOW).access).toBe('FULL');
      expect(decideRelation(relation, CALLERS.PARTNER, null, NOW)).toEqual({ access: 'HIDDEN', reason: 'ERASED' });
      expect(decideRelation(relation, CALLERS.AUTHORITY, null, NOW)).toEqual({ access: 'HIDDEN', reason: 'ERASED' });
    }
  });
});

type Question = PiiCategory | Relation | 'REACH';
const ask = (question: Question, caller: Caller, subject: Subject): unknown =>
  question === 'REACH'
    ? mayReach(caller, subject, NOW)
    : question === 'ORDERS' || question === 'CONSENTS'
      ? decideRelation(question, caller, subject, NOW)
      : decide(question, caller, subject, NOW);

const facts = fc.record({
  id: fc.constantFrom('s1', 's2', 's3'),
  erased: fc.boolean(),
  consent: fc.constantFrom(ACTIVE, WITHDRAWN, NO_CONSENT),
  granted: fc.boolean(),
});
const questions = fc.constantFrom<Question>(...PII_CATEGORIES, 'ORDERS', 'CONSENTS', 'REACH');

describe('the same inputs give the same answer, whatever was decided before', () => {
  it('in the core: a subject is judged on its own facts, even next to other records of the same id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VIEWERS), fc.array(fc.tuple(questions, facts), { maxLength: 12 }), (viewer, asked) => {
        const caller = CALLERS[viewer];
        const alone = asked.map(([question, subject]) => ask(question, caller, subject));
        const afterOthers = asked.map(([question, subject], i) => {
          for (const [earlier, other] of asked.slice(0, i)) ask(earlier, caller, other);
          return ask(question, caller, subject);
        });
        const reversed = [...asked].reverse().map(([question, subject]) => ask(question, caller, subject)).reverse();
        expect(afterOthers).toEqual(alone);
        expect(reversed).toEqual(alone);
      }),
    );
  });

  describe('in a request (RequestPrivacy)', () => {
    const state = (consentState: ConsentState): SubjectState => ({ version: 'v', erased: false, consent: consentState });
    const partner: Principal = { role: 'partner', sub: 'p-token', clientId: null, scopes: new Set(), partnerId: 'p1', contractId: 'c1', tokenId: 't1', lawfulRequestId: null };
    const recipient: Recipient = {
      kind: RecipientKind.PARTNER,
      label: 'Courier, contract 1',
      partnerId: 'p1',
      contractId: 'c1',
      lawfulRequestId: null,
      tokenId: 't1',
      actor: 'p-token',
      purpose: 'THIRD_PARTY_OBLIGATIONS',
      legalBasis: 'P5.1',
      inForce: true,
      categories: GRANT.categories,
      subjectIds: null,
    };
    /** The same client read twice, served by the partner in one row and not in the other (an assignment in between). */
    const refs = [
      { id: 's1', state: state(ACTIVE), served: true },
      { id: 's1', state: state(ACTIVE), served: false },
      { id: 's2', state: state(ACTIVE), served: true },
      { id: 's3', state: state(ACTIVE) },
    ];
    /** What the served loader answers for an id (asked only for a reference read without the flag). */
    const servedById: Record<string, boolean> = { s1: true, s2: true, s3: false };
    const expected = refs.map((ref) => outcome(decideRelation('ORDERS', CALLERS.PARTNER, { id: ref.id, erased: false, consent: ACTIVE, granted: ref.served ?? servedById[ref.id]! }, NOW)));

    function request() {
      const looked: string[] = [];
      const loadState = async (): Promise<SubjectState> => {
        throw new Error('every reference here carries the state read with it');
      };
      const privacy = new RequestPrivacy(partner, loadState, recipient, async (id) => {
        looked.push(id);
        return servedById[id]!;
      });
      return { privacy, looked };
    }

    it('each reference read is decided by the served flag of its own row, in every order of reading', async () => {
      expect(expected).toEqual([FULL, 'SCOPE', FULL, 'SCOPE']);
      const orders = fc.sample(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4 }), 24);
      for (const order of orders) {
        const { privacy } = request();
        const got: string[] = [];
        for (const i of order) {
          const field = await privacy.decide('PHONE', refs[i]!);
          got[i] = outcome(await privacy.decideRelation('ORDERS', refs[i]!));
          expect({ order, i, field: outcome(field) }).toEqual({ order, i, field: got[i] });
        }
        expect({ order, got }).toEqual({ order, got: expected });
      }
    });

    it('asks the served loader only for a reference read without its flag', async () => {
      const { privacy, looked } = request();
      for (const ref of refs) await privacy.decideRelation('ORDERS', ref);
      expect(looked).toEqual(['s3']);
    });
  });
});
