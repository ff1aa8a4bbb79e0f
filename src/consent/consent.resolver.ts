import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Client } from '../clients/client.entity';
import { ClientType } from '../clients/client.type';
import type { RequestContext } from '../graphql/context';
import { Consent } from './consent.entity';
import { ConsentType } from './consent.type';

@Resolver(() => ConsentType)
export class ConsentResolver {
  @FieldResolver(() => ClientType, { nullable: true })
  async client(@Root() consent: Consent, @Ctx() ctx: RequestContext): Promise<Client | null> {
    return consent.client ? ctx.loaders.client.load(consent.client.id) : null;
  }
}
