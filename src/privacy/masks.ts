/**
 * Masks for callers entitled only to a partial view of personal data.
 *
 * Every mask is total: whatever the stored value (malformed, wrong runtime type, huge,
 * emoji, combining marks) it returns a mask and never the raw value, and never throws.
 * Masks have a fixed shape so that the length of the original cannot be read off them.
 */
import { isValidBic, isValidEmail, normaliseIban } from '../kz/identifiers';

export interface AddressValue {
  country?: string | null;
  region?: string | null;
  city?: string | null;
  street?: string | null;
  building?: string | null;
  apartment?: string | null;
  postalCode?: string | null;
}

export interface BankAccountValue {
  iban: string;
  bankName: string | null;
  bic: string | null;
}

type NameParts = { surname?: unknown; firstName?: unknown; patronymic?: unknown };

const GARBAGE_PHONE = '+7 *** *** ** **';
const GARBAGE_EMAIL = '***@***';
const GARBAGE_ID = '************';
const GARBAGE_IBAN = 'KZ** **** **** **** ****';
const OPAQUE = '***';

/** Only a name-sized prefix is ever inspected, so huge values cost no more than short ones. */
const SCAN_LIMIT = 256;

const graphemes = new Intl.Segmenter('kk', { granularity: 'grapheme' });

/**
 * The first grapheme of `s` if it starts with a character matching `allowed`, upper-cased;
 * '' otherwise. NFC first, so a decomposed 'й' is one letter; then at most one combining
 * mark is kept, so a stack of diacritics cannot smuggle text or length into the mask.
 */
function leadingChar(s: string, allowed: RegExp): string {
  const head = s.trimStart().slice(0, SCAN_LIMIT).normalize('NFC');
  const first = graphemes.segment(head)[Symbol.iterator]().next();
  if (first.done || !allowed.test(first.value.segment)) return '';
  const capped = Array.from(first.value.segment).slice(0, 2).join('');
  // Locale-independent upper-casing: Kazakh 'ә', 'і' map correctly, and Latin 'i' stays 'I'
  // (a Turkic locale would give 'İ'). Letters without a single-letter capital ('ß' → 'SS') stay as is.
  const upper = capped.toUpperCase();
  return Array.from(upper).length === Array.from(capped).length ? upper : capped;
}

const LETTER = /^\p{L}/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;

/**
 * Runs a mask over a caller-supplied object: a hostile getter or proxy must not turn a
 * masked read into an error (or an error message containing the value).
 */
function guarded<T>(mask: () => T, fallback: T): T {
  try {
    return mask();
  } catch {
    return fallback;
  }
}

/** '+7 7** *** ** 63': country code, first national digit and last two digits. */
export function maskPhone(v: unknown): string {
  if (typeof v !== 'string') return GARBAGE_PHONE;
  let digits = v.replace(/[^0-9]/g, '');
  if (digits.length === 11 && digits[0] === '8') digits = `7${digits.slice(1)}`;
  if (digits.length !== 11 || digits[0] !== '7') return GARBAGE_PHONE;
  return `+7 ${digits[1]}** *** ** ${digits.slice(9)}`;
}

/**
 * Top-level domains shared by so many addresses that showing them narrows nothing down: a
 * two-letter country code, or com/net/org. Any other (brand, city or new gTLD) could point
 * at an employer or a small community, and its length alone would tell, so it becomes '***'.
 */
const COMMON_TLD = /^([a-z]{2}|com|net|org)$/;

/** 'a***@m***.kz': first character of the local part and of the domain, and a common TLD. */
export function maskEmail(v: unknown): string {
  if (typeof v !== 'string') return GARBAGE_EMAIL;
  const email = v.trim();
  if (!isValidEmail(email)) return GARBAGE_EMAIL;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1).toLowerCase();
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  return `${email[0]!.toLowerCase()}***@${domain[0]}***.${COMMON_TLD.test(tld) ? tld : '***'}`;
}

/**
 * IIN/BIN: '********1234', only for a stored value of exactly 12 digits. Anything else is
 * garbage: the last four of a short value would be most or all of it.
 */
const ID_NUMBER = /^[0-9]{12}$/;

export function maskIdNumber(v: unknown): string {
  return typeof v === 'string' && ID_NUMBER.test(v) ? `********${v.slice(-4)}` : GARBAGE_ID;
}

/** Any IBAN-shaped value (ISO 13616 lengths 15-34). */
const IBAN_LIKE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

/** 'KZ** **** **** **** 1234' whatever the country or length of the stored IBAN. */
export function maskIban(v: unknown): string {
  if (typeof v !== 'string') return GARBAGE_IBAN;
  const iban = normaliseIban(v);
  // An IBAN-shaped value shows its last four characters.
  if (!IBAN_LIKE.test(iban)) return GARBAGE_IBAN;
  return `KZ** **** **** **** ${iban.slice(-4)}`;
}

/**
 * A bank account: the IBAN masked; the bank's name dropped (it is client-entered free text);
 * the BIC kept only when it is a well-formed BIC, which names a bank, not the holder.
 */
export function maskBankAccount(v: unknown): BankAccountValue {
  return guarded(
    () => {
      const account = (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
      const bic = account.bic;
      return { iban: maskIban(account.iban), bankName: null, bic: typeof bic === 'string' && isValidBic(bic) ? bic : null };
    },
    { iban: GARBAGE_IBAN, bankName: null, bic: null },
  );
}

/** 'Иван' → 'И.', 'Анна-Мария' → 'А.-М.'; '' when there is no leading letter. */
export function initial(word: unknown): string {
  if (typeof word !== 'string') return '';
  // Three parts cover real double-barrelled names while keeping the shape bounded.
  return word
    .slice(0, SCAN_LIMIT)
    .split(/[-\u2010\u2011]/)
    .slice(0, 3)
    .map((part) => leadingChar(part, LETTER))
    .filter((c) => c !== '')
    .map((c) => `${c}.`)
    .join('-');
}

const NAME_LIKE = /^\p{L}[\p{L}\p{M}'’ -]*$/u;
const MAX_SURNAME = 64;

function fullSurname(v: unknown): string {
  if (typeof v !== 'string') return '';
  const surname = v.slice(0, SCAN_LIMIT).trim().replace(/\s+/g, ' ').normalize('NFC');
  // Anything that does not look like a surname (digits, markup, a pasted document) is reduced to its initial.
  return surname.length <= MAX_SURNAME && NAME_LIKE.test(surname) ? surname : initial(surname);
}

/** 'Иванов И. И.': surname in full, then initials; missing parts are skipped. */
export function maskFullName(parts: NameParts): string {
  return guarded(() => {
    if (typeof parts !== 'object' || parts === null) return OPAQUE;
    const words = [fullSurname(parts.surname), initial(parts.firstName), initial(parts.patronymic)];
    return words.filter((w) => w !== '').join(' ') || OPAQUE;
  }, OPAQUE);
}

/** One name field: its first letter, e.g. 'Ә.'. */
export function maskNamePart(v: unknown): string {
  if (typeof v !== 'string') return '*';
  const c = leadingChar(v, LETTER);
  return c === '' ? '*' : `${c}.`;
}

const MAX_PLACE = 60;
const MAX_PLACE_WORDS = 4;
/** Letters, with the hyphens, dots, apostrophes and spaces of names such as 'Усть-Каменогорск', 'г. Алматы'. */
const PLACE_LIKE = /^\p{L}[\p{L}\p{M}'’.\- ]*$/u;
const ONE_WORD = /^\p{L}+$/u;
/** Words that name what is below a city (Russian, Kazakh, English): their presence means a street or a flat. */
const BELOW_CITY = /^(ул|улица|пр|просп|проспект|пер|переулок|мкр|микрорайон|д|дом|кв|квартира|корп|көше|көшесі|даңғыл|даңғылы|шағын|үй|пәтер|st|street|ave|avenue|rd|road|apt|flat|house|building)$/u;

/**
 * A place name survives only if it looks like one: a street, building or flat misfiled into
 * `city` or `region` (digits, a comma, a street word) would otherwise leak through the
 * generalised address.
 */
function placeName(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  // Most places are one word of letters: the checks below then come down to these two.
  if (ONE_WORD.test(v)) return v.length <= MAX_PLACE && !BELOW_CITY.test(v.toLowerCase()) ? v : null;
  const place = v.trim().replace(/\s+/g, ' ');
  if (place === '' || place.length > MAX_PLACE || !PLACE_LIKE.test(place)) return null;
  const words = place.toLowerCase().split(/[ .]+/).filter((w) => w !== '');
  return words.length <= MAX_PLACE_WORDS && !words.some((w) => BELOW_CITY.test(w)) ? place : null;
}

/** Generalises an address to country, region and city. */
export function maskAddress(a: unknown): AddressValue | null {
  return guarded(() => {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return null;
    const addr = a as Record<string, unknown>;
    return {
      country: placeName(addr.country),
      region: placeName(addr.region),
      city: placeName(addr.city),
      street: null,
      building: null,
      apartment: null,
      postalCode: null,
    };
  }, null);
}

// Russian, Kazakh (ЖШС, АҚ, ЖК) and English forms of a Kazakh legal entity.
const LEGAL_FORM = /^(ТОО|АО|ИП|ЖШС|АҚ|ЖК|ПК|LLP|JSC|LLC)(?=[\s«"“„'‘]|$)/iu;

/** 'ТОО «Алтын Дала»' → 'ТОО «А***»'; without a recognised legal form → 'А***'. */
export function maskLegalName(v: unknown): string {
  if (typeof v !== 'string') return OPAQUE;
  const name = v.trim().slice(0, SCAN_LIMIT);
  const form = LEGAL_FORM.exec(name);
  const rest = (form ? name.slice(form[0].length) : name).replace(/^[\s«»"“”„'‘’]+/u, '');
  const c = leadingChar(rest, LETTER_OR_DIGIT);
  if (c === '') return OPAQUE;
  return form ? `${form[1].toUpperCase()} «${c}***»` : `${c}***`;
}
