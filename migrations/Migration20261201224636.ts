import { Migration } from '@mikro-orm/migrations';

export class Migration20261201224636 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "disclosure_log" add constraint disclosure_log_seq_positive check(seq > 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "disclosure_log" drop constraint disclosure_log_seq_positive;`);
  }

}
