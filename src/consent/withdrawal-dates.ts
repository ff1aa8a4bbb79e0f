/**
 * P3 date arithmetic, pure (no ORM, no GraphQL, no clock): a withdrawal takes effect no earlier
 * than 3 calendar months after the written notice, and not while an obligation is open.
 *
 * Calendar days are Kazakhstan days: the country keeps one zone, UTC+5, since 1 March 2024, so a
 * notice sent at 23:30 in Almaty on 30 November counts as 30 November, whatever the server's zone.
 */

/** A calendar day; month is 1-12. */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export const KZ_UTC_OFFSET_MINUTES = 5 * 60;
export const WITHDRAWAL_NOTICE_MONTHS = 3;

const MINUTE = 60_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `months` later (or earlier) on the same day of the month, clamped to the month's last day (30 Nov + 3 = 28/29 Feb). */
export function addCalendarMonths(day: CalendarDay, months: number): CalendarDay {
  const index = day.year * 12 + (day.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(day.day, daysInMonth(year, month)) };
}

export function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function laterDay(a: CalendarDay, b: CalendarDay): CalendarDay {
  return compareDays(a, b) >= 0 ? a : b;
}

/** The day an instant falls on in Kazakhstan. */
export function kazakhstanDayOf(at: Date): CalendarDay {
  const shifted = new Date(at.getTime() + KZ_UTC_OFFSET_MINUTES * MINUTE);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** 00:00 of the day in Kazakhstan, as an instant. */
export function startOfKazakhstanDay(day: CalendarDay): Date {
  return new Date(Date.UTC(day.year, day.month - 1, day.day) - KZ_UTC_OFFSET_MINUTES * MINUTE);
}

export function formatDay(day: CalendarDay): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(day.year, 4)}-${pad(day.month, 2)}-${pad(day.day, 2)}`;
}

/** `YYYY-MM-DD`, or null when it is not a real calendar day. */
export function parseDay(text: string): CalendarDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** A date-only value whose UTC fields carry the day (how the GraphQL `Date` scalar parses `2026-03-01`). */
export function dayOfDateOnly(value: Date): CalendarDay {
  return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
}

/** P3: the first day a withdrawal noticed at `noticeAt` may take effect. */
export function earliestWithdrawalDay(noticeAt: Date): CalendarDay {
  return addCalendarMonths(kazakhstanDayOf(noticeAt), WITHDRAWAL_NOTICE_MONTHS);
}

/** The day the withdrawal takes effect: the requested day, but never before the notice period ends. */
export function withdrawalEffectiveDay(noticeAt: Date, requested: CalendarDay | null): CalendarDay {
  const earliest = earliestWithdrawalDay(noticeAt);
  return requested ? laterDay(requested, earliest) : earliest;
}

/**
 * The instant it takes effect: the start of that day in Kazakhstan, but on the earliest day not
 * before the notice's own time of day, so it is never a moment short of 3 calendar months.
 */
export function withdrawalEffectiveAt(noticeAt: Date, requested: CalendarDay | null): Date {
  const noticeDay = kazakhstanDayOf(noticeAt);
  const threeMonthsLater = startOfKazakhstanDay(addCalendarMonths(noticeDay, WITHDRAWAL_NOTICE_MONTHS)).getTime()
    + (noticeAt.getTime() - startOfKazakhstanDay(noticeDay).getTime());
  return new Date(Math.max(startOfKazakhstanDay(withdrawalEffectiveDay(noticeAt, requested)).getTime(), threeMonthsLater));
}

/**
 * Whether a pending withdrawal takes effect now: its day has come and no obligation is open
 * (Kazakh law: consent cannot be withdrawn while an obligation to the subject is unfulfilled).
 */
export function withdrawalIsDue(now: Date, effectiveAt: Date, openObligations: number): boolean {
  return now.getTime() >= effectiveAt.getTime() && openObligations === 0;
}
