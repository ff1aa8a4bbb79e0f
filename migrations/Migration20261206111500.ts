import { Migration } from '@mikro-orm/migrations';

/**
 * The disclosure log's append as one database function (src/disclosure/disclosure-log.ts): it takes
 * the chains' locks, re-checks the grant with its token row locked for share, reads the heads,
 * hashes and inserts, in one call, so a chain's lock is held for the function and the commit
 * instead of four round trips to the API. The hash is the version 2 form of src/disclosure/chain.ts
 * (`canonical`, `entryHash`), which verification keeps computing in TypeScript; a test holds the
 * two to the same text.
 *
 * `contract_in_force` is the rule "a contract in force today for a purpose", shared by the
 * recipient's first look (src/disclosure/recipient.ts) and this re-check, so it is written once.
 */
export class Migration20261206111500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function contract_in_force(valid_from date, valid_to date, purposes text[], today date, purpose text) returns boolean
language sql immutable parallel safe
as $$ select valid_from <= today and today <= valid_to and purpose = any(purposes) $$;`);

    // src/disclosure/chain.ts chainLockKey: the first 32 bits of the SHA-256 of the chain's name, signed.
    this.addSql(`create function disclosure_chain_lock_key(chain text) returns integer
language sql stable strict parallel safe
as $$ select ('x' || left(encode(sha256(convert_to(chain, 'UTF8')), 'hex'), 8))::bit(32)::integer $$;`);

    // A JSON value's text as JSON.stringify writes it: PostgreSQL's json escapes strings as it does, without spaces.
    this.addSql(`create function disclosure_json(value text) returns text
language sql immutable parallel safe
as $$ select coalesce(to_json(value)::text, 'null') $$;`);

    // src/disclosure/chain.ts canonical, version 2 (the chains' entries; the legacy chain's are never written again).
    this.addSql(`create function disclosure_canonical_v2(e disclosure_log) returns text
language sql stable parallel safe
as $$ select '["kzpay-disclosure-v2",' || e.seq || ',' || disclosure_json(e.chain) || ',' || e.chain_seq || ',' || disclosure_json(e.id::text) || ','
  || disclosure_json(to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || ',' || disclosure_json(e.recipient_kind) || ','
  || disclosure_json(e.recipient) || ',' || disclosure_json(e.partner_id::text) || ',' || disclosure_json(e.contract_id::text) || ','
  || disclosure_json(e.lawful_request_id::text) || ',' || disclosure_json(e.token_id) || ',' || disclosure_json(e.actor) || ','
  || disclosure_json(e.subject_id::text) || ','
  || (select '[' || coalesce(string_agg('[' || disclosure_json(f->>'path') || ',' || disclosure_json(f->>'category') || ',' || disclosure_json(f->>'access') || ']', ',' order by n), '') || ']'
        from jsonb_array_elements(e.fields) with ordinality as x(f, n)) || ','
  || disclosure_json(e.purpose) || ',' || disclosure_json(e.legal_basis) || ',' || disclosure_json(e.operation_name) || ','
  || disclosure_json(e.query_hash) || ',' || disclosure_json(e.request_id) || ',' || disclosure_json(e.prev_hash) || ']' $$;`);

    // SQLSTATE KZ001: the grant ended while the request ran (the API answers UNAUTHENTICATED).
    this.addSql(`create function append_disclosures(p_entries jsonb, p_at timestamptz, p_operation_name text, p_query_hash text, p_request_id text,
  p_today date, p_partner_purpose text, p_lock_timeout_ms integer)
returns setof disclosure_log
language plpgsql
as $body$
declare
  v_key integer;
  v_grant record;
  v_chain text;
  v_head record;
  v_entry jsonb;
  v_row disclosure_log;
  v_rows disclosure_log[] := '{}';
begin
  -- Read by every lock wait below: an unavailable log fails fast and the data is withheld.
  perform set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
  -- In ascending key order, so that two appends needing the same chains cannot deadlock.
  for v_key in select distinct disclosure_chain_lock_key(e->>'chain') from jsonb_array_elements(p_entries) e order by 1 loop
    perform pg_advisory_xact_lock(1803186276, v_key); -- src/disclosure/chain.ts CHAIN_LOCK
  end loop;
  -- Under the locks, each statement with a fresh snapshot: a revocation committed while this waited
  -- is seen, and one committing now waits for this entry (the token row is locked for share).
  for v_grant in select distinct e->>'recipient_kind' as kind, e->>'token_id' as token_id, e->>'contract_id' as contract_id,
                        e->>'lawful_request_id' as lawful_request_id
                   from jsonb_array_elements(p_entries) e where e->>'token_id' is not null loop
    if v_grant.kind = 'PARTNER' then
      perform from partner_token t join contract c on c.id = t.contract_id
        where t.jti = v_grant.token_id::uuid and c.id = v_grant.contract_id::uuid and t.revoked_at is null and t.expires_at > p_at
          and contract_in_force(c.valid_from, c.valid_to, c.purposes, p_today, p_partner_purpose)
        for share of t;
    elsif v_grant.kind = 'AUTHORITY' then
      perform from authority_token t join lawful_request r on r.id = t.request_id
        where t.jti = v_grant.token_id::uuid and r.id = v_grant.lawful_request_id::uuid and t.revoked_at is null and t.expires_at > p_at
          and r.expires_at > p_at
        for share of t;
    else
      continue;
    end if;
    if not found then
      raise exception 'the grant ended during the request' using errcode = 'KZ001';
    end if;
  end loop;
  for v_chain in select e->>'chain' from jsonb_array_elements(p_entries) with ordinality as x(e, n) group by 1 order by min(n) loop
    select d.chain_seq, d.hash into v_head from disclosure_log d where d.chain = v_chain order by d.chain_seq desc limit 1;
    v_row.chain_seq := coalesce(v_head.chain_seq, 0);
    v_row.hash := coalesce(v_head.hash, repeat('0', 64));
    for v_entry in select e from jsonb_array_elements(p_entries) with ordinality as x(e, n) where e->>'chain' = v_chain order by n loop
      v_row.prev_hash := v_row.hash;
      v_row.seq := nextval('disclosure_log_seq_seq');
      v_row.chain := v_chain;
      v_row.chain_seq := v_row.chain_seq + 1;
      v_row.id := gen_random_uuid();
      v_row.at := p_at;
      v_row.recipient_kind := v_entry->>'recipient_kind';
      v_row.recipient := v_entry->>'recipient';
      v_row.partner_id := v_entry->>'partner_id';
      v_row.contract_id := v_entry->>'contract_id';
      v_row.lawful_request_id := v_entry->>'lawful_request_id';
      v_row.token_id := v_entry->>'token_id';
      v_row.actor := v_entry->>'actor';
      v_row.subject_id := v_entry->>'subject_id';
      v_row.fields := v_entry->'fields';
      v_row.purpose := v_entry->>'purpose';
      v_row.legal_basis := v_entry->>'legal_basis';
      v_row.operation_name := p_operation_name;
      v_row.query_hash := p_query_hash;
      v_row.request_id := p_request_id;
      v_row.hash := encode(sha256(convert_to(disclosure_canonical_v2(v_row), 'UTF8')), 'hex');
      v_rows := v_rows || v_row;
    end loop;
  end loop;
  -- One INSERT for the whole request.
  return query with added as (insert into disclosure_log select * from unnest(v_rows) returning *) select * from added;
end $body$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function append_disclosures(jsonb, timestamptz, text, text, text, date, text, integer);`);
    this.addSql(`drop function disclosure_canonical_v2(disclosure_log);`);
    this.addSql(`drop function disclosure_json(text);`);
    this.addSql(`drop function disclosure_chain_lock_key(text);`);
    this.addSql(`drop function contract_in_force(date, date, text[], date, text);`);
  }

}
