/**
 * P5.1: when a contract opens anything to its partner. One rule in two forms, kept side by side:
 * `contractInForce` for a contract in hand (what the DPO sees, whether a token may be issued) and
 * `contractInForceSql` for a contract row (every partner request, and the re-check before its log
 * entry). test/disclosure/contract-in-force.test.ts holds them to the same answer on every case.
 */
import type { ConsentPurpose } from '../privacy/categories';
import { kazakhstanDate } from './contract-period';

/** The purpose of every disclosure to a partner; a contract that does not name it opens nothing. */
export const PARTNER_PURPOSE: ConsentPurpose = 'THIRD_PARTY_OBLIGATIONS';

export interface ContractTerms {
  readonly validFrom: string;
  readonly validTo: string;
  readonly purposes: readonly ConsentPurpose[];
}

/** In force at `now`: a day of its period (both ends included, Kazakhstan time), and it names the partner purpose. */
export function contractInForce(contract: ContractTerms, now: Date): boolean {
  const today = kazakhstanDate(now);
  return contract.validFrom <= today && today <= contract.validTo && contract.purposes.includes(PARTNER_PURPOSE);
}

/** `contract_in_force`'s last two arguments: today in Kazakhstan, and the partner purpose. */
export const contractInForceArgs = (now: Date): [string, ConsentPurpose] => [kazakhstanDate(now), PARTNER_PURPOSE];

/**
 * The same rule for the contract row `alias`, with the same clock passed in: the SQL function
 * `contract_in_force` (migrations/Migration20261206111500.ts), which the disclosure log's re-check
 * under its locks (`lock_disclosure_chains`) calls too.
 */
export function contractInForceSql(alias: string, now: Date): { sql: string; params: unknown[] } {
  return { sql: `contract_in_force(${alias}.valid_from, ${alias}.valid_to, ${alias}.purposes, ?::date, ?::text)`, params: contractInForceArgs(now) };
}
