import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ClientType } from '../clients/client.type';
import type { RequestContext } from '../graphql/context';
import type { ClientRecord, ConsentRecord } from '../subjects/records';
import type { Consent } from './consent.entity';
import { ConsentType } from './consent.type';

@Resolver(() => ConsentType)
export class ConsentResolver {
  /** A record read by the subject store names its client by id; one a mutation just wrote, by reference. */
  @FieldResolver(() => ClientType, { nullable: true })
  async client(@Root() consent: ConsentRecord | Consent, @Ctx() ctx: RequestContext): Promise<ClientRecord | null> {
    const clientId = 'clientId' in consent ? consent.clientId : (consent.client?.id ?? null);
    return clientId ? ctx.loaders.client.load(clientId) : null;
  }
}
