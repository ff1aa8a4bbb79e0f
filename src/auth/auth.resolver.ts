import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Client, ClientStatus } from '../clients/client.entity';
import { RegisterClientInput } from '../clients/client.inputs';
import { registerClient } from '../clients/client.service';
import { apiError, badInput, forbidden } from '../errors';
import { principalOf, type RequestContext } from '../graphql/context';
import { changePassword, issueResetToken, reportCompromise } from './compromise';
import { admitLoginAttempt, loginSucceeded, throttleKeys } from './login-throttle';
import { burnPasswordCheck, verifyPassword } from './password';
import { clearSessionCookie, revokeSession, startSession } from './sessions';
import { signToken } from './tokens';
import { uuid } from '../validation/validate';

@ObjectType('AuthPayload', { description: 'A bearer token for the client; it carries only ids, the role and the token version' })
class AuthPayload {
  @Field(() => ID) clientId!: string;
  @Field(() => String) token!: string;
  @Field(() => Date) expiresAt!: Date;
}

async function issue(ctx: RequestContext, client: Client): Promise<AuthPayload> {
  const ttl = ctx.config.jwt.ttlSeconds;
  return {
    clientId: client.id,
    token: await signToken(ctx.config.jwt, { sub: client.id, role: 'client', ver: client.tokenVersion }, ttl),
    expiresAt: new Date(Date.now() + ttl * 1000),
  };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Public: register as a client; this is the act of consent (P2)' })
  async registerClient(@Arg('input', () => RegisterClientInput) input: RegisterClientInput, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return registerClient(ctx.em, input, ctx.origin, (client) => issue(ctx, client), {
      consentTermYears: ctx.config.retention.consentTermYears,
      passwordHashing: ctx.config.passwordHashing,
    });
  }

  @Mutation(() => AuthPayload, {
    description:
      'Public: exchange login and password for a token, and a session cookie (P6). After suspected compromise (P7) the right password ' +
      'gets PASSWORD_CHANGE_REQUIRED with a one-time `extensions.resetToken` instead. Repeated failures get TOO_MANY_ATTEMPTS.',
  })
  async login(@Arg('login', () => String) login: string, @Arg('password', () => String) password: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    // Lengths only, and before any hashing: a megabyte password must not reach argon2. A stored
    // login is 3-64 characters and a password at most 200, so nothing valid is refused here.
    const normalized = login.trim().toLowerCase();
    if (normalized.length < 1 || normalized.length > 64) throw badInput('login', 'must be 1 to 64 characters long');
    if (password.length < 1 || Array.from(password).length > 200) throw badInput('password', 'must be 1 to 200 characters long');
    const keys = throttleKeys(ctx.config, normalized, ctx.origin.ip);
    const retryAfterSeconds = await admitLoginAttempt(ctx.em, keys);
    if (retryAfterSeconds !== null) throw apiError('TOO_MANY_ATTEMPTS', 'Too many login attempts: try again later', { retryAfterSeconds });
    const client = await ctx.em.findOne(Client, { login: normalized }, { populate: ['passwordHash'] });
    if (!client) {
      await burnPasswordCheck(password, ctx.config.passwordHashing);
    } else if (client.status === ClientStatus.ACTIVE && (await verifyPassword(client.passwordHash, password))) {
      await loginSucceeded(ctx.em, keys);
      if (client.passwordChangeRequired) {
        throw apiError('PASSWORD_CHANGE_REQUIRED', 'The password must be changed: use the reset token with changePassword', {
          resetToken: await issueResetToken(ctx.em, client),
        });
      }
      await startSession(ctx.em, ctx.http, ctx.config, client);
      return issue(ctx, client);
    }
    // One answer for unknown login, wrong password and a closed account: no account oracle.
    throw apiError('UNAUTHENTICATED', 'Wrong login or password');
  }

  @Mutation(() => Boolean, { description: 'Client: end the cookie session of this request and clear the cookie; true if a session was ended' })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    const { sessionId } = principalOf(ctx);
    clearSessionCookie(ctx.http, ctx.config);
    return sessionId ? revokeSession(ctx.em, sessionId) : false;
  }

  @Mutation(() => Boolean, {
    description:
      'Client (for itself; clientId optional), operator, DPO: report a suspected compromise (P7). At once revokes every token and ' +
      'session of the account and requires a password change before the next login.',
  })
  async reportSuspectedCompromise(
    @Arg('clientId', () => ID, { nullable: true }) clientId: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const requested = clientId ? uuid('clientId', clientId) : null;
    const principal = principalOf(ctx);
    let target: string;
    if (principal.role === 'client') {
      // A client's own id was checked against its account when the request was authenticated.
      if (requested && requested !== principal.sub.toLowerCase()) throw forbidden('A client may report only its own account');
      target = principal.sub;
    } else {
      if (!requested) throw badInput('clientId', 'is required');
      target = requested;
    }
    await reportCompromise(ctx.em, target, { role: principal.role, sub: principal.sub });
    if (principal.sessionId) clearSessionCookie(ctx.http, ctx.config);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Public: set a new password with the one-time reset token from login (P7); then log in again' })
  async changePassword(
    @Arg('resetToken', () => String) resetToken: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    await changePassword(ctx.em, resetToken, newPassword, ctx.config.passwordHashing);
    return true;
  }
}
