import type { GraphQLError } from 'graphql';
import { personalCategoriesOf } from '../../src/clients/client-listing';
import { ClientSortField, SortDirection } from '../../src/clients/client.inputs';
import { normaliseClientFilter } from '../../src/validation/client-filter';
import { validIin } from '../support/fixtures';

function refusal(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('not refused');
}

describe('normaliseClientFilter', () => {
  it('rewrites values into their stored form, so a domestic phone or an upper-case e-mail still matches', () => {
    const iin = validIin(17);
    expect(normaliseClientFilter({ kind: 'PERSON', phone: '8 (701) 123-45-67', email: ' Aigerim.S@Mail.KZ ', iinOrBin: ` ${iin.slice(0, 6)} ${iin.slice(6)} `, surname: ' Сейітова ' }))
      .toEqual({ kind: 'PERSON', phone: '+77011234567', email: 'aigerim.s@mail.kz', iinOrBin: iin, surname: 'Сейітова' });
  });

  it('leaves absent values and a missing filter alone', () => {
    expect(normaliseClientFilter(null)).toBeNull();
    expect(normaliseClientFilter({ status: 'ACTIVE', phone: null })).toEqual({ status: 'ACTIVE', phone: null, surname: undefined, email: undefined, iinOrBin: undefined });
  });

  it.each([
    ['phone', { phone: '+4915112345678' }],
    ['email', { email: 'nobody-at-example' }],
    ['iinOrBin', { iinOrBin: '900515300011' }],
    ['iinOrBin', { iinOrBin: '12345' }],
    ['surname', { surname: 'Ив\u0000анов' }],
  ])('a bad %s is BAD_USER_INPUT naming its filter field, without the value', (field, filter) => {
    const error = refusal(() => normaliseClientFilter(filter));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `filter.${field}` });
    expect(error.message).not.toContain(Object.values(filter)[0]);
  });
});

describe('personalCategoriesOf (what permission to filter or sort is judged on)', () => {
  it('names the category of every personal filter given, whatever its value, even one normalising would refuse', () => {
    expect(personalCategoriesOf({ iinOrBin: '12345', phone: '', email: null, surname: undefined }, null)).toEqual(['PHONE', 'OFFICIAL_REQUISITES']);
  });

  it('counts a surname sort as reading FULL_NAME, once, and nothing for a creation-time sort or no filter', () => {
    expect(personalCategoriesOf({ surname: 'x' }, { field: ClientSortField.SURNAME, direction: SortDirection.ASC })).toEqual(['FULL_NAME']);
    expect(personalCategoriesOf(null, { field: ClientSortField.CREATED_AT, direction: SortDirection.DESC })).toEqual([]);
    expect(personalCategoriesOf(undefined, undefined)).toEqual([]);
  });
});
