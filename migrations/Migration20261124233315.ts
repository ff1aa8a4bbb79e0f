import { Migration } from '@mikro-orm/migrations';

export class Migration20261124233315 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "client" ("id" uuid not null, "kind" text check ("kind" in ('PERSON', 'ENTITY')) not null default 'PERSON', "surname" text null, "first_name" text null, "patronymic" text null, "iin" text null, "bin" text null, "legal_name" text null, "registration_address" jsonb null, "residence_address" jsonb null, "phones" text[] not null, "emails" text[] not null, "bank_accounts" jsonb not null, "login" text null, "password_hash" text null, "status" text check ("status" in ('ACTIVE', 'BLOCKED', 'ERASED')) not null default 'ACTIVE', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "client_pkey" primary key ("id"));`);
    this.addSql(`create index "client_surname_index" on "client" ("surname");`);
    this.addSql(`alter table "client" add constraint "client_iin_unique" unique ("iin");`);
    this.addSql(`alter table "client" add constraint "client_bin_unique" unique ("bin");`);
    this.addSql(`alter table "client" add constraint "client_login_unique" unique ("login");`);
    this.addSql(`create index "client_created_at_id_index" on "client" ("created_at", "id");`);

    this.addSql(`create table "consent" ("id" uuid not null, "client_id" uuid null, "kind" text check ("kind" in ('GIVEN', 'PURPOSES_NARROWED', 'WITHDRAWAL_REQUESTED', 'WITHDRAWAL_CANCELLED', 'WITHDRAWN', 'EXPIRED')) not null default 'GIVEN', "status" text not null, "policy_version" text not null, "policy_text_hash" text not null, "operations" text[] not null, "purposes" text[] not null, "channel" text check ("channel" in ('WEB', 'MOBILE', 'TELEGRAM', 'OPERATOR', 'PAPER')) not null default 'WEB', "evidence" jsonb not null, "actor" text not null default 'SUBJECT', "given_at" timestamptz not null, "recorded_at" timestamptz not null, "withdrawal_notice_at" timestamptz null, "withdrawal_effective_at" timestamptz null, "expires_at" timestamptz null, constraint "consent_pkey" primary key ("id"));`);
    this.addSql(`create index "consent_client_id_recorded_at_index" on "consent" ("client_id", "recorded_at");`);

    this.addSql(`create table "partner" ("id" uuid not null, "name" text not null, "bin" text not null, "contract_number" text not null, "valid_from" date not null, "valid_to" date not null, "created_at" timestamptz not null, constraint "partner_pkey" primary key ("id"));`);

    this.addSql(`create table "client_order" ("id" uuid not null, "client_id" uuid null, "partner_id" uuid null, "amount_tiyn" bigint not null, "items" jsonb not null, "status" text check ("status" in ('NEW', 'PAID', 'COMPLETED', 'CANCELLED')) not null default 'NEW', "contact_phone" text null, "contact_email" text null, "delivery_address" jsonb null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "client_order_pkey" primary key ("id"));`);
    this.addSql(`create index "client_order_partner_id_index" on "client_order" ("partner_id");`);
    this.addSql(`create index "client_order_client_id_created_at_index" on "client_order" ("client_id", "created_at");`);

    this.addSql(`alter table "consent" add constraint "consent_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "client_order" add constraint "client_order_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "client_order" add constraint "client_order_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete set null;`);
  }

}
