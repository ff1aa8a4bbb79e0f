import {
  iinCheckDigit,
  isValidBic,
  isValidBin,
  isValidEmail,
  isValidIin,
  isValidKzIban,
  isValidKzPhone,
  kzIbanCheckDigits,
  normaliseIban,
  normalisePhone,
} from '../../src/kz/identifiers';

/** Builds a 12-digit number with a correct check digit (or throws when none exists). */
function withCheckDigit(first11: string): string {
  const d = iinCheckDigit(first11);
  if (d === null) throw new Error(`no check digit for ${first11}`);
  return first11 + d;
}

describe('iinCheckDigit', () => {
  it('uses weights 1..11 mod 11 on the first pass', () => {
    // 9·1 + 1·4 + 1·6 + 3·7 + 1·11 = 51; 51 mod 11 = 7
    expect(iinCheckDigit('90010130001')).toBe(7);
  });

  it('falls back to weights 3..11,1,2 when the first pass gives 10', () => {
    // first: 9 + 4 + 6 + 21 + 80 + 11 = 131 ≡ 10; second: 27 + 6 + 8 + 27 + 8 + 2 = 78 ≡ 1
    expect(iinCheckDigit('90010130081')).toBe(1);
  });

  it('returns null when both passes give 10 (no valid number has this prefix)', () => {
    // first: 9 + 4 + 6 + 21 + 80 = 120 ≡ 10; second: 27 + 6 + 8 + 27 + 8 = 76 ≡ 10
    expect(iinCheckDigit('90010130080')).toBeNull();
  });

  it('returns null for input that is not exactly 11 digits', () => {
    expect(iinCheckDigit('9001013000')).toBeNull();
    expect(iinCheckDigit('900101300011')).toBeNull();
    expect(iinCheckDigit('9001013000a')).toBeNull();
  });
});

describe('isValidIin', () => {
  it('accepts numbers whose check digit matches (first and second weight pass)', () => {
    expect(isValidIin('900101300017')).toBe(true);
    expect(isValidIin('900101300811')).toBe(true);
    expect(isValidIin(withCheckDigit('85072540123'))).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidIin('900101300018')).toBe(false);
    expect(isValidIin('900101300810')).toBe(false);
  });

  it('rejects wrong length and non-digits', () => {
    expect(isValidIin('90010130001')).toBe(false);
    expect(isValidIin('9001013000170')).toBe(false);
    expect(isValidIin('90010130001a')).toBe(false);
    expect(isValidIin(' 900101300017')).toBe(false);
    expect(isValidIin('')).toBe(false);
  });

  it('rejects non-strings at runtime without throwing', () => {
    expect(isValidIin(900101300017 as unknown as string)).toBe(false);
    expect(isValidIin(null as unknown as string)).toBe(false);
  });

  it('requires the century/sex digit to be 1-6', () => {
    expect(isValidIin(withCheckDigit('90010100001'))).toBe(false);
    expect(isValidIin(withCheckDigit('90010170001'))).toBe(false);
    for (const c of '123456') {
      const prefix = `900101${c}0001`;
      if (iinCheckDigit(prefix) !== null) expect(isValidIin(withCheckDigit(prefix))).toBe(true);
    }
  });

  it('requires month 01-12', () => {
    expect(isValidIin(withCheckDigit('90000130001'))).toBe(false);
    expect(isValidIin(withCheckDigit('90130130001'))).toBe(false);
    expect(isValidIin(withCheckDigit('90120130001'))).toBe(true);
  });

  it('requires day 01 to the last day of the month', () => {
    expect(isValidIin(withCheckDigit('90010030001'))).toBe(false);
    expect(isValidIin(withCheckDigit('90013130002'))).toBe(true); // 31 January
    expect(isValidIin(withCheckDigit('90043130001'))).toBe(false); // 31 April
    expect(isValidIin(withCheckDigit('90043030001'))).toBe(true); // 30 April
    expect(isValidIin(withCheckDigit('90013230001'))).toBe(false); // 32 January
  });

  it('accepts 29 February only in leap years, using the century from the 7th digit', () => {
    expect(isValidIin(withCheckDigit('00022950123'))).toBe(true); // 2000 is leap
    expect(isValidIin(withCheckDigit('00022930123'))).toBe(false); // 1900 is not
    expect(isValidIin(withCheckDigit('96022930123'))).toBe(true); // 1996 is leap
    expect(isValidIin(withCheckDigit('97022930123'))).toBe(false); // 1997 is not
  });
});

describe('isValidBin', () => {
  it('accepts a registration month, entity type 4/5/6 and a correct check digit', () => {
    expect(isValidBin(withCheckDigit('15084000123'))).toBe(true);
    expect(isValidBin(withCheckDigit('98055000456'))).toBe(true);
    expect(isValidBin(withCheckDigit('10126000001'))).toBe(true);
  });

  it('rejects entity type digits other than 4, 5, 6', () => {
    for (const t of '0123789') expect(isValidBin(withCheckDigit(`1508${t}000123`))).toBe(false);
  });

  it('requires month 01-12 in digits 3-4', () => {
    expect(isValidBin(withCheckDigit('15004000123'))).toBe(false);
    expect(isValidBin(withCheckDigit('15134000123'))).toBe(false);
  });

  it('rejects a wrong check digit, wrong length and letters', () => {
    const bin = withCheckDigit('15084000123');
    expect(isValidBin(bin.slice(0, 11) + ((Number(bin[11]) + 1) % 10))).toBe(false);
    expect(isValidBin(bin.slice(0, 11))).toBe(false);
    expect(isValidBin(`${bin}0`)).toBe(false);
    expect(isValidBin(`${bin.slice(0, 11)}X`)).toBe(false);
  });

  it('is distinct from an IIN: a person number with 5th digit outside 4-6 is not a BIN', () => {
    expect(isValidIin('900101300017')).toBe(true);
    expect(isValidBin('900101300017')).toBe(false);
  });
});

describe('KZ IBAN', () => {
  it('accepts the published ISO 13616 example for Kazakhstan', () => {
    expect(isValidKzIban('KZ86125KZT5004100100')).toBe(true);
  });

  it('computes check digits that make the IBAN valid', () => {
    expect(kzIbanCheckDigits('125KZT5004100100')).toBe('86');
    expect(kzIbanCheckDigits('722S000012345678')).toBe('18');
    expect(kzIbanCheckDigits('7220000000000001')).toBe('25'); // pads to two digits
    expect(isValidKzIban('KZ18722S000012345678')).toBe(true);
    expect(isValidKzIban('KZ257220000000000001')).toBe(true);
  });

  it('rejects wrong check digits and transposed characters', () => {
    expect(isValidKzIban('KZ87125KZT5004100100')).toBe(false);
    expect(isValidKzIban('KZ86125KZT5004101000')).toBe(false);
  });

  it('requires exactly 20 characters', () => {
    expect(isValidKzIban('KZ86125KZT500410010')).toBe(false);
    expect(isValidKzIban('KZ86125KZT50041001000')).toBe(false);
  });

  it('requires the KZ prefix, a 3-digit bank code and no spaces or lowercase', () => {
    expect(isValidKzIban('DE86125KZT5004100100')).toBe(false);
    expect(isValidKzIban('KZ86A25KZT5004100100')).toBe(false);
    expect(isValidKzIban('KZ86 125K ZT50 0410 0100')).toBe(false);
    expect(isValidKzIban('kz86125kzt5004100100')).toBe(false);
    expect(isValidKzIban(normaliseIban('kz86 125k zt50 0410 0100'))).toBe(true);
  });

  it('refuses to compute check digits for a malformed BBAN', () => {
    expect(() => kzIbanCheckDigits('12KZT5004100100')).toThrow(RangeError);
    expect(() => kzIbanCheckDigits('125kzt5004100100')).toThrow(RangeError);
  });
});

describe('isValidKzPhone', () => {
  it('accepts +7 followed by 10 digits starting with 7 or 6', () => {
    expect(isValidKzPhone('+77011234563')).toBe(true);
    expect(isValidKzPhone('+76011234563')).toBe(true);
  });

  it('rejects other first national digits (Russian ranges start with 9, 4, 8…)', () => {
    expect(isValidKzPhone('+79161234563')).toBe(false);
    expect(isValidKzPhone('+74951234563')).toBe(false);
  });

  it('rejects wrong digit counts, missing plus, trunk 8 and formatting', () => {
    expect(isValidKzPhone('+7701123456')).toBe(false);
    expect(isValidKzPhone('+770112345633')).toBe(false);
    expect(isValidKzPhone('77011234563')).toBe(false);
    expect(isValidKzPhone('87011234563')).toBe(false);
    expect(isValidKzPhone('+7 701 123 45 63')).toBe(false);
  });
});

describe('normalisePhone', () => {
  it('strips spaces, dashes and parentheses', () => {
    expect(normalisePhone('+7 (701) 123-45-63')).toBe('+77011234563');
  });

  it('rewrites the trunk prefix 8 and a bare 7 to +7', () => {
    expect(normalisePhone('8 701 123 45 63')).toBe('+77011234563');
    expect(normalisePhone('8(701)1234563')).toBe('+77011234563');
    expect(normalisePhone('77011234563')).toBe('+77011234563');
  });

  it('leaves other input stripped but otherwise unchanged for the validator to reject', () => {
    expect(normalisePhone('8 701 123 45')).toBe('870112345');
    expect(isValidKzPhone(normalisePhone('8 701 123 45'))).toBe(false);
  });
});

describe('isValidEmail', () => {
  it('accepts ordinary addresses', () => {
    for (const e of ['aidos.nurlanov@mail.kz', 'a@b.kz', 'info+orders@altyn-dala.com.kz', 'X_Y@Gmail.COM']) {
      expect(isValidEmail(e)).toBe(true);
    }
  });

  it('rejects a missing or empty local part or domain', () => {
    for (const e of ['mail.kz', '@mail.kz', 'aidos@', 'aidos@kz', 'aidos@.kz', 'aidos@mail..kz']) {
      expect(isValidEmail(e)).toBe(false);
    }
  });

  it('rejects spaces and dots at the edges of the local part', () => {
    for (const e of ['ai dos@mail.kz', ' aidos@mail.kz', '.aidos@mail.kz', 'aidos.@mail.kz', 'ai..dos@mail.kz']) {
      expect(isValidEmail(e)).toBe(false);
    }
  });

  it('requires domain labels of letters, digits and inner hyphens, and a TLD of ≥ 2 letters', () => {
    expect(isValidEmail('a@-mail.kz')).toBe(false);
    expect(isValidEmail('a@mail-.kz')).toBe(false);
    expect(isValidEmail('a@ma_il.kz')).toBe(false);
    expect(isValidEmail('a@mail.k')).toBe(false);
    expect(isValidEmail('a@mail.k2')).toBe(false);
  });

  it('limits the local part to 64 and the whole address to 254 characters', () => {
    expect(isValidEmail(`${'a'.repeat(64)}@mail.kz`)).toBe(true);
    expect(isValidEmail(`${'a'.repeat(65)}@mail.kz`)).toBe(false);
    const domain = `${Array.from({ length: 4 }, () => 'd'.repeat(60)).join('.')}.kz`; // 246 chars
    expect(isValidEmail(`${'a'.repeat(7)}@${domain}`)).toBe(true); // 254
    expect(isValidEmail(`${'a'.repeat(8)}@${domain}`)).toBe(false); // 255
  });

  it('rejects non-ASCII local parts (pragmatic, not RFC 6531)', () => {
    expect(isValidEmail('әлібек@mail.kz')).toBe(false);
  });
});

describe('isValidBic', () => {
  it('accepts 8- and 11-character BICs of Kazakh banks', () => {
    for (const b of ['CASPKZKA', 'HSBKKZKX', 'TSESKZKA', 'IRTYKZKA', 'KCJBKZKX', 'HSBKKZKX001']) {
      expect(isValidBic(b)).toBe(true);
    }
  });

  it('rejects other lengths, digits in bank or country code, and lowercase', () => {
    for (const b of ['CASPKZK', 'CASPKZKAX', 'CASPKZKA0011', 'CAS1KZKA', 'CASPK2KA', 'caspkzka']) {
      expect(isValidBic(b)).toBe(false);
    }
  });
});
