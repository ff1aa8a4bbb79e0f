import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Client, ClientStatus } from '../clients/client.entity';
import { RegisterClientInput } from '../clients/client.inputs';
import { registerClient } from '../clients/client.service';
import { apiError } from '../errors';
import type { RequestContext } from '../graphql/context';
import { burnPasswordCheck, verifyPassword } from './password';
import { signToken } from './tokens';

@ObjectType('AuthPayload', { description: 'A bearer token for the client; it carries only ids and the role' })
class AuthPayload {
  @Field(() => ID) clientId!: string;
  @Field(() => String) token!: string;
  @Field(() => Date) expiresAt!: Date;
}

async function issue(ctx: RequestContext, client: Client): Promise<AuthPayload> {
  const ttl = ctx.config.jwt.ttlSeconds;
  return {
    clientId: client.id,
    token: await signToken(ctx.config.jwt, { sub: client.id, role: 'client' }, ttl),
    expiresAt: new Date(Date.now() + ttl * 1000),
  };
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Public: register as a client; this is the act of consent (P2)' })
  async registerClient(@Arg('input', () => RegisterClientInput) input: RegisterClientInput, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return issue(ctx, await registerClient(ctx.em, input, ctx.origin));
  }

  @Mutation(() => AuthPayload, { description: 'Public: exchange login and password for a token' })
  async login(@Arg('login', () => String) login: string, @Arg('password', () => String) password: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    const client = await ctx.em.findOne(Client, { login: login.trim().toLowerCase() }, { populate: ['passwordHash'] });
    if (!client) {
      await burnPasswordCheck(password);
    } else if (client.status === ClientStatus.ACTIVE && (await verifyPassword(client.passwordHash, password))) {
      return issue(ctx, client);
    }
    // One answer for unknown login, wrong password and a closed account: no account oracle.
    throw apiError('UNAUTHENTICATED', 'Wrong login or password');
  }
}
