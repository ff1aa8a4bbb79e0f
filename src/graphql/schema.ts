import { specifiedDirectives, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver';
import { applyShield } from '../auth/shield';
import { ClientConnectionResolver, ClientResolver } from '../clients/client.resolver';
import { ConsentLifecycleResolver } from '../consent/consent-lifecycle.resolver';
import { ConsentResolver } from '../consent/consent.resolver';
import { ErasureReceiptResolver, ErasureRequestResolver } from '../erasure/erasure.resolver';
import { DataExportResolver } from '../export/data-export.resolver';
import { DisclosureResolver } from '../disclosure/disclosure.resolver';
import { DisclosureLogVerificationResolver } from '../disclosure/log-verification.resolver';
import { LawfulRequestResolver } from '../disclosure/lawful-request.resolver';
import { OrderResolver } from '../orders/order.resolver';
import { PartnerResolver } from '../partners/partner.resolver';
import { PrivacyPolicyResolver } from '../notice/notice.resolver';
import { StatisticsResolver } from '../statistics/statistics.resolver';
import type { ClientRecord, OrderRecord } from '../subjects/records';
import { withDirectResolvers } from './direct-resolvers';
import { applyPiiGuard, PII_CATEGORY_MAPPING, piiDirective, type SubjectLocator } from './pii.directive';

/** For each type with @pii fields: whose data is it? (null: depersonalised, nobody's any more) */
export const SUBJECT_LOCATORS: Readonly<Record<string, SubjectLocator>> = {
  Client: (source) => (source as ClientRecord).subject,
  Order: (source) => (source as OrderRecord).subject,
};

export interface SchemaOptions {
  /**
   * Bench-only: without the shield and the @pii guard, and (src/http/app.ts) without the
   * redaction report and the disclosure log: the baseline that measures what enforcement costs.
   */
  readonly enforcement?: boolean;
}

/** The schema as declared, with directives but no enforcement (what `schema/schema.graphql` prints). */
export async function buildDeclaredSchema(): Promise<GraphQLSchema> {
  const built = await buildSchema({
    resolvers: [
      PrivacyPolicyResolver,
      AuthResolver,
      ClientResolver,
      ClientConnectionResolver,
      OrderResolver,
      ConsentResolver,
      ConsentLifecycleResolver,
      ErasureRequestResolver,
      ErasureReceiptResolver,
      DataExportResolver,
      StatisticsResolver,
      PartnerResolver,
      LawfulRequestResolver,
      DisclosureResolver,
      DisclosureLogVerificationResolver,
    ],
    directives: [...specifiedDirectives, piiDirective],
    scalarsMap: [PII_CATEGORY_MAPPING],
    validate: false,
    emitSchemaFile: false,
  });
  return withDirectResolvers(built);
}

export async function buildApiSchema(options: SchemaOptions = {}): Promise<GraphQLSchema> {
  const declared = await buildDeclaredSchema();
  if (options.enforcement === false) return declared;
  return applyPiiGuard(applyShield(declared), SUBJECT_LOCATORS);
}
