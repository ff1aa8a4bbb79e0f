import { Migration } from '@mikro-orm/migrations';

/**
 * The disclosure log's append in fewer round trips (src/disclosure/disclosure-log.ts):
 * `lock_disclosure_chains` sets the log transaction's timeouts, takes the chains' locks, re-checks
 * the grants with their token rows locked for share, reads the chains' heads and reserves the
 * entries' positions in the log, in one call. The API then hashes (src/disclosure/chain.ts) and
 * inserts. Before, each of these was a round trip of its own, and the locks were held across them.
 *
 * `contract_in_force` is the rule "a contract in force today for a purpose", shared by the
 * recipient's first look (src/partners/contract-in-force.ts contractInForceSql) and this re-check, so
 * it is written once; `lawful_request_in_force` is the same for a lawful request.
 */
export class Migration20261206111500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function contract_in_force(valid_from date, valid_to date, purposes text[], today date, purpose text) returns boolean
language sql immutable parallel safe
as $$ select valid_from <= today and today <= valid_to and purpose = any(purposes) $$;`);

    // A lawful request in force at an instant (src/disclosure/recipients/authority.ts requestInForceSql): the
    // recipient's first look and this re-check.
    this.addSql(`create function lawful_request_in_force(expires_at timestamptz, at timestamptz) returns boolean
language sql immutable parallel safe
as $$ select at < expires_at $$;`);

    // src/disclosure/chain.ts chainLockKey: the first 32 bits of the SHA-256 of the chain's name, signed.
    this.addSql(`create function disclosure_chain_lock_key(chain text) returns integer
language sql stable strict parallel safe
as $$ select ('x' || left(encode(sha256(convert_to(chain, 'UTF8')), 'hex'), 8))::bit(32)::integer $$;`);

    // p_chains: each chain once, with the number of entries to append to it ({chain, n}); p_grants: the recipients'
    // grants to re-check ({kind, token_id, contract_id, lawful_request_id}). SQLSTATE KZ001: a grant
    // ended while the request ran (the API answers UNAUTHENTICATED).
    this.addSql(`create function lock_disclosure_chains(p_chains jsonb, p_grants jsonb, p_at timestamptz,
  p_today date, p_partner_purpose text, p_lock_timeout_ms integer, p_statement_timeout_ms integer)
returns table (chain text, chain_seq bigint, hash text, seqs bigint[])
language plpgsql
as $body$
declare
  v_key integer;
  v_grant record;
begin
  -- The rest of the transaction's: every lock wait below, the insert and the commit. An unavailable
  -- log fails fast and the data is withheld.
  perform set_config('lock_timeout', p_lock_timeout_ms || 'ms', true), set_config('statement_timeout', p_statement_timeout_ms || 'ms', true);
  -- In ascending key order, so that two appends needing the same chains cannot deadlock.
  for v_key in select distinct disclosure_chain_lock_key(c->>'chain') from jsonb_array_elements(p_chains) c order by 1 loop
    perform pg_advisory_xact_lock(1803186276, v_key); -- src/disclosure/chain.ts CHAIN_LOCK
  end loop;
  -- Under the locks, each statement with a fresh snapshot: a revocation committed while this waited
  -- is seen, and one committing now waits for this entry (the token row is locked for share).
  for v_grant in select g->>'kind' as kind, g->>'token_id' as token_id, g->>'contract_id' as contract_id, g->>'lawful_request_id' as lawful_request_id
                   from jsonb_array_elements(p_grants) g loop
    if v_grant.kind = 'PARTNER' then
      perform from partner_token t join contract c on c.id = t.contract_id
        where t.jti = v_grant.token_id::uuid and c.id = v_grant.contract_id::uuid and t.revoked_at is null and t.expires_at > p_at
          and contract_in_force(c.valid_from, c.valid_to, c.purposes, p_today, p_partner_purpose)
        for share of t;
    else
      perform from authority_token t join lawful_request r on r.id = t.request_id
        where t.jti = v_grant.token_id::uuid and r.id = v_grant.lawful_request_id::uuid and t.revoked_at is null and t.expires_at > p_at
          and lawful_request_in_force(r.expires_at, p_at)
        for share of t;
    end if;
    if not found then
      raise exception 'the grant ended during the request' using errcode = 'KZ001';
    end if;
  end loop;
  return query
    select c.chain, h.chain_seq, h.hash, array(select nextval('disclosure_log_seq_seq') from generate_series(1, c.n))
      from jsonb_to_recordset(p_chains) as c(chain text, n integer)
      left join lateral (select d.chain_seq, d.hash from disclosure_log d where d.chain = c.chain order by d.chain_seq desc limit 1) h on true;
end $body$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function lock_disclosure_chains(jsonb, jsonb, timestamptz, date, text, integer, integer);`);
    this.addSql(`drop function disclosure_chain_lock_key(text);`);
    this.addSql(`drop function lawful_request_in_force(timestamptz, timestamptz);`);
    this.addSql(`drop function contract_in_force(date, date, text[], date, text);`);
  }

}
