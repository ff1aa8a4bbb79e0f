/**
 * ClientFilter values in the form they are stored in, so `8 701 …` finds `+7701…` and `A@B.KZ`
 * finds `a@b.kz`; a value that could never match is refused (BAD_USER_INPUT naming the field,
 * without the value) rather than silently matching nothing.
 */
import { badInput } from '../errors';
import { isValidBin, isValidIin } from '../kz/identifiers';
import * as v from './validate';

export interface ClientFilterValues {
  surname?: string | null;
  phone?: string | null;
  email?: string | null;
  iinOrBin?: string | null;
}

/** Whether a filter field was given: null and absent are not. */
export const given = (value: string | null | undefined): value is string => value !== null && value !== undefined;

export function normaliseClientFilter<F extends ClientFilterValues>(filter: F | null | undefined): F | null {
  if (!filter) return null;
  const iinOrBin = given(filter.iinOrBin) ? filter.iinOrBin.replace(/\s/g, '') : filter.iinOrBin;
  if (given(iinOrBin) && !isValidIin(iinOrBin) && !isValidBin(iinOrBin)) {
    throw badInput('filter.iinOrBin', 'must be a 12-digit IIN or BIN with a valid check digit');
  }
  return {
    ...filter,
    surname: given(filter.surname) ? v.text('filter.surname', filter.surname, 1, 100) : filter.surname,
    phone: given(filter.phone) ? v.phone('filter.phone', filter.phone) : filter.phone,
    email: given(filter.email) ? v.email('filter.email', filter.email) : filter.email,
    iinOrBin,
  };
}
