/**
 * The account's security bookkeeping as the access export shows it: times and kinds only. Never a
 * session's id or token hash, a reset token's hash, or which staff account acted.
 */
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SecurityEventKind } from '../auth/security-event.entity';

registerEnumType(SecurityEventKind, { name: 'SecurityEventKind' });

@ObjectType('AccountSession', { description: 'A cookie session of the account (P6)' })
export class AccountSessionType {
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was ended: logout, suspected compromise or password change' }) revokedAt!: Date | null;
}

@ObjectType('AccountSecurityEvent', { description: 'A security event of the account (P7)' })
export class AccountSecurityEventType {
  @Field(() => SecurityEventKind) kind!: SecurityEventKind;
  @Field(() => String, { description: 'The role that acted: client, operator or dpo' }) actorRole!: string;
  @Field(() => Date) at!: Date;
}

@ObjectType('AccountPasswordReset', { description: 'A one-time password reset issued after suspected compromise (P7)' })
export class AccountPasswordResetType {
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was used or voided' }) consumedAt!: Date | null;
}
