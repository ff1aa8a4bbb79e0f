import { Migration } from '@mikro-orm/migrations';

export class Migration20261201230748 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "consent" drop constraint if exists "consent_channel_check";`);

    this.addSql(`alter table "consent" add constraint "consent_channel_check" check("channel" in ('WEB', 'MOBILE', 'TELEGRAM', 'OPERATOR', 'PAPER', 'SYSTEM'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "consent" drop constraint if exists "consent_channel_check";`);

    this.addSql(`alter table "consent" add constraint "consent_channel_check" check("channel" in ('WEB', 'MOBILE', 'TELEGRAM', 'OPERATOR', 'PAPER'));`);
  }

}
