import { Migration } from '@mikro-orm/migrations';

export class Migration20261124235130 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "disclosure_log" ("seq" bigint not null, "id" uuid not null, "at" timestamptz not null, "recipient_kind" text check ("recipient_kind" in ('PARTNER', 'AUTHORITY', 'SUBJECT', 'OTHER')) not null, "recipient" text not null, "partner_id" uuid null, "contract_id" uuid null, "lawful_request_id" uuid null, "token_id" text null, "actor" text not null, "subject_id" uuid not null, "fields" jsonb not null, "purpose" text not null, "legal_basis" text not null, "operation_name" text null, "query_hash" text null, "request_id" text null, "prev_hash" text not null, "hash" text not null, constraint "disclosure_log_pkey" primary key ("seq"));`);
    this.addSql(`alter table "disclosure_log" add constraint "disclosure_log_id_unique" unique ("id");`);
    this.addSql(`create index "disclosure_log_partner_id_index" on "disclosure_log" ("partner_id");`);
    this.addSql(`create index "disclosure_log_contract_id_index" on "disclosure_log" ("contract_id");`);
    this.addSql(`create index "disclosure_log_lawful_request_id_index" on "disclosure_log" ("lawful_request_id");`);
    this.addSql(`alter table "disclosure_log" add constraint "disclosure_log_hash_unique" unique ("hash");`);
    this.addSql(`create index "disclosure_log_at_index" on "disclosure_log" ("at");`);
    this.addSql(`create index "disclosure_log_subject_id_at_index" on "disclosure_log" ("subject_id", "at");`);

    this.addSql(`create table "lawful_request" ("id" uuid not null, "issuing_body" text not null, "document_number" text not null, "document_date" date not null, "legal_basis" text not null, "subject_ids" text[] not null, "categories" text[] not null, "expires_at" timestamptz not null, "registered_by" text not null, "created_at" timestamptz not null, constraint "lawful_request_pkey" primary key ("id"));`);

    this.addSql(`create table "authority_token" ("jti" uuid not null, "request_id" uuid not null, "issued_by" text not null, "issued_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "authority_token_pkey" primary key ("jti"));`);
    this.addSql(`create index "authority_token_request_id_index" on "authority_token" ("request_id");`);

    this.addSql(`create table "contract" ("id" uuid not null, "partner_id" uuid not null, "number" text not null, "valid_from" date not null, "valid_to" date not null, "categories" text[] not null, "purposes" text[] not null, "created_at" timestamptz not null, constraint "contract_pkey" primary key ("id"));`);
    this.addSql(`alter table "contract" add constraint "contract_partner_id_number_unique" unique ("partner_id", "number");`);

    this.addSql(`create table "partner_token" ("jti" uuid not null, "contract_id" uuid not null, "categories" text[] not null, "issued_by" text not null, "issued_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "partner_token_pkey" primary key ("jti"));`);
    this.addSql(`create index "partner_token_contract_id_index" on "partner_token" ("contract_id");`);

    this.addSql(`alter table "authority_token" add constraint "authority_token_request_id_foreign" foreign key ("request_id") references "lawful_request" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "contract" add constraint "contract_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "partner_token" add constraint "partner_token_contract_id_foreign" foreign key ("contract_id") references "contract" ("id") on update cascade on delete restrict;`);

    // Each partner's contract moves to the contract table. The old record named no categories, so
    // the migrated contract opens none until the DPO registers one that does (fail closed).
    this.addSql(`insert into "contract" ("id", "partner_id", "number", "valid_from", "valid_to", "categories", "purposes", "created_at")
      select gen_random_uuid(), "id", "contract_number", "valid_from", "valid_to", '{}', '{THIRD_PARTY_OBLIGATIONS}', "created_at" from "partner";`);
    this.addSql(`alter table "partner" drop column "contract_number", drop column "valid_from", drop column "valid_to";`);

    this.addSql(`alter table "partner" add constraint "partner_bin_unique" unique ("bin");`);

    // Append-only (P5): no UPDATE, DELETE or TRUNCATE of a log entry, whoever asks. The hash chain
    // (src/disclosure/chain.ts) detects what a superuser could still do with the triggers disabled.
    this.addSql(`create function refuse_log_change() returns trigger language plpgsql as $$
      begin
        raise exception '% on % refused: the table is append-only', tg_op, tg_table_name using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger disclosure_log_append_only before update or delete on "disclosure_log" for each row execute function refuse_log_change();`);
    this.addSql(`create trigger disclosure_log_no_truncate before truncate on "disclosure_log" for each statement execute function refuse_log_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists disclosure_log_append_only on "disclosure_log";`);
    this.addSql(`drop trigger if exists disclosure_log_no_truncate on "disclosure_log";`);

    this.addSql(`alter table "authority_token" drop constraint "authority_token_request_id_foreign";`);

    this.addSql(`alter table "partner_token" drop constraint "partner_token_contract_id_foreign";`);

    this.addSql(`drop table if exists "disclosure_log" cascade;`);

    this.addSql(`drop table if exists "lawful_request" cascade;`);

    this.addSql(`drop table if exists "authority_token" cascade;`);

    this.addSql(`drop table if exists "contract" cascade;`);

    this.addSql(`drop table if exists "partner_token" cascade;`);

    this.addSql(`drop function if exists refuse_log_change();`);

    this.addSql(`alter table "partner" drop constraint "partner_bin_unique";`);

    this.addSql(`alter table "partner" add column "contract_number" text null, add column "valid_from" date null, add column "valid_to" date null;`);
    this.addSql(`update "partner" p set "contract_number" = c."number", "valid_from" = c."valid_from", "valid_to" = c."valid_to"
      from (select distinct on ("partner_id") * from "contract" order by "partner_id", "valid_to" desc) c where c."partner_id" = p."id";`);
  }

}
