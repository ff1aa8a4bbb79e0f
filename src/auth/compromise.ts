/**
 * Suspected compromise (P7): one transaction bumps the account's token version (every token and
 * session dies on its next request), revokes the sessions, voids open reset tokens and forces a
 * password change, which then needs a one-time reset token handed out by `login`.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, ClientStatus } from '../clients/client.entity';
import { apiError, badInput, notFound } from '../errors';
import type { Role } from '../privacy/roles';
import * as v from '../validation/validate';
import { hashPassword, verifyPassword, type PasswordHashing } from './password';
import { PasswordReset } from './password-reset.entity';
import { RANDOM_SECRET, randomSecret, sha256Hex } from './secrets';
import { SecurityEvent, SecurityEventKind } from './security-event.entity';
import { Session } from './session.entity';

export const RESET_TOKEN_TTL_SECONDS = 15 * 60;

export interface Actor {
  readonly role: Role;
  readonly sub: string;
}

/** Kills every credential of the account and leaves a fresh state behind, in the caller's transaction. */
async function revokeEverything(tx: EntityManager, client: Client, now: Date): Promise<void> {
  client.tokenVersion += 1;
  await tx.nativeUpdate(Session, { client: client.id, revokedAt: null }, { revokedAt: now });
  await tx.nativeUpdate(PasswordReset, { client: client.id, consumedAt: null }, { consumedAt: now });
}

export async function reportCompromise(em: EntityManager, clientId: string, actor: Actor): Promise<void> {
  await em.transactional(async (tx) => {
    const client = await tx.findOne(Client, { id: clientId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!client) throw notFound('Client');
    const now = new Date();
    await revokeEverything(tx, client, now);
    client.passwordChangeRequired = true;
    tx.create(SecurityEvent, { kind: SecurityEventKind.COMPROMISE_REPORTED, client, actorRole: actor.role, actorSub: actor.sub, at: now });
    await tx.flush();
  });
}

/** For `login` with the right password while a change is required. */
export async function issueResetToken(em: EntityManager, client: Client): Promise<string> {
  const token = randomSecret();
  const now = new Date();
  em.create(PasswordReset, { tokenHash: sha256Hex(token), client, createdAt: now, expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_SECONDS * 1000) });
  await em.flush();
  return token;
}

const invalidResetToken = () => apiError('UNAUTHENTICATED', 'Invalid or expired reset token');

export async function changePassword(em: EntityManager, resetToken: string, newPassword: string, hashing: PasswordHashing): Promise<void> {
  const password = v.password('newPassword', newPassword);
  if (!RANDOM_SECRET.test(resetToken)) throw invalidResetToken();
  const tokenHash = sha256Hex(resetToken);
  // An unknown token costs one indexed lookup, not a password hash: the tokens are 256-bit random,
  // so guessing gains nothing from the timing, and the rate limit bounds the work.
  if ((await em.count(PasswordReset, { tokenHash, consumedAt: null, expiresAt: { $gt: new Date() } })) === 0) throw invalidResetToken();
  // Hashing is slow: do it before taking any lock. The token is checked again under the lock.
  const passwordHash = await hashPassword(password, hashing);
  await em.transactional(async (tx) => {
    const reset = await tx.findOne(
      PasswordReset,
      { tokenHash, consumedAt: null, expiresAt: { $gt: new Date() } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!reset) throw invalidResetToken();
    const client = await tx.findOneOrFail(Client, { id: reset.client.id }, { populate: ['passwordHash'], lockMode: LockMode.PESSIMISTIC_WRITE });
    if (client.status !== ClientStatus.ACTIVE || !client.passwordChangeRequired) throw invalidResetToken();
    // The old password is the one suspected to be known to someone else.
    if (await verifyPassword(client.passwordHash, password)) throw badInput('newPassword', 'must differ from the previous password');
    const now = new Date();
    await revokeEverything(tx, client, now);
    client.passwordHash = passwordHash;
    client.passwordChangeRequired = false;
    tx.create(SecurityEvent, { kind: SecurityEventKind.PASSWORD_CHANGED, client, actorRole: 'client', actorSub: client.id, at: now });
    await tx.flush();
  });
}
