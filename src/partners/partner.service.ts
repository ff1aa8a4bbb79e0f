/** Partner onboarding by the DPO: partners and their contracts (P5.1); tokens are src/disclosure/recipients/partner.ts. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { partnerRecipients } from '../disclosure/recipients/partner';
import { badInput, conflict, notFound } from '../errors';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../privacy/categories';
import * as v from '../validation/validate';
import { Contract } from './contract.entity';
import { PARTNER_PURPOSE } from './contract-in-force';
import { kazakhstanDate } from './contract-period';
import { Partner } from './partner.entity';
import type { RegisterContractInput, RegisterPartnerInput } from './partner.type';

export function calendarDate(field: string, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw badInput(field, 'must be a date YYYY-MM-DD');
  return value;
}

export async function registerPartner(em: EntityManager, input: RegisterPartnerInput): Promise<Partner> {
  const partner = em.create(Partner, { name: v.text('name', input.name, 1, 200), bin: v.bin('bin', input.bin) });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw conflict('A partner with this BIN is already registered');
    throw error;
  }
  return partner;
}

export async function registerContract(em: EntityManager, input: RegisterContractInput): Promise<Contract> {
  const partner = await em.findOne(Partner, { id: v.uuid('partnerId', input.partnerId) });
  if (!partner) throw notFound('Partner');
  const validFrom = calendarDate('validFrom', input.validFrom);
  const validTo = calendarDate('validTo', input.validTo);
  if (validTo < validFrom) throw badInput('validTo', 'must not be before validFrom');
  const purposes = [...new Set(input.purposes)];
  if (purposes.some((p) => !CONSENT_PURPOSES.includes(p))) throw badInput('purposes', 'must be P2 purposes');
  // P5.1: disclosure to a partner is lawful only to perform obligations to the client.
  if (!purposes.includes(PARTNER_PURPOSE)) throw badInput('purposes', `must include ${PARTNER_PURPOSE}`);
  const contract = em.create(Contract, {
    partner,
    number: v.text('number', input.number, 1, 100),
    validFrom,
    validTo,
    categories: v.categoryList('categories', input.categories),
    purposes: purposes as ConsentPurpose[],
  });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw conflict('This partner already has a contract with this number');
    throw error;
  }
  return contract;
}

async function contractById(em: EntityManager, contractId: string): Promise<Contract> {
  const contract = await em.findOne(Contract, { id: v.uuid('contractId', contractId) });
  if (!contract) throw notFound('Contract');
  return contract;
}

/**
 * Ends a contract before its term (P5.1: no disclosure without a contract in force): its tokens are
 * revoked at this instant, and its last valid day becomes yesterday, since the period is kept in
 * whole days; a contract that had already ended keeps its end. Idempotent.
 */
export async function endContract(em: EntityManager, contractId: string, now = new Date()): Promise<Contract> {
  return em.transactional(async (tx) => {
    const contract = await contractById(tx, contractId);
    await partnerRecipients.revokeAllTokens(tx, contract.id, now);
    const yesterday = kazakhstanDate(new Date(now.getTime() - 24 * 3600_000));
    if (contract.validTo > yesterday) contract.validTo = yesterday;
    return contract;
  });
}
