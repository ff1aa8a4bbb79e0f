import fc from 'fast-check';
import {
  initial,
  maskAddress,
  maskBankAccount,
  maskEmail,
  maskFullName,
  maskIban,
  maskIdNumber,
  maskLegalName,
  maskNamePart,
  maskPhone,
} from '../../src/privacy/masks';

const segmenter = new Intl.Segmenter('kk', { granularity: 'grapheme' });
const graphemeLength = (s: string): number => Array.from(segmenter.segment(s)).length;

/** Values that must be masked as garbage, not echoed and not thrown on. */
const GARBAGE: unknown[] = [
  undefined,
  null,
  '',
  '   ',
  0,
  87011234563,
  Number.NaN,
  true,
  {},
  [],
  ['+77011234563'],
  { toString: () => '+77011234563' },
  Symbol('x'),
  () => '+77011234563',
  12n,
  '😀😀😀😀😀😀😀😀',
  '\u0301\u0301\u0301\u0301',
  'x'.repeat(1_000_000),
  '<script>alert(1)</script>',
];

const STRING_MASKS = {
  maskPhone,
  maskEmail,
  maskIdNumber,
  maskIban,
  maskNamePart,
  maskLegalName,
  initial,
} as const;

describe('maskPhone', () => {
  it('keeps +7, the first national digit and the last two digits', () => {
    expect(maskPhone('+77011234563')).toBe('+7 7** *** ** 63');
  });

  it('masks formatted and trunk-prefixed numbers the same way', () => {
    expect(maskPhone('+7 (701) 123-45-63')).toBe('+7 7** *** ** 63');
    expect(maskPhone('8 701 123 45 63')).toBe('+7 7** *** ** 63');
  });

  it('treats anything but 11 digits starting with 7 (or 8) as garbage', () => {
    expect(maskPhone('7011234563')).toBe('+7 *** *** ** **');
    expect(maskPhone('+770112345639')).toBe('+7 *** *** ** **');
    expect(maskPhone('+49 301 234 5678')).toBe('+7 *** *** ** **');
    expect(maskPhone('+1 (701) 123-45-63')).toBe('+7 *** *** ** **'); // 11 digits but starts with 1
  });

  it('has the same shape for 10- and 14-digit garbage as for a real number', () => {
    const lengths = ['7011234563', '77011234563123', '+77011234563'].map((p) => maskPhone(p).length);
    expect(new Set(lengths).size).toBe(1);
  });
});

describe('maskEmail', () => {
  it('keeps the first character of the local part and the domain, and the TLD', () => {
    expect(maskEmail('aidos.nurlanov@mail.kz')).toBe('a***@m***.kz');
    expect(maskEmail('a@m.kz')).toBe('a***@m***.kz');
  });

  it('uses exactly three stars whatever the lengths (length is not revealed)', () => {
    expect(maskEmail('abcdefghijklmnopqrstuvwxyz@mmmmmmmmmmmmmmmmmmm.kz')).toBe('a***@m***.kz');
  });

  it('shows only the first domain label and the TLD of a multi-label domain', () => {
    expect(maskEmail('Buh@Altyn-Dala.Com.KZ')).toBe('b***@a***.kz');
  });

  it('shows a country-code TLD or com/net/org; any other TLD, whatever its length, is ***', () => {
    expect(maskEmail('aidos@gmail.com')).toBe('a***@g***.com');
    expect(maskEmail('aidos@bk.RU')).toBe('a***@b***.ru');
    expect(maskEmail('aidos@kaspi.org')).toBe('a***@k***.org');
    for (const e of ['aidos@corp.bmw', 'aidos@city.moscow', 'aidos@x.travel', 'aidos@x.info', 'aidos@x.abcdefghijklmnopqrstuvwxyz']) {
      expect(maskEmail(e)).toBe(`a***@${e[6]}***.***`);
    }
  });

  it('masks malformed addresses as garbage', () => {
    for (const e of ['aidos', 'aidos@', '@mail.kz', 'ai dos@mail.kz', 'aidos@mail']) {
      expect(maskEmail(e)).toBe('***@***');
    }
  });
});

describe('maskIdNumber', () => {
  it('shows only the last four digits of an IIN/BIN in a 12-character mask', () => {
    expect(maskIdNumber('900101300017')).toBe('********0017');
  });

  it('masks every other digit count as garbage, so a short value is never shown whole', () => {
    for (const v of ['1', '1234', '12345', '12345678901', '1234567890123', '12345678901234567890']) {
      expect(maskIdNumber(v)).toBe('************');
    }
  });

  it('masks non-digits, spaces and prefixes as garbage', () => {
    expect(maskIdNumber('90010130001X')).toBe('************');
    expect(maskIdNumber('900101 300017')).toBe('************');
    expect(maskIdNumber(' 900101300017')).toBe('************');
    expect(maskIdNumber('ИИН 900101300017')).toBe('************');
    expect(maskIdNumber('９００１０１３０００１７')).toBe('************'); // full-width digits
  });
});

describe('maskIban', () => {
  it('shows only the last four characters in a fixed KZ shape', () => {
    expect(maskIban('KZ86125KZT5004100100')).toBe('KZ** **** **** **** 0100');
    expect(maskIban('kz86 125k zt50 0410 010a')).toBe('KZ** **** **** **** 010A');
  });

  it('keeps the same shape for IBANs of other countries and lengths', () => {
    expect(maskIban('DE89370400440532013000')).toBe('KZ** **** **** **** 3000');
  });

  it('masks non-IBAN values as garbage', () => {
    for (const v of ['KZ86', '1234567890123456', 'KZ86-125KZT5004100100', 'КЗ86125KZT5004100100']) {
      expect(maskIban(v)).toBe('KZ** **** **** **** ****');
    }
  });
});

describe('initial', () => {
  it('takes the upper-cased first letter of Russian and Kazakh Cyrillic names', () => {
    const cases: Array<[string, string]> = [
      ['Иван', 'И.'],
      ['ирина', 'И.'],
      ['Әлібек', 'Ә.'],
      ['әлібек', 'Ә.'],
      ['ғалым', 'Ғ.'],
      ['қайрат', 'Қ.'],
      ['ңұрлан', 'Ң.'],
      ['өмірзақ', 'Ө.'],
      ['ұлжан', 'Ұ.'],
      ['үміт', 'Ү.'],
      ['һәкім', 'Һ.'],
      ['іңкәр', 'І.'],
      ['ёлка', 'Ё.'],
    ];
    for (const [name, expected] of cases) expect(initial(name)).toBe(expected);
  });

  it('maps Kazakh і to Cyrillic І (U+0406), not Latin I', () => {
    expect(initial('іңкәр')).toBe('\u0406.');
  });

  it('upper-cases Latin i to I, never the Turkic dotted İ', () => {
    expect(initial('ilyas')).toBe('I.');
    expect(initial('aigerim')).toBe('A.');
  });

  it('initials each part of a hyphenated name', () => {
    expect(initial('Анна-Мария')).toBe('А.-М.');
    expect(initial('Jean-Paul')).toBe('J.-P.');
    expect(initial('Анна-')).toBe('А.');
  });

  it('keeps at most three hyphenated parts so the shape stays bounded', () => {
    expect(initial('а-б-в-г-д-е')).toBe('А.-Б.-В.');
  });

  it('treats a decomposed letter as one letter and keeps it whole', () => {
    expect(initial('и\u0306ылдыз')).toBe('Й.');
    expect(initial('a\u0301lvaro')).toBe('Á.');
  });

  it('keeps at most one combining mark on the initial', () => {
    expect(initial(`x${'\u0301'.repeat(50)}yz`)).toBe('X\u0301.');
  });

  it('returns "" for empty, non-letter and non-string input', () => {
    for (const v of ['', '  ', '123', '😀', '\u0301', '-', null, undefined, 5, {}]) expect(initial(v)).toBe('');
  });

  it('keeps a letter that has no single-letter capital', () => {
    expect(initial('ßtraße')).toBe('ß.');
  });
});

describe('maskFullName', () => {
  it('keeps the surname and reduces the first name and patronymic to initials', () => {
    expect(maskFullName({ surname: 'Иванов', firstName: 'Иван', patronymic: 'Иванович' })).toBe('Иванов И. И.');
    expect(maskFullName({ surname: 'Нұрланова', firstName: 'Әйгерім', patronymic: 'Серікқызы' })).toBe(
      'Нұрланова Ә. С.',
    );
    expect(maskFullName({ surname: 'Nurlanova', firstName: 'Aigerim', patronymic: 'Nurlanovna' })).toBe(
      'Nurlanova A. N.',
    );
  });

  it('handles hyphenated first names and surnames', () => {
    expect(maskFullName({ surname: 'Петрова-Водкина', firstName: 'Анна-Мария' })).toBe('Петрова-Водкина А.-М.');
  });

  it('skips missing parts', () => {
    expect(maskFullName({ surname: 'Қасымова', firstName: 'Ұлжан' })).toBe('Қасымова Ұ.');
    expect(maskFullName({ firstName: 'Үміт', patronymic: null })).toBe('Ү.');
    expect(maskFullName({ surname: 'Әбенов' })).toBe('Әбенов');
  });

  it('reduces a surname that does not look like a name to its initial', () => {
    expect(maskFullName({ surname: 'Иванов 900101300017', firstName: 'Иван' })).toBe('И. И.');
    expect(maskFullName({ surname: 'Я'.repeat(65), firstName: 'Иван' })).toBe('Я. И.');
    expect(maskFullName({ surname: '<b>Иванов</b>' })).toBe('***');
  });

  it('collapses whitespace and composes decomposed letters in the kept surname', () => {
    expect(maskFullName({ surname: '  Ван   дер  Берг ', firstName: 'Ян' })).toBe('Ван дер Берг Я.');
    expect(maskFullName({ surname: 'Кеи\u0306ки' })).toBe('Кейки');
  });

  it('returns *** when nothing is left', () => {
    expect(maskFullName({})).toBe('***');
    expect(maskFullName({ surname: 12, firstName: '😀' })).toBe('***');
  });
});

describe('maskNamePart', () => {
  it('keeps only the first letter of a single name field', () => {
    expect(maskNamePart('Әлібек')).toBe('Ә.');
    expect(maskNamePart('Анна-Мария')).toBe('А.');
    expect(maskNamePart('ilyas')).toBe('I.');
  });

  it('returns * for garbage', () => {
    for (const v of ['', '123', '😀', null, 7]) expect(maskNamePart(v)).toBe('*');
  });
});

describe('maskAddress', () => {
  const full = {
    country: 'Казахстан',
    region: 'Карагандинская область',
    city: 'Караганда',
    street: 'пр. Бухар-Жырау',
    building: '47',
    apartment: '12',
    postalCode: '100012',
  };

  it('keeps country, region and city and drops the rest', () => {
    expect(maskAddress(full)).toEqual({
      country: 'Казахстан',
      region: 'Карагандинская область',
      city: 'Караганда',
      street: null,
      building: null,
      apartment: null,
      postalCode: null,
    });
  });

  it('drops a place field that carries numbers or is too long to be a place name', () => {
    const masked = maskAddress({ ...full, city: 'Караганда, пр. Бухар-Жырау 47-12', region: 'р'.repeat(101) });
    expect(masked).toMatchObject({ city: null, region: null, country: 'Казахстан' });
  });

  it('drops a place field that reads like a street, a district or a sentence, in Russian, Kazakh or English', () => {
    for (const city of ['Алматы, мкр. Аксай', 'ул. Абая', 'Абай көшесі', 'мкр Самал', 'Baker Street', 'Алматы мкр Аксай ул Абая дом семь', 'Алматы; Абая']) {
      expect({ city, masked: maskAddress({ ...full, city })!.city }).toEqual({ city, masked: null });
    }
    for (const city of ['Алматы', 'Усть-Каменогорск', 'г. Алматы', 'Нұр-Сұлтан', 'Almaty', 'Санкт-Петербург']) {
      expect(maskAddress({ ...full, city })!.city).toBe(city);
    }
    expect(maskAddress({ ...full, region: 'пр. Абая' })!.region).toBeNull();
  });

  it('fills missing or non-string fields with null', () => {
    expect(maskAddress({ city: 'Алматы', region: 5 })).toEqual({
      country: null,
      region: null,
      city: 'Алматы',
      street: null,
      building: null,
      apartment: null,
      postalCode: null,
    });
  });

  it('returns null for non-objects and arrays', () => {
    for (const v of [null, undefined, 'Алматы, пр. Абая 1', 5, ['Алматы']]) expect(maskAddress(v)).toBeNull();
  });

  it('returns null rather than throwing when reading the value throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('пр. Абая 1');
        },
      },
    );
    expect(maskAddress(hostile)).toBeNull();
  });
});

describe('maskLegalName', () => {
  it('keeps the legal form and the first letter of the name', () => {
    expect(maskLegalName('ТОО «Алтын Дала»')).toBe('ТОО «А***»');
    expect(maskLegalName('АО "Қазақ Темір"')).toBe('АО «Қ***»');
    expect(maskLegalName('ИП Нұрланов')).toBe('ИП «Н***»');
    expect(maskLegalName('LLP “Altyn Dala”')).toBe('LLP «A***»');
    // Kazakh forms: the initial is the name's, not the form's.
    expect(maskLegalName('ЖШС «Береке»')).toBe('ЖШС «Б***»');
    expect(maskLegalName('АҚ «Қазақтелеком»')).toBe('АҚ «Қ***»');
    expect(maskLegalName('ЖК Сейітов')).toBe('ЖК «С***»');
    expect(maskLegalName('jsc kaspi bank')).toBe('JSC «K***»');
  });

  it('does not mistake the start of a name for a legal form', () => {
    expect(maskLegalName('Аокс Групп')).toBe('А***');
    expect(maskLegalName('Ипподром')).toBe('И***');
  });

  it('keeps a leading digit of the name', () => {
    expect(maskLegalName('ТОО «7 Холмов»')).toBe('ТОО «7***»');
  });

  it('returns *** when there is no name', () => {
    for (const v of ['ТОО', 'ТОО «»', '  ', '😀', null, 42]) expect(maskLegalName(v)).toBe('***');
  });
});

describe('maskBankAccount', () => {
  const account = { iban: 'KZ86125KZT5004100100', bankName: 'Kaspi Bank', bic: 'CASPKZKA' };

  it('masks the IBAN, drops the bank name (client free text) and keeps a well-formed BIC', () => {
    expect(maskBankAccount(account)).toEqual({ iban: 'KZ** **** **** **** 0100', bankName: null, bic: 'CASPKZKA' });
    expect(maskBankAccount({ ...account, bic: 'HSBKKZKX001' })).toMatchObject({ bic: 'HSBKKZKX001' });
  });

  it('drops a BIC that is not BIC-shaped, since it may be anything the client typed', () => {
    for (const bic of ['Иванов И.', 'caspkzka', 'CASPKZKA 900101300017', 'CASP', 900101300017, ['CASPKZKA'], { bic: 'CASPKZKA' }, null, undefined]) {
      expect(maskBankAccount({ ...account, bic })).toEqual({ iban: 'KZ** **** **** **** 0100', bankName: null, bic: null });
    }
  });

  it('never passes wrong-typed or garbage values through', () => {
    for (const v of [...GARBAGE, { iban: 5, bankName: { x: 1 }, bic: 7 }, ['KZ86125KZT5004100100']]) {
      expect(maskBankAccount(v)).toEqual({ iban: 'KZ** **** **** **** ****', bankName: null, bic: null });
    }
  });

  it('returns the garbage mask rather than throwing when reading the value throws', () => {
    const hostile = new Proxy({}, { get() { throw new Error('KZ86125KZT5004100100'); } });
    expect(maskBankAccount(hostile)).toEqual({ iban: 'KZ** **** **** **** ****', bankName: null, bic: null });
  });
});

describe('garbage in, mask out', () => {
  it.each(Object.entries(STRING_MASKS))('%s never throws and never echoes a garbage value', (_name, mask) => {
    for (const v of GARBAGE) {
      const out = mask(v);
      expect(typeof out).toBe('string');
      if (typeof v === 'string' && v.trim().length >= 6) expect(out).not.toContain(v);
      expect(out.length).toBeLessThan(32);
    }
  });

  it('object masks never throw on garbage', () => {
    for (const v of GARBAGE) {
      expect(typeof maskFullName(v as never)).toBe('string');
      expect(() => maskAddress(v)).not.toThrow();
    }
  });

  it('name masks survive a throwing getter', () => {
    const hostile = {
      get surname(): string {
        throw new Error('Иванов');
      },
    };
    expect(maskFullName(hostile)).toBe('***');
  });
});

describe('properties', () => {
  // Strings already shaped like a mask (containing '*' or '«') are excluded: masking a mask may reproduce it.
  const anyString = fc
    .oneof(
      fc.string({ minLength: 6 }),
      fc.string({ minLength: 6, unit: 'binary' }),
      fc.string({ minLength: 6, unit: 'grapheme' }),
      fc.stringMatching(/^[0-9 ()+-]{6,24}$/),
      fc.stringMatching(/^[а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІ -]{6,40}$/),
      fc.stringMatching(/^(ТОО|АО|ИП|LLP|JSC) ?[«"]?[A-Za-zА-Яа-я0-9 ]{3,20}[»"]?$/),
      fc.emailAddress().filter((e) => e.length >= 6),
    )
    .filter((s) => !/[*«]/.test(s));

  // initial() is left out: it has no fixed shape of its own (an initials-shaped input such as 'A.-B.-C' maps onto itself).
  const lengths: Record<Exclude<keyof typeof STRING_MASKS, 'initial'>, number[] | null> = {
    maskPhone: [16],
    maskEmail: [7, 12, 13],
    maskIdNumber: [12],
    maskIban: [24],
    maskNamePart: [1, 2],
    maskLegalName: [3, 4, 9, 10],
  };

  it.each(Object.keys(lengths) as Array<keyof typeof lengths>)('%s(s) never contains s and has a fixed length', (name) => {
    const mask = STRING_MASKS[name];
    fc.assert(
      fc.property(anyString, (s) => {
        const out = mask(s);
        expect(out).not.toContain(s);
        expect(lengths[name]).toContain(graphemeLength(out));
      }),
      { numRuns: 500 },
    );
  });

  // Short values (0-5 characters) may well occur inside a mask ('7' in '+7 …'), so they are
  // checked by shape: the same fixed lengths, and no partial view of something too short to hide.
  const shortString = fc.oneof(
    fc.string({ maxLength: 5 }),
    fc.string({ maxLength: 5, unit: 'grapheme' }),
    fc.stringMatching(/^[0-9]{0,5}$/),
    fc.stringMatching(/^\+?7[0-9]{0,4}$/),
    fc.stringMatching(/^[a-z]@[a-z]\.[a-z]{1,2}$/),
  );

  it.each(Object.keys(lengths) as Array<keyof typeof lengths>)('%s(s) of a short s has the same fixed length', (name) => {
    fc.assert(
      fc.property(shortString, (s) => {
        expect(lengths[name]).toContain(graphemeLength(STRING_MASKS[name](s)));
      }),
      { numRuns: 300 },
    );
  });

  it('maskIdNumber shows digits only for exactly 12 digits, never for shorter or longer values', () => {
    fc.assert(
      fc.property(fc.oneof(shortString, anyString, fc.stringMatching(/^[0-9]{1,24}$/)), (s) => {
        const out = maskIdNumber(s);
        if (/^[0-9]{12}$/.test(s)) expect(out).toBe(`********${s.slice(-4)}`);
        else expect(out).toBe('************');
      }),
      { numRuns: 1000 },
    );
  });

  it('maskEmail has one of the fixed shapes, and shows only a country-code or com/net/org TLD', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.emailAddress()), (s) => {
        expect(maskEmail(s)).toMatch(/^(\*\*\*@\*\*\*|[^@]\*\*\*@[a-z0-9]\*\*\*\.([a-z]{2}|com|net|org|\*\*\*))$/);
      }),
      { numRuns: 500 },
    );
  });

  it('maskPhone output for any 11-digit +7 number has the fixed shape', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+77[0-9]{9}$/), (p) => {
        expect(maskPhone(p)).toMatch(/^\+7 7\*\* \*\*\* \*\* [0-9]{2}$/);
      }),
    );
  });
});
