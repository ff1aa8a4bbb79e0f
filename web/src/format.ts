/**
 * Kazakh formats: dates as dd.mm.yyyy in Kazakhstan time (UTC+5, the whole country since 2024,
 * as the API counts days), phones as +7 7XX XXX XX XX, amounts in tenge. Fixed arithmetic rather
 * than the browser's locale and time-zone data, so every browser shows the same.
 */
const KZ_OFFSET_MS = 5 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

function kzParts(iso: string): Date | null {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : new Date(at.getTime() + KZ_OFFSET_MS);
}

/** An instant as its day in Kazakhstan: 02.03.2027. */
export function formatDate(iso: string | null | undefined): string {
  const kz = iso ? kzParts(iso) : null;
  return kz ? `${pad(kz.getUTCDate())}.${pad(kz.getUTCMonth() + 1)}.${kz.getUTCFullYear()}` : '';
}

/** An instant in Kazakhstan time: 02.03.2027 14:05. */
export function formatDateTime(iso: string | null | undefined): string {
  const kz = iso ? kzParts(iso) : null;
  return kz ? `${formatDate(iso)} ${pad(kz.getUTCHours())}:${pad(kz.getUTCMinutes())}` : '';
}

/** The last Kazakhstan day an end instant still covers (an end is exclusive: 01.01.2100 00:00 → 31.12.2099). */
export function formatLastDay(iso: string | null | undefined): string {
  return iso ? formatDate(new Date(Date.parse(iso) - 1).toISOString()) : '';
}

/** A calendar day (YYYY-MM-DD, as the API gives dates) as dd.mm.yyyy. */
export function formatDay(day: string | null | undefined): string {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return match ? `${match[3]}.${match[2]}.${match[1]}` : (day ?? '');
}

/** dd.mm.yyyy (also d.m.yyyy) as YYYY-MM-DD, or null when it is not a real day. */
export function parseDay(text: string): string | null {
  const match = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The instant a Kazakhstan day starts (YYYY-MM-DD → ISO), e.g. for "from" filters. */
export function dayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - KZ_OFFSET_MS).toISOString();
}

/** The instant the Kazakhstan day after `day` starts: the end of `day`, included. */
export function dayEnd(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - KZ_OFFSET_MS + 24 * 60 * 60 * 1000).toISOString();
}

/** Today in Kazakhstan, YYYY-MM-DD. */
export function kzToday(now: Date = new Date()): string {
  return new Date(now.getTime() + KZ_OFFSET_MS).toISOString().slice(0, 10);
}

/** +77012345678 → +7 701 234 56 78; anything else as given. */
export function formatPhone(phone: string): string {
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return match ? `+7 ${match[1]} ${match[2]} ${match[3]} ${match[4]}` : phone;
}

/** What people type (+7 (701) 234-56-78, 8 701 234 5678, 87012345678) as E.164, or null. */
export function normalizePhone(text: string): string | null {
  const digits = text.replace(/[\s()\-.]/g, '');
  const match = /^(?:\+7|8|7)(\d{10})$/.exec(digits);
  return match ? `+7${match[1]}` : null;
}

/** KZ IBAN in groups of four, as printed on bank documents. */
export function formatIban(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

const NBSP = '\u00a0';

/** "12500.50" → "12 500,50 ₸" (exact: the API sends decimals as strings). */
export function formatMoney(amount: string, currency = 'KZT'): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return amount;
  const whole = match[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const fraction = match[3] && /[1-9]/.test(match[3]) ? `,${match[3].padEnd(2, '0')}` : '';
  return `${match[1]}${whole}${fraction}${NBSP}${currency === 'KZT' ? '₸' : currency}`;
}

/** A long id shortened for tables; the full id stays in the title and the export. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
