import {
  addCalendarMonths,
  earliestWithdrawalDay,
  formatDay,
  kazakhstanDayOf,
  parseDay,
  startOfKazakhstanDay,
  withdrawalEffectiveAt,
  withdrawalEffectiveDay,
  withdrawalIsDue,
  type CalendarDay,
} from '../../src/consent/withdrawal-dates';
import { addYears, readLifecycleTerms, retentionCutoffs } from '../../src/consent/retention';

const day = (text: string): CalendarDay => parseDay(text)!;
/** Noon in Almaty on that day: far from any day boundary. */
const noonKz = (text: string): Date => new Date(`${text}T12:00:00+05:00`);

describe('P3: 3 calendar months of notice, month ends clamped', () => {
  it.each([
    ['2026-11-30', '2027-02-28', '30 Nov + 3 months is the last day of a common February'],
    ['2027-11-30', '2028-02-29', '30 Nov + 3 months is 29 Feb in a leap year'],
    ['2027-11-29', '2028-02-29', '29 Nov lands on 29 Feb in a leap year'],
    ['2026-11-29', '2027-02-28', '29 Nov clamps to 28 Feb in a common year'],
    ['2026-05-31', '2026-08-31', '31 May + 3 months is 31 Aug (no clamping needed)'],
    ['2026-08-31', '2026-11-30', '31 Aug + 3 months clamps to 30 Nov'],
    ['2026-10-31', '2027-01-31', 'across the year end'],
    ['2026-12-31', '2027-03-31', '31 Dec + 3 months is 31 Mar'],
    ['2027-11-15', '2028-02-15', 'a mid-month day keeps its number'],
    ['2099-11-30', '2100-02-28', '2100 is not a leap year'],
    ['2399-11-30', '2400-02-29', '2400 is a leap year'],
  ])('notice on %s takes effect no earlier than %s (%s)', (notice, expected) => {
    expect(formatDay(earliestWithdrawalDay(noonKz(notice)))).toBe(expected);
  });

  it('addCalendarMonths clamps from the original day, not from a previously clamped one', () => {
    expect(formatDay(addCalendarMonths(day('2027-01-31'), 1))).toBe('2027-02-28');
    expect(formatDay(addCalendarMonths(day('2027-01-31'), 2))).toBe('2027-03-31');
    expect(formatDay(addCalendarMonths(day('2028-02-29'), -12))).toBe('2027-02-28');
  });

  it('the notice day is the day in Kazakhstan (UTC+5), not the server day', () => {
    // 30 Nov 20:30 UTC is already 1 Dec 01:30 in Almaty.
    expect(formatDay(kazakhstanDayOf(new Date('2026-11-30T20:30:00Z')))).toBe('2026-12-01');
    expect(formatDay(earliestWithdrawalDay(new Date('2026-11-30T20:30:00Z')))).toBe('2027-03-01');
    // 30 Nov 18:59 UTC is 23:59 in Almaty, still the 30th.
    expect(formatDay(earliestWithdrawalDay(new Date('2026-11-30T18:59:00Z')))).toBe('2027-02-28');
  });

  it('takes effect on the earliest day at the notice\'s time of day (never a moment short of 3 months); on a later requested day at its 00:00 in Kazakhstan', () => {
    expect(startOfKazakhstanDay(day('2027-02-28')).toISOString()).toBe('2027-02-27T19:00:00.000Z');
    expect(withdrawalEffectiveAt(noonKz('2026-11-30'), null).toISOString()).toBe('2027-02-28T07:00:00.000Z');
    expect(withdrawalEffectiveAt(noonKz('2026-11-30'), day('2026-12-15')).toISOString()).toBe('2027-02-28T07:00:00.000Z');
    expect(withdrawalEffectiveAt(noonKz('2026-11-30'), day('2027-03-01')).toISOString()).toBe('2027-02-28T19:00:00.000Z');
    expect(withdrawalEffectiveAt(new Date('2031-03-10T06:00:00Z'), null).toISOString()).toBe('2031-06-10T06:00:00.000Z');
  });
});

describe('P3: the requested date versus the notice period', () => {
  it('a requested date later than the notice period is kept', () => {
    expect(formatDay(withdrawalEffectiveDay(noonKz('2026-11-30'), day('2027-06-01')))).toBe('2027-06-01');
  });

  it('a requested date earlier than the notice period is moved to its end', () => {
    expect(formatDay(withdrawalEffectiveDay(noonKz('2026-11-30'), day('2026-12-15')))).toBe('2027-02-28');
    expect(formatDay(withdrawalEffectiveDay(noonKz('2026-11-30'), day('2027-02-27')))).toBe('2027-02-28');
  });

  it('the last day of the notice period itself is accepted as requested', () => {
    expect(formatDay(withdrawalEffectiveDay(noonKz('2026-11-30'), day('2027-02-28')))).toBe('2027-02-28');
  });
});

describe('P3: a withdrawal is due on its day, and not while obligations are open', () => {
  const effectiveAt = withdrawalEffectiveAt(noonKz('2026-11-30'), null);

  it('is not due a millisecond before the effective moment', () => {
    expect(withdrawalIsDue(new Date(effectiveAt.getTime() - 1), effectiveAt, 0)).toBe(false);
  });

  it('is due at the effective moment with no open obligation', () => {
    expect(withdrawalIsDue(effectiveAt, effectiveAt, 0)).toBe(true);
  });

  it('waits, however late, while an obligation is open', () => {
    expect(withdrawalIsDue(new Date(effectiveAt.getTime() + 365 * 86_400_000), effectiveAt, 1)).toBe(false);
  });
});

describe('calendar day parsing', () => {
  it('accepts real days only', () => {
    expect(parseDay('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseDay('2027-02-29')).toBeNull();
    expect(parseDay('2027-13-01')).toBeNull();
    expect(parseDay('27-01-01')).toBeNull();
  });
});

describe('retention cutoffs', () => {
  it('count years back in the calendar (29 Feb minus 5 years is 28 Feb)', () => {
    const cutoffs = retentionCutoffs(new Date('2028-02-29T10:00:00Z'), {
      contactDaysAfterConsentEnds: 30,
      orderYearsAfterCompletion: 5,
      consentRecordYearsAfterEnd: 5,
      consentTermYears: 0,
      securityEventDays: 365,
    });
    expect(cutoffs.ordersCompletedBefore.toISOString()).toBe('2023-02-28T10:00:00.000Z');
    expect(cutoffs.consentEndedBefore.toISOString()).toBe('2023-02-28T10:00:00.000Z');
    expect(cutoffs.contactConsentEndedBefore.toISOString()).toBe('2028-01-30T10:00:00.000Z');
    expect(cutoffs.securityEventsBefore.toISOString()).toBe('2027-03-01T10:00:00.000Z');
  });

  it('a consent term counts years forward the same way (29 Feb plus 1 year is 28 Feb)', () => {
    expect(addYears(new Date('2028-02-29T10:00:00Z'), 1).toISOString()).toBe('2029-02-28T10:00:00.000Z');
    expect(addYears(new Date('2026-11-30T00:00:00Z'), 3).toISOString()).toBe('2029-11-30T00:00:00.000Z');
  });
});

describe('lifecycle terms from the environment', () => {
  it('default to an open-ended consent and 1095 days of security events', () => {
    expect(readLifecycleTerms({})).toEqual({ consentTermYears: 0, securityEventDays: 1095, problems: [] });
    expect(readLifecycleTerms({ CONSENT_TERM_YEARS: '3', RETENTION_SECURITY_EVENT_DAYS: '400' })).toEqual({ consentTermYears: 3, securityEventDays: 400, problems: [] });
  });

  it('name a bad variable without echoing its value, and keep the default', () => {
    const read = readLifecycleTerms({ CONSENT_TERM_YEARS: 'secret-ish 7', RETENTION_SECURITY_EVENT_DAYS: '5' });
    expect(read).toMatchObject({ consentTermYears: 0, securityEventDays: 1095 });
    expect(read.problems).toEqual([
      'CONSENT_TERM_YEARS must be an integer between 0 and 50',
      'RETENTION_SECURITY_EVENT_DAYS must be an integer between 30 and 3650',
    ]);
  });
});
