/** Partner onboarding by the DPO: partners, contracts, and short-lived revocable tokens (P5.1). */
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { signToken } from '../auth/tokens';
import type { Config } from '../config';
import { badInput, conflict, notFound } from '../errors';
import { CONSENT_PURPOSES, PII_CATEGORIES, scopeOf, type ConsentPurpose, type PiiCategory } from '../privacy/categories';
import * as v from '../validation/validate';
import { Contract } from './contract.entity';
import { endOfValidity, kazakhstanDate } from './contract-period';
import { Partner } from './partner.entity';
import { PartnerToken } from './partner-token.entity';
import type { RegisterContractInput, RegisterPartnerInput } from './partner.type';

/** Partner tokens are short-lived: a day at most, and never beyond the contract. */
const MAX_TOKEN_TTL_SECONDS = 86_400;
const MIN_TOKEN_TTL_SECONDS = 60;

export interface IssuedToken {
  readonly token: string;
  readonly tokenId: string;
  readonly expiresAt: Date;
  readonly scope: string;
}

/** An issued token as the DPO sees it: never the token itself, which is shown once at issue. */
export interface TokenRecord {
  readonly tokenId: string;
  readonly categories: readonly PiiCategory[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly live: boolean;
}

export function tokenRecord(token: Pick<PartnerToken, 'jti' | 'issuedAt' | 'expiresAt' | 'revokedAt'>, categories: readonly PiiCategory[], now = new Date()): TokenRecord {
  const { jti: tokenId, issuedAt, expiresAt, revokedAt } = token;
  return { tokenId, categories, issuedAt, expiresAt, revokedAt, live: !revokedAt && expiresAt > now };
}

export function calendarDate(field: string, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw badInput(field, 'must be a date YYYY-MM-DD');
  return value;
}

export function categoryList(field: string, values: readonly PiiCategory[]): PiiCategory[] {
  const unique = [...new Set(values)];
  if (unique.length === 0 || unique.some((c) => !PII_CATEGORIES.includes(c))) throw badInput(field, 'must list one or more PII categories');
  return unique;
}

export function ttlSeconds(ttl: number): number {
  if (!Number.isInteger(ttl) || ttl < MIN_TOKEN_TTL_SECONDS || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw badInput('ttl', `must be between ${MIN_TOKEN_TTL_SECONDS} and ${MAX_TOKEN_TTL_SECONDS} seconds`);
  }
  return ttl;
}

export function contractInForce(contract: Pick<Contract, 'validFrom' | 'validTo'>, now = new Date()): boolean {
  const today = kazakhstanDate(now);
  return contract.validFrom <= today && today <= contract.validTo;
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
  if (!purposes.includes('THIRD_PARTY_OBLIGATIONS')) throw badInput('purposes', 'must include THIRD_PARTY_OBLIGATIONS');
  const contract = em.create(Contract, {
    partner,
    number: v.text('number', input.number, 1, 100),
    validFrom,
    validTo,
    categories: categoryList('categories', input.categories),
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

/** Records the token's jti first, so a token exists only if it can be checked and revoked. */
export async function issuePartnerToken(
  em: EntityManager,
  jwt: Config['jwt'],
  args: { contractId: string; scopes: readonly PiiCategory[]; ttl: number; issuedBy: string },
  now = new Date(),
): Promise<IssuedToken> {
  const contract = await em.findOne(Contract, { id: v.uuid('contractId', args.contractId) });
  if (!contract) throw notFound('Contract');
  if (!contractInForce(contract, now)) throw conflict('The contract is not in force');
  const categories = categoryList('scopes', args.scopes);
  if (categories.some((c) => !contract.categories.includes(c))) throw badInput('scopes', "must be within the contract's categories");
  const expiresAt = new Date(Math.min(now.getTime() + ttlSeconds(args.ttl) * 1000, endOfValidity(contract.validTo).getTime()));
  const jti = randomUUID();
  em.create(PartnerToken, { jti, contract, categories, issuedBy: args.issuedBy, issuedAt: now, expiresAt });
  await em.flush();
  const scope = categories.map(scopeOf).join(' ');
  const token = await signToken(
    jwt,
    { sub: `partner:${contract.partner.id}`, role: 'partner', partner_id: contract.partner.id, contract_id: contract.id, scope, jti },
    Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  );
  return { token, tokenId: jti, expiresAt, scope };
}

async function contractById(em: EntityManager, contractId: string): Promise<Contract> {
  const contract = await em.findOne(Contract, { id: v.uuid('contractId', contractId) });
  if (!contract) throw notFound('Contract');
  return contract;
}

/** Newest first. */
export async function listPartnerTokens(em: EntityManager, contractId: string, now = new Date()): Promise<TokenRecord[]> {
  const contract = await contractById(em, contractId);
  const tokens = await em.find(PartnerToken, { contract }, { orderBy: { issuedAt: 'desc', jti: 'desc' } });
  return tokens.map((t) => tokenRecord(t, t.categories, now));
}

/** Every token of the contract not yet revoked, at once; the number revoked by this call. */
export async function revokeContractTokens(em: EntityManager, contractId: string, now = new Date()): Promise<number> {
  const contract = await contractById(em, contractId);
  return em.nativeUpdate(PartnerToken, { contract, revokedAt: null }, { revokedAt: now });
}

/**
 * Ends a contract before its term (P5.1: no disclosure without a contract in force): its tokens are
 * revoked at this instant, and its last valid day becomes yesterday, since the period is kept in
 * whole days; a contract that had already ended keeps its end. Idempotent.
 */
export async function endContract(em: EntityManager, contractId: string, now = new Date()): Promise<Contract> {
  return em.transactional(async (tx) => {
    const contract = await contractById(tx, contractId);
    await tx.nativeUpdate(PartnerToken, { contract, revokedAt: null }, { revokedAt: now });
    const yesterday = kazakhstanDate(new Date(now.getTime() - 24 * 3600_000));
    if (contract.validTo > yesterday) contract.validTo = yesterday;
    return contract;
  });
}

/** Takes effect at once: every partner request checks its jti, and again before its disclosures are logged. */
export async function revokePartnerToken(em: EntityManager, tokenId: string): Promise<boolean> {
  const token = await em.findOne(PartnerToken, { jti: v.uuid('tokenId', tokenId) });
  if (!token) throw notFound('Token');
  token.revokedAt ??= new Date();
  await em.flush();
  return true;
}
