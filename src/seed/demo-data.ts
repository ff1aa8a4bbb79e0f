/**
 * Deterministic, realistic demo data: Kazakh and Russian clients, legal entities, their
 * requisites and orders. Every identifier passes the validators in src/kz/identifiers.ts,
 * and IINs, BINs, IBANs, phones, e-mails and logins are unique across one generated set,
 * so the data can be loaded under unique constraints.
 */
import { iinCheckDigit, kzIbanCheckDigits } from '../kz/identifiers';

export interface DemoAddress {
  country: string;
  region: string;
  city: string;
  street: string;
  building: string;
  apartment: string | null;
  postalCode: string;
}

export interface DemoBankAccount {
  iban: string;
  bankName: string;
  bic: string;
}

export type DemoOrderStatus = 'NEW' | 'PAID' | 'COMPLETED' | 'CANCELLED';

export interface DemoOrder {
  amountTiyn: number;
  items: Array<{ name: string; quantity: number; priceTiyn: number }>;
  status: DemoOrderStatus;
  contactPhone: string;
  contactEmail: string;
  deliveryAddress: DemoAddress;
  createdDaysAgo: number;
}

export interface DemoClient {
  kind: 'PERSON' | 'ENTITY';
  /** For an ENTITY: the representative (director); null when none is on file. */
  surname: string | null;
  firstName: string | null;
  patronymic: string | null;
  iin: string | null;
  bin: string | null;
  legalName: string | null;
  /** Official requisites of an ENTITY (null for a PERSON); the head is the representative above. */
  legalForm: 'LLP' | 'JSC' | 'INDIVIDUAL_ENTREPRENEUR' | null;
  stateRegistrationDate: string | null;
  headFullName: string | null;
  kbe: string | null;
  vatCertificate: string | null;
  registrationAddress: DemoAddress;
  residenceAddress: DemoAddress;
  phones: string[];
  emails: string[];
  bankAccounts: DemoBankAccount[];
  login: string;
  orders: DemoOrder[];
}

export type Rng = () => number;

// Read once: in a sandboxed global (Jest's vm context) every `Math.` lookup is slow enough to dominate generation.
const { floor, imul } = Math;

/** mulberry32: tiny, fast and good enough for demo data; `| 0` keeps the state a 32-bit integer. */
export function createRng(seed: number): Rng {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = imul(state ^ (state >>> 15), state | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, min: number, max: number): number => min + floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[floor(rng() * xs.length)];
const chance = (rng: Rng, p: number): boolean => rng() < p;

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += floor(rng() * 10);
  return s;
}

function pickWeighted<T>(rng: Rng, xs: ReadonlyArray<readonly [T, number]>): T {
  let r = rng() * xs.reduce((sum, [, w]) => sum + w, 0);
  for (const [x, w] of xs) {
    r -= w;
    if (r < 0) return x;
  }
  return xs[xs.length - 1][0];
}

/**
 * Draws until `make` yields a value not used before; `attempt` lets it vary its recipe,
 * and null means "this draw is unusable, draw again".
 */
function unique(used: Set<string>, make: (attempt: number) => string | null): string {
  for (let attempt = 0; ; attempt++) {
    const v = make(attempt);
    if (v !== null && !used.has(v)) {
      used.add(v);
      return v;
    }
  }
}

/** [Cyrillic, Latin transliteration] */
type Spelling = readonly [string, string];

const KZ_MALE: Spelling[] = [
  ['Әлібек', 'Alibek'], ['Қайрат', 'Kairat'], ['Нұрлан', 'Nurlan'], ['Ерлан', 'Erlan'], ['Серік', 'Serik'],
  ['Асқар', 'Askar'], ['Ғалым', 'Galym'], ['Айдос', 'Aidos'], ['Бауыржан', 'Bauyrzhan'], ['Дәурен', 'Dauren'],
  ['Ермек', 'Ermek'], ['Жандос', 'Zhandos'], ['Мұрат', 'Murat'], ['Өмір', 'Omir'], ['Өмірзақ', 'Omirzak'],
  ['Санжар', 'Sanzhar'], ['Тимур', 'Timur'], ['Ернұр', 'Ernur'], ['Бақыт', 'Bakyt'], ['Елдос', 'Eldos'],
];
const KZ_FEMALE: Spelling[] = [
  ['Ғалия', 'Galiya'], ['Ұлжан', 'Ulzhan'], ['Үміт', 'Umit'], ['Іңкәр', 'Inkar'], ['Әйгерім', 'Aigerim'],
  ['Айгүл', 'Aigul'], ['Гүлнар', 'Gulnar'], ['Динара', 'Dinara'], ['Жанар', 'Zhanar'], ['Мадина', 'Madina'],
  ['Сәуле', 'Saule'], ['Аружан', 'Aruzhan'], ['Ақбота', 'Akbota'], ['Назерке', 'Nazerke'], ['Томирис', 'Tomiris'],
  ['Айым', 'Aiym'], ['Меруерт', 'Meruert'], ['Дана', 'Dana'],
];
/** Male forms; the female form adds -а / -a (all end in -ов, -ев or -ин). */
const KZ_SURNAMES: Spelling[] = [
  ['Нұрланов', 'Nurlanov'], ['Қасымов', 'Kasymov'], ['Әбенов', 'Abenov'], ['Сейітов', 'Seitov'],
  ['Жұмабаев', 'Zhumabaev'], ['Ахметов', 'Akhmetov'], ['Омаров', 'Omarov'], ['Серікбаев', 'Serikbaev'],
  ['Тоқаев', 'Tokaev'], ['Байжанов', 'Baizhanov'], ['Әлиев', 'Aliev'], ['Қуанышев', 'Kuanyshev'],
  ['Ермеков', 'Ermekov'], ['Мұхамедиев', 'Mukhamediev'], ['Оспанов', 'Ospanov'], ['Исабеков', 'Isabekov'],
  ['Сәрсенбаев', 'Sarsenbaev'], ['Бекмұханов', 'Bekmukhanov'], ['Өтепов', 'Otepov'], ['Ұзақов', 'Uzakov'],
];
/** Kazakh fathers' names as spelt in Russian-style patronymics (Нурланович, not Нұрланович). */
const KZ_FATHERS_RU_STYLE: Spelling[] = [
  ['Нурлан', 'Nurlan'], ['Серик', 'Serik'], ['Ерлан', 'Erlan'], ['Марат', 'Marat'], ['Болат', 'Bolat'],
  ['Кайрат', 'Kairat'], ['Асхат', 'Askhat'], ['Бахыт', 'Bakhyt'], ['Мурат', 'Murat'], ['Талгат', 'Talgat'],
];
const RU_MALE: Spelling[] = [
  ['Иван', 'Ivan'], ['Алексей', 'Aleksei'], ['Сергей', 'Sergei'], ['Дмитрий', 'Dmitrii'], ['Андрей', 'Andrei'],
  ['Николай', 'Nikolai'], ['Павел', 'Pavel'], ['Евгений', 'Evgenii'], ['Михаил', 'Mikhail'], ['Виктор', 'Viktor'],
];
const RU_FEMALE: Spelling[] = [
  ['Анна', 'Anna'], ['Елена', 'Elena'], ['Ольга', 'Olga'], ['Наталья', 'Natalya'], ['Татьяна', 'Tatyana'],
  ['Екатерина', 'Ekaterina'], ['Мария', 'Mariya'], ['Ирина', 'Irina'], ['Светлана', 'Svetlana'], ['Юлия', 'Yuliya'],
];
const RU_SURNAMES: Spelling[] = [
  ['Иванов', 'Ivanov'], ['Петров', 'Petrov'], ['Смирнов', 'Smirnov'], ['Кузнецов', 'Kuznetsov'],
  ['Попов', 'Popov'], ['Соколов', 'Sokolov'], ['Лебедев', 'Lebedev'], ['Новиков', 'Novikov'],
  ['Морозов', 'Morozov'], ['Волков', 'Volkov'], ['Козлов', 'Kozlov'], ['Ильин', 'Ilyin'],
];
/** [male Cyrillic, female Cyrillic, male Latin, female Latin] */
const RU_PATRONYMICS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['Иванович', 'Ивановна', 'Ivanovich', 'Ivanovna'],
  ['Сергеевич', 'Сергеевна', 'Sergeevich', 'Sergeevna'],
  ['Александрович', 'Александровна', 'Aleksandrovich', 'Aleksandrovna'],
  ['Петрович', 'Петровна', 'Petrovich', 'Petrovna'],
  ['Викторович', 'Викторовна', 'Viktorovich', 'Viktorovna'],
  ['Николаевич', 'Николаевна', 'Nikolaevich', 'Nikolaevna'],
  ['Андреевич', 'Андреевна', 'Andreevich', 'Andreevna'],
  ['Михайлович', 'Михайловна', 'Mikhailovich', 'Mikhailovna'],
];

interface NameSpelling {
  surname: string;
  firstName: string;
  patronymic: string | null;
}

interface GeneratedName {
  male: boolean;
  cyrillic: NameSpelling;
  latin: NameSpelling;
}

function generateName(rng: Rng): GeneratedName {
  const male = chance(rng, 0.5);
  const kazakh = chance(rng, 0.7);
  const first = pick(rng, kazakh ? (male ? KZ_MALE : KZ_FEMALE) : male ? RU_MALE : RU_FEMALE);
  const [surC, surL] = pick(rng, kazakh ? KZ_SURNAMES : RU_SURNAMES);
  let patronymic: Spelling | null = null;
  if (chance(rng, 0.95)) {
    if (!kazakh) {
      const p = pick(rng, RU_PATRONYMICS);
      patronymic = male ? [p[0], p[2]] : [p[1], p[3]];
    } else if (chance(rng, 0.5)) {
      // Kazakh form: the father's name + ұлы (son of) / қызы (daughter of).
      const [c, l] = pick(rng, KZ_MALE);
      patronymic = male ? [`${c}ұлы`, `${l}uly`] : [`${c}қызы`, `${l}kyzy`];
    } else {
      const [c, l] = pick(rng, KZ_FATHERS_RU_STYLE);
      patronymic = male ? [`${c}ович`, `${l}ovich`] : [`${c}овна`, `${l}ovna`];
    }
  }
  const suffix: Spelling = male ? ['', ''] : ['а', 'a'];
  return {
    male,
    cyrillic: { surname: surC + suffix[0], firstName: first[0], patronymic: patronymic?.[0] ?? null },
    latin: { surname: surL + suffix[1], firstName: first[1], patronymic: patronymic?.[1] ?? null },
  };
}

interface City {
  city: string;
  region: string;
  postalBase: number;
  weight: number;
}

const CITIES: City[] = [
  { city: 'Алматы', region: 'г. Алматы', postalBase: 50000, weight: 25 },
  { city: 'Астана', region: 'г. Астана', postalBase: 10000, weight: 20 },
  { city: 'Шымкент', region: 'г. Шымкент', postalBase: 160000, weight: 10 },
  { city: 'Караганда', region: 'Карагандинская область', postalBase: 100000, weight: 6 },
  { city: 'Актобе', region: 'Актюбинская область', postalBase: 30000, weight: 5 },
  { city: 'Атырау', region: 'Атырауская область', postalBase: 60000, weight: 4 },
  { city: 'Павлодар', region: 'Павлодарская область', postalBase: 140000, weight: 4 },
  { city: 'Усть-Каменогорск', region: 'Восточно-Казахстанская область', postalBase: 70000, weight: 4 },
  { city: 'Семей', region: 'Абайская область', postalBase: 71400, weight: 3 },
  { city: 'Костанай', region: 'Костанайская область', postalBase: 110000, weight: 3 },
  { city: 'Тараз', region: 'Жамбылская область', postalBase: 80000, weight: 3 },
  { city: 'Актау', region: 'Мангистауская область', postalBase: 130000, weight: 3 },
  { city: 'Уральск', region: 'Западно-Казахстанская область', postalBase: 90000, weight: 3 },
  { city: 'Петропавловск', region: 'Северо-Казахстанская область', postalBase: 150000, weight: 2 },
  { city: 'Кызылорда', region: 'Кызылординская область', postalBase: 120000, weight: 2 },
  { city: 'Туркестан', region: 'Туркестанская область', postalBase: 161200, weight: 2 },
];
const WEIGHTED_CITIES = CITIES.map((c) => [c, c.weight] as const);

const STREETS = [
  'пр. Абая', 'ул. Толе би', 'ул. Сатпаева', 'пр. Республики', 'ул. Кабанбай батыра', 'ул. Байтурсынова',
  'пр. Аль-Фараби', 'ул. Жамбыла', 'ул. Пушкина', 'ул. Ауэзова', 'ул. Гоголя', 'пр. Мангилик Ел',
  'ул. Бухар жырау', 'ул. Наурызбай батыра', 'мкр. Самал-2', 'ул. Желтоксан',
];

function generateAddress(rng: Rng): DemoAddress {
  const c = pickWeighted(rng, WEIGHTED_CITIES);
  return {
    country: 'Казахстан',
    region: c.region,
    city: c.city,
    street: pick(rng, STREETS),
    building: String(int(rng, 1, 250)) + (chance(rng, 0.15) ? pick(rng, ['А', 'Б', 'В']) : ''),
    apartment: chance(rng, 0.25) ? null : String(int(rng, 1, 300)),
    postalCode: String(c.postalBase + int(rng, 0, 99)).padStart(6, '0'),
  };
}

interface Bank {
  code: string;
  name: string;
  bic: string;
  /** Kaspi accounts carry an 'S' after the bank code; the others are all digits here. */
  accountPrefix: string;
}

const BANKS: Bank[] = [
  { code: '722', name: 'АО «Kaspi Bank»', bic: 'CASPKZKA', accountPrefix: 'S' },
  { code: '601', name: 'АО «Народный Банк Казахстана»', bic: 'HSBKKZKX', accountPrefix: '' },
  { code: '998', name: 'АО «First Heartland Jusan Bank»', bic: 'TSESKZKA', accountPrefix: '' },
  { code: '914', name: 'АО «ForteBank»', bic: 'IRTYKZKA', accountPrefix: '' },
  { code: '826', name: 'АО «Банк ЦентрКредит»', bic: 'KCJBKZKX', accountPrefix: '' },
];

const OPERATORS = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778'];
const MAIL_DOMAINS = ['mail.kz', 'gmail.com', 'yandex.kz', 'inbox.kz'];

/** [Cyrillic name, Latin name used for the company domain] */
const COMPANIES: Spelling[] = [
  ['Алтын Дала', 'Altyn Dala'], ['Қазақ Темір', 'Kazakh Temir'], ['Астана Логистик', 'Astana Logistic'],
  ['Жібек Жолы', 'Zhibek Zholy'], ['Сарыарқа Сервис', 'Saryarka Service'], ['Дала Агро', 'Dala Agro'],
  ['Көкшетау Құрылыс', 'Kokshetau Kurylys'], ['Алатау Трейд', 'Alatau Trade'], ['Нұр Медиа', 'Nur Media'],
  ['Ертіс Энерго', 'Ertis Energo'], ['Каспий Ойл', 'Kaspii Oil'], ['Тұлпар Моторс', 'Tulpar Motors'],
  ['Самұрық Тех', 'Samuryk Tech'], ['Шаңырақ Групп', 'Shanyrak Group'], ['Бәйтерек Девелопмент', 'Baiterek Development'],
];

const CATALOGUE: ReadonlyArray<readonly [string, number]> = [
  ['Смартфон Samsung Galaxy A15', 8_999_000],
  ['Наушники Apple AirPods Pro', 11_999_000],
  ['Ноутбук Lenovo IdeaPad 3', 27_999_000],
  ['Чайник электрический Tefal', 1_599_000],
  ['Пылесос Xiaomi Mi Vacuum', 6_490_000],
  ['Кофе молотый Jacobs 250 г', 349_050],
  ['Чай «Пиала» 100 пак.', 119_000],
  ['Кумыс 1 л', 95_000],
  ['Шұбат 1 л', 120_000],
  ['Қазы 1 кг', 650_000],
  ['Мука «Цесна» 2 кг', 89_050],
  ['Подгузники Pampers 52 шт.', 790_000],
  ['Рюкзак школьный', 1_250_000],
  ['Книга «Абай жолы»', 450_000],
];

/** Recent statuses get recent dates, so demo timelines look plausible. */
const STATUSES: ReadonlyArray<readonly [DemoOrderStatus, number, number]> = [
  ['NEW', 20, 3],
  ['PAID', 25, 14],
  ['COMPLETED', 40, 730],
  ['CANCELLED', 15, 730],
];
const WEIGHTED_STATUSES = STATUSES.map((s) => [s, s[1]] as const);

/** Shared state for one generated set: the PRNG and the values already handed out. */
interface Ctx {
  rng: Rng;
  iins: Set<string>;
  bins: Set<string>;
  ibans: Set<string>;
  phones: Set<string>;
  emails: Set<string>;
}

const EPOCH_1950 = Date.UTC(1950, 0, 1);
const DAYS_1950_TO_2005 = (Date.UTC(2005, 11, 31) - EPOCH_1950) / 86_400_000;

function generateIin(ctx: Ctx, male: boolean): string {
  const { rng } = ctx;
  const birth = new Date(EPOCH_1950 + int(rng, 0, DAYS_1950_TO_2005) * 86_400_000);
  const year = birth.getUTCFullYear();
  const yymmdd =
    String(year % 100).padStart(2, '0') +
    String(birth.getUTCMonth() + 1).padStart(2, '0') +
    String(birth.getUTCDate()).padStart(2, '0');
  // 7th digit: 3/4 born in the 1900s, 5/6 in the 2000s; odd for men, even for women.
  const century = (year < 2000 ? 3 : 5) + (male ? 0 : 1);
  return unique(ctx.iins, () => {
    const first11 = yymmdd + century + digits(rng, 4);
    const check = iinCheckDigit(first11);
    return check === null ? null : first11 + check;
  });
}

/** A valid BIN registered in YYMM (a head office: 6th digit 0), not in `used`. */
export function generateBin(rng: Rng, yymm: string, entityType: '4' | '6', used: Set<string>): string {
  return unique(used, () => {
    const first11 = `${yymm}${entityType}0${digits(rng, 5)}`;
    const check = iinCheckDigit(first11);
    return check === null ? null : first11 + check;
  });
}

function registrationYymm(rng: Rng): string {
  return String(int(rng, 1995, 2023) % 100).padStart(2, '0') + String(int(rng, 1, 12)).padStart(2, '0');
}

/** A version 4 UUID drawn from the seeded generator, so seeded rows get the same ids every run. */
export function generateUuid(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += floor(rng() * 16).toString(16);
  const variant = '89ab'[floor(rng() * 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function generateBankAccount(ctx: Ctx): DemoBankAccount {
  const bank = pick(ctx.rng, BANKS);
  const iban = unique(ctx.ibans, () => {
    const bban = bank.code + bank.accountPrefix + digits(ctx.rng, 13 - bank.accountPrefix.length);
    return `KZ${kzIbanCheckDigits(bban)}${bban}`;
  });
  return { iban, bankName: bank.name, bic: bank.bic };
}

function generatePhones(ctx: Ctx): string[] {
  return Array.from({ length: int(ctx.rng, 1, 3) }, () =>
    unique(ctx.phones, () => `+7${pick(ctx.rng, OPERATORS)}${digits(ctx.rng, 7)}`),
  );
}

/** Appends random digits after the first attempt, so a taken address still yields a fresh one. */
function uniqueEmail(ctx: Ctx, local: string, domain: string): string {
  return unique(ctx.emails, (attempt) => `${local}${attempt === 0 ? '' : int(ctx.rng, 1, 9999)}@${domain}`);
}

function personEmails(ctx: Ctx, name: NameSpelling): string[] {
  const { rng } = ctx;
  const first = name.firstName.toLowerCase();
  const surname = name.surname.toLowerCase();
  const locals = [`${first}.${surname}`, `${first}${surname}`, `${first[0]}.${surname}`, `${surname}.${first}`];
  return Array.from({ length: int(rng, 1, 2) }, () => uniqueEmail(ctx, pick(rng, locals), pick(rng, MAIL_DOMAINS)));
}

function generateItems(rng: Rng): DemoOrder['items'] {
  return Array.from({ length: int(rng, 1, 4) }, () => {
    const [name, priceTiyn] = pick(rng, CATALOGUE);
    return { name, quantity: int(rng, 1, 3), priceTiyn };
  });
}

function generateOrders(ctx: Ctx, phones: string[], emails: string[], residence: DemoAddress): DemoOrder[] {
  const { rng } = ctx;
  return Array.from({ length: int(rng, 0, 5) }, () => {
    const items = generateItems(rng);
    const [status, , maxDaysAgo] = pickWeighted(rng, WEIGHTED_STATUSES);
    return {
      amountTiyn: items.reduce((sum, i) => sum + i.quantity * i.priceTiyn, 0),
      items,
      status,
      contactPhone: pick(rng, phones),
      contactEmail: pick(rng, emails),
      deliveryAddress: chance(rng, 0.7) ? { ...residence } : generateAddress(rng),
      createdDaysAgo: int(rng, 0, maxDaysAgo),
    };
  });
}

function generatePerson(ctx: Ctx, index: number): DemoClient {
  const { rng } = ctx;
  const name = generateName(rng);
  const shown = chance(rng, 0.2) ? name.latin : name.cyrillic;
  const registrationAddress = generateAddress(rng);
  const residenceAddress = chance(rng, 0.6) ? { ...registrationAddress } : generateAddress(rng);
  const phones = generatePhones(ctx);
  const emails = personEmails(ctx, name.latin);
  return {
    kind: 'PERSON',
    ...shown,
    iin: generateIin(ctx, name.male),
    bin: null,
    legalName: null,
    legalForm: null,
    stateRegistrationDate: null,
    headFullName: null,
    kbe: null,
    vatCertificate: null,
    registrationAddress,
    residenceAddress,
    phones,
    emails,
    bankAccounts: Array.from({ length: int(rng, 0, 2) }, () => generateBankAccount(ctx)),
    login: `${name.latin.firstName}.${name.latin.surname}.${index + 1}`.toLowerCase(),
    orders: generateOrders(ctx, phones, emails, residenceAddress),
  };
}

const LEGAL_FORMS = { ТОО: 'LLP', АО: 'JSC', ИП: 'INDIVIDUAL_ENTREPRENEUR' } as const;

function generateEntity(ctx: Ctx, index: number): DemoClient {
  const { rng } = ctx;
  const form = pickWeighted(rng, [['ТОО', 70], ['АО', 10], ['ИП', 20]] as const);
  // An individual entrepreneur is a person, so an ИП always has one; companies may lack a director on file.
  const rep = form === 'ИП' || chance(rng, 0.8) ? generateName(rng) : null;
  const repShown = rep && (chance(rng, 0.2) ? rep.latin : rep.cyrillic);
  const [companyC, companyL] = pick(rng, COMPANIES);
  const useSurname = form === 'ИП' && rep !== null;
  const legalName = `${form} «${useSurname ? rep.cyrillic.surname : companyC}»`;
  const slug = (useSurname ? rep.latin.surname : companyL).toLowerCase().replace(/[^a-z]/g, '');
  const domain = `${slug}.kz`;
  const yymm = registrationYymm(rng);
  const registrationAddress = generateAddress(rng);
  const residenceAddress = chance(rng, 0.7) ? { ...registrationAddress } : generateAddress(rng);
  const phones = generatePhones(ctx);
  const emails = Array.from({ length: int(rng, 1, 2) }, () =>
    uniqueEmail(ctx, pick(rng, ['info', 'office', 'buh', 'sales', 'director']), domain),
  );
  return {
    kind: 'ENTITY',
    surname: repShown?.surname ?? null,
    firstName: repShown?.firstName ?? null,
    patronymic: repShown?.patronymic ?? null,
    iin: null,
    // Entity type 4 is a resident legal entity; 6 an individual entrepreneur in joint venture.
    bin: generateBin(rng, yymm, form === 'ИП' ? '6' : '4', ctx.bins),
    legalName,
    legalForm: LEGAL_FORMS[form],
    // The BIN's YYMM is the month of state registration.
    stateRegistrationDate: `${Number(yymm.slice(0, 2)) >= 90 ? 19 : 20}${yymm.slice(0, 2)}-${yymm.slice(2)}-${String(int(rng, 1, 28)).padStart(2, '0')}`,
    headFullName: rep ? [rep.cyrillic.surname, rep.cyrillic.firstName, rep.cyrillic.patronymic].filter(Boolean).join(' ') : null,
    // Resident (1); other non-financial organisations (7), households for an entrepreneur (9).
    kbe: form === 'ИП' ? '19' : '17',
    vatCertificate: chance(rng, 0.5) ? `${int(rng, 10000, 99999)}${digits(rng, 7)}` : null,
    registrationAddress,
    residenceAddress,
    phones,
    emails,
    bankAccounts: Array.from({ length: int(rng, 1, 2) }, () => generateBankAccount(ctx)),
    login: `${slug}.${index + 1}`,
    orders: generateOrders(ctx, phones, emails, residenceAddress),
  };
}

/** `count` clients, about 15% of them legal entities; the same seed gives deep-equal output. */
/**
 * The demo account's own orders, one of each status and recent, so that a frontend logged in as it
 * has something to list. From a stream of their own: the other demo data stays as it was.
 */
export function generateAccountOrders(seed: number, client: DemoClient): DemoOrder[] {
  const rng = createRng(seed + 3);
  return STATUSES.map(([status], i) => {
    const items = generateItems(rng);
    return {
      amountTiyn: items.reduce((sum, item) => sum + item.quantity * item.priceTiyn, 0),
      items,
      status,
      contactPhone: client.phones[0]!,
      contactEmail: client.emails[0]!,
      deliveryAddress: { ...client.residenceAddress },
      createdDaysAgo: [1, 5, 30, 60][i]!,
    };
  });
}

export function generateDemoClients(count: number, seed: number): DemoClient[] {
  const ctx: Ctx = {
    rng: createRng(seed),
    iins: new Set(),
    bins: new Set(),
    ibans: new Set(),
    phones: new Set(),
    emails: new Set(),
  };
  return Array.from({ length: count }, (_, i) =>
    chance(ctx.rng, 0.15) ? generateEntity(ctx, i) : generatePerson(ctx, i),
  );
}
