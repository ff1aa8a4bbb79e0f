import { Migration } from '@mikro-orm/migrations';

/**
 * One hash chain per recipient instead of one for the whole log (src/disclosure/chains.ts), so that
 * two recipients' log writes never wait on each other. The entries written before stay as they
 * are, hashes included, in the chain `legacy`, numbered by their old `seq`: they keep verifying
 * with the hash they were written with (version 1), and a head `<seq>:<hash>` kept from before is
 * the head of that chain. Neither new column is covered by a version 1 hash, so nothing is
 * re-hashed (re-hashing would be rewriting the log). The append-only triggers stay on throughout:
 * the existing rows get their values by a column default and a table rewrite, never an UPDATE.
 */
export class Migration20261206073908 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "disclosure_log" add column "chain" text not null default 'legacy';`);
    this.addSql(`alter table "disclosure_log" alter column "chain" drop default;`);
    this.addSql(`alter table "disclosure_log" add column "chain_seq" bigint null;`);
    // A rewrite of the table, which fires no row trigger: each legacy entry's position is its old seq.
    this.addSql(`alter table "disclosure_log" alter column "chain_seq" type bigint using ("seq");`);
    this.addSql(`alter table "disclosure_log" alter column "chain_seq" set not null;`);
    this.addSql(`create sequence if not exists "disclosure_log_seq_seq";`);
    this.addSql(`select setval('disclosure_log_seq_seq', (select max("seq") from "disclosure_log"));`);
    this.addSql(`alter table "disclosure_log" alter column "seq" set default nextval('disclosure_log_seq_seq');`);
    this.addSql(`alter sequence "disclosure_log_seq_seq" owned by "disclosure_log"."seq";`);
    this.addSql(`alter table "disclosure_log" add constraint "disclosure_log_chain_chain_seq_unique" unique ("chain", "chain_seq");`);
    this.addSql(`alter table "disclosure_log" add constraint disclosure_log_chain_seq_positive check(chain_seq > 0);`);
  }

  override async down(): Promise<void> {
    // Entries of the recipients' chains cannot join one chain again without being re-hashed: refused.
    this.addSql(`do $$ begin
      if exists (select 1 from "disclosure_log" where "chain" <> 'legacy') then
        raise exception 'the disclosure log has entries in per-recipient chains: one chain cannot hold them without rewriting them';
      end if;
    end $$;`);
    this.addSql(`alter table "disclosure_log" drop constraint "disclosure_log_chain_chain_seq_unique";`);
    this.addSql(`alter table "disclosure_log" drop constraint disclosure_log_chain_seq_positive;`);
    this.addSql(`alter table "disclosure_log" drop column "chain", drop column "chain_seq";`);
    this.addSql(`alter table "disclosure_log" alter column "seq" drop default;`);
    this.addSql(`drop sequence if exists "disclosure_log_seq_seq";`);
  }

}
