/** Lawful requests of state bodies (P5.2): registered by the DPO, opened to one authority token at a time. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { signToken } from '../auth/tokens';
import { Client } from '../clients/client.entity';
import type { Config } from '../config';
import { badInput, conflict, notFound } from '../errors';
import { calendarDate, categoryList, tokenRecord, ttlSeconds, type IssuedToken, type TokenRecord } from '../partners/partner.service';
import { scopeOf } from '../privacy/categories';
import * as v from '../validation/validate';
import { AuthorityToken, LawfulRequest } from './lawful-request.entity';
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
    categories: categoryList('categories', input.categories),
    expiresAt: input.expiresAt,
    registeredBy,
  });
  await em.flush();
  return request;
}

/** Records the token's jti first, so a token exists only if it can be checked and revoked. */
export async function issueAuthorityToken(
  em: EntityManager,
  jwt: Config['jwt'],
  args: { requestId: string; ttl: number; issuedBy: string },
  now = new Date(),
): Promise<IssuedToken> {
  const request = await em.findOne(LawfulRequest, { id: v.uuid('requestId', args.requestId) });
  if (!request) throw notFound('Lawful request');
  if (request.expiresAt <= now) throw conflict('The lawful request has expired');
  const expiresAt = new Date(Math.min(now.getTime() + ttlSeconds(args.ttl) * 1000, request.expiresAt.getTime()));
  const jti = randomUUID();
  em.create(AuthorityToken, { jti, request, issuedBy: args.issuedBy, issuedAt: now, expiresAt });
  await em.flush();
  const scope = request.categories.map(scopeOf).join(' ');
  const token = await signToken(
    jwt,
    { sub: `authority:${request.id}`, role: 'authority', lawful_request_id: request.id, scope, jti },
    Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  );
  return { token, tokenId: jti, expiresAt, scope };
}

export async function revokeAuthorityToken(em: EntityManager, tokenId: string): Promise<boolean> {
  const token = await em.findOne(AuthorityToken, { jti: v.uuid('tokenId', tokenId) });
  if (!token) throw notFound('Token');
  token.revokedAt ??= new Date();
  await em.flush();
  return true;
}

async function requestById(em: EntityManager, requestId: string): Promise<LawfulRequest> {
  const request = await em.findOne(LawfulRequest, { id: v.uuid('requestId', requestId) });
  if (!request) throw notFound('Lawful request');
  return request;
}

/** Newest first; an authority token opens what its request does, so it shows the request's categories. */
export async function listAuthorityTokens(em: EntityManager, requestId: string, now = new Date()): Promise<TokenRecord[]> {
  const request = await requestById(em, requestId);
  const tokens = await em.find(AuthorityToken, { request }, { orderBy: { issuedAt: 'desc', jti: 'desc' } });
  return tokens.map((t) => tokenRecord(t, request.categories, now));
}

/**
 * Withdraws a lawful request before its expiry (the state body withdrew it, or it was answered):
 * it expires at this instant and its tokens are revoked with it (P5.2 opens nothing without a
 * request in force). A request already expired keeps its expiry. Idempotent.
 */
export async function withdrawLawfulRequest(em: EntityManager, requestId: string, now = new Date()): Promise<LawfulRequest> {
  return em.transactional(async (tx) => {
    const request = await requestById(tx, requestId);
    await tx.nativeUpdate(AuthorityToken, { request, revokedAt: null }, { revokedAt: now });
    if (request.expiresAt > now) request.expiresAt = now;
    return request;
  });
}
