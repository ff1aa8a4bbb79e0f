/** Lawful requests of state bodies (P5.2), registered by the DPO; their tokens are src/disclosure/recipients/authority.ts. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '../clients/client.entity';
import { badInput, notFound } from '../errors';
import { calendarDate } from '../partners/partner.service';
import * as v from '../validation/validate';
import { LawfulRequest } from './lawful-request.entity';
import { authorityRecipients } from './recipients/authority';
import type { RegisterLawfulRequestInput } from './lawful-request.type';

const MAX_SUBJECTS = 1000;

export async function registerLawfulRequest(em: EntityManager, input: RegisterLawfulRequestInput, registeredBy: string, now = new Date()): Promise<LawfulRequest> {
  const subjectIds = [...new Set(input.subjectIds.map((id, i) => v.uuid(`subjectIds[${i}]`, id)))];
  if (subjectIds.length < 1 || subjectIds.length > MAX_SUBJECTS) throw badInput('subjectIds', `must name 1 to ${MAX_SUBJECTS} clients`);
  if (!(input.expiresAt instanceof Date) || Number.isNaN(input.expiresAt.getTime()) || input.expiresAt <= now) {
    throw badInput('expiresAt', 'must be in the future');
  }
  const found = await em.count(Client, { id: { $in: subjectIds } });
  if (found !== subjectIds.length) throw badInput('subjectIds', 'must name existing clients');
  const request = em.create(LawfulRequest, {
    issuingBody: v.text('issuingBody', input.issuingBody, 1, 300),
    documentNumber: v.text('documentNumber', input.documentNumber, 1, 100),
    documentDate: calendarDate('documentDate', input.documentDate),
    legalBasis: v.text('legalBasis', input.legalBasis, 1, 500),
    subjectIds,
    categories: v.categoryList('categories', input.categories),
    expiresAt: input.expiresAt,
    registeredBy,
  });
  await em.flush();
  return request;
}

async function requestById(em: EntityManager, requestId: string): Promise<LawfulRequest> {
  const request = await em.findOne(LawfulRequest, { id: v.uuid('requestId', requestId) });
  if (!request) throw notFound('Lawful request');
  return request;
}

/**
 * Withdraws a lawful request before its expiry (the state body withdrew it, or it was answered):
 * it expires at this instant and its tokens are revoked with it (P5.2 opens nothing without a
 * request in force). A request already expired keeps its expiry. Idempotent.
 */
export async function withdrawLawfulRequest(em: EntityManager, requestId: string, now = new Date()): Promise<LawfulRequest> {
  return em.transactional(async (tx) => {
    const request = await requestById(tx, requestId);
    await authorityRecipients.revokeAllTokens(tx, request.id, now);
    if (request.expiresAt > now) request.expiresAt = now;
    return request;
  });
}
