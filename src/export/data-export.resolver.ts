import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { PasswordReset } from '../auth/password-reset.entity';
import type { SecurityEvent } from '../auth/security-event.entity';
import type { Session } from '../auth/session.entity';
import { ClientType } from '../clients/client.type';
import { ExportedConsentType } from '../consent/consent.type';
import { ErasureReceipt, ErasureRequest } from '../erasure/erasure.entity';
import { ErasureReceiptType, ErasureRequestType } from '../erasure/erasure.type';
import { apiError, notFound } from '../errors';
import { principalOf, type RequestContext } from '../graphql/context';
import { OrderType } from '../orders/order.type';
import type { DisclosureEntry } from '../disclosure/disclosure.entity';
import { DisclosureType } from '../disclosure/disclosure.type';
import { AccountPasswordResetType, AccountSecurityEventType, AccountSessionType } from './account-records.type';
import { exportClientData, type DataExport } from './data-export';
import { uuid } from '../validation/validate';
import type { ClientRecord, ConsentRecord, OrderRecord } from '../subjects/records';

/**
 * Everything held about one client. Personal fields go through the same Client and Order types,
 * so the @pii guard applies as everywhere else. The export is itself logged as a disclosure to the
 * subject, and lists the earlier disclosures (who received which fields).
 */
@ObjectType('DataExport')
class DataExportType {
  @Field(() => Date) generatedAt!: Date;
  @Field(() => ClientType) client!: ClientRecord;
  @Field(() => [OrderType], { description: 'Orders linked to the client, newest first' }) orders!: OrderRecord[];
  @Field(() => [ExportedConsentType], { description: 'The consent history with its evidence, oldest first (P2)' }) consents!: ConsentRecord[];
  @Field(() => [ErasureRequestType]) erasureRequests!: ErasureRequest[];
  @Field(() => [ErasureReceiptType]) erasureReceipts!: ErasureReceipt[];
  @Field(() => [AccountSessionType], { description: 'Cookie sessions still held (expired ones are purged), oldest first' }) sessions!: Session[];
  @Field(() => [AccountPasswordResetType], { description: 'Password reset tokens still held, oldest first' }) passwordResets!: PasswordReset[];
  @Field(() => [AccountSecurityEventType], { description: 'Security events (P7), oldest first' }) securityEvents!: SecurityEvent[];
  @Field(() => [DisclosureType], { description: 'Who received which personal data (P5), newest first' }) disclosures!: DisclosureEntry[];
}

/** Requests that have run an export: each one reads the whole record, so aliases cannot multiply it. */
const exported = new WeakSet<RequestContext>();

async function exportFor(ctx: RequestContext, clientId: string): Promise<DataExport> {
  if (exported.has(ctx)) throw apiError('QUERY_TOO_COMPLEX', 'An access export reads the whole record: one per request');
  exported.add(ctx);
  const data = await exportClientData(ctx.em, clientId, ctx.privacy.now);
  if (!data) throw notFound('Client');
  // Logged only once the export can be answered, so a failed export leaves no entry.
  ctx.privacy.exporting(clientId);
  return data;
}

@Resolver()
export class DataExportResolver {
  @Query(() => DataExportType, { description: 'Everything held about the calling client (the right to know)' })
  myData(@Ctx() ctx: RequestContext): Promise<DataExport> {
    return exportFor(ctx, principalOf(ctx).sub);
  }

  @Query(() => DataExportType, { description: 'Everything held about a client (DPO, to answer a request received off-line)' })
  clientData(@Arg('clientId', () => ID) clientId: string, @Ctx() ctx: RequestContext): Promise<DataExport> {
    return exportFor(ctx, uuid('clientId', clientId));
  }
}
