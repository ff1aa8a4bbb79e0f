/** Valid Kazakh identifiers and registration inputs built with the same validators the API uses. */
import { iinCheckDigit, kzIbanCheckDigits } from '../../src/kz/identifiers';

/** A valid IIN for a person born on 1990-MM-DD, made unique by `serial` (0-9999). */
export function validIin(serial: number): string {
  for (let bump = 0; bump < 100; bump++) {
    const first11 = `9005153${String((serial * 7 + bump) % 10000).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error('no valid IIN found');
}

export function validIban(account: string): string {
  const bban = `722${account.padStart(13, '0').slice(-13)}`;
  return `KZ${kzIbanCheckDigits(bban)}${bban}`;
}

let counter = 0;

/** A registration input whose every personal value is unique to this call. */
export function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  // A counter, not a random draw: one account per IIN, and each test file has its own database.
  counter += 1;
  const n = counter;
  return {
    kind: 'PERSON',
    surname: 'Нұрланов',
    firstName: 'Әлібек',
    patronymic: 'Қайратұлы',
    iin: validIin(n),
    residenceAddress: { country: 'KZ', region: 'Алматы', city: 'Алматы', street: 'пр. Абая', building: '10', apartment: '5', postalCode: '050000' },
    phones: [`+7701${String(1000000 + n).slice(-7)}`],
    emails: [`user${n}@mail.kz`],
    bankAccounts: [{ iban: validIban(String(n)), bankName: 'Kaspi Bank', bic: 'CASPKZKA' }],
    login: `user.${n}.${counter}`,
    password: 'correct horse battery',
    ...overrides,
  };
}

export const REGISTER = `mutation Register($input: RegisterClientInput!) {
  registerClient(input: $input) { clientId token expiresAt }
}`;
