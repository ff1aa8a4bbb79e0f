import { Migration } from '@mikro-orm/migrations';

export class Migration20261124234920 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "login_throttle" ("key_hash" text not null, "kind" text not null, "failures" int not null, "locked_until" timestamptz null, "last_failure_at" timestamptz not null, constraint "login_throttle_pkey" primary key ("key_hash"));`);
    this.addSql(`create index "login_throttle_last_failure_at_index" on "login_throttle" ("last_failure_at");`);

    this.addSql(`create table "password_reset" ("id" uuid not null, "token_hash" text not null, "client_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "consumed_at" timestamptz null, constraint "password_reset_pkey" primary key ("id"));`);
    this.addSql(`alter table "password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "password_reset_client_id_index" on "password_reset" ("client_id");`);

    this.addSql(`create table "security_event" ("id" uuid not null, "kind" text check ("kind" in ('COMPROMISE_REPORTED', 'PASSWORD_CHANGED')) not null, "client_id" uuid null, "actor_role" text not null, "actor_sub" text not null, "at" timestamptz not null, constraint "security_event_pkey" primary key ("id"));`);
    this.addSql(`create index "security_event_client_id_at_index" on "security_event" ("client_id", "at");`);

    this.addSql(`create table "session" ("id" uuid not null, "token_hash" text not null, "client_id" uuid not null, "token_version" int not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "session_pkey" primary key ("id"));`);
    this.addSql(`alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "session_client_id_index" on "session" ("client_id");`);

    this.addSql(`alter table "password_reset" add constraint "password_reset_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "security_event" add constraint "security_event_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "session" add constraint "session_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "client" add column "token_version" int not null default 0, add column "password_change_required" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_throttle" cascade;`);

    this.addSql(`drop table if exists "password_reset" cascade;`);

    this.addSql(`drop table if exists "security_event" cascade;`);

    this.addSql(`drop table if exists "session" cascade;`);

    this.addSql(`alter table "client" drop column "token_version", drop column "password_change_required";`);
  }

}
