import { Migration } from '@mikro-orm/migrations';

export class Migration20261125034118 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "client" add column "legal_form" text check ("legal_form" in ('LLP', 'ALLP', 'JSC', 'STATE_ENTERPRISE', 'PRODUCTION_COOPERATIVE', 'CONSUMER_COOPERATIVE', 'PUBLIC_ASSOCIATION', 'FOUNDATION', 'INSTITUTION', 'BRANCH', 'REPRESENTATIVE_OFFICE', 'INDIVIDUAL_ENTREPRENEUR')) null, add column "state_registration_date" date null, add column "head_full_name" text null, add column "kbe" text null, add column "vat_certificate" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "client" drop column "legal_form", drop column "state_registration_date", drop column "head_full_name", drop column "kbe", drop column "vat_certificate";`);
  }

}
