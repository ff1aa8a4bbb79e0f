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
language sql stable parallel safe
as $$ select coalesce(to_json(value)::text, 'null') $$;`);

    // src/disclosure/chain.ts canonical, version 2 (the chains' entries; the legacy chain's are never
    // written again), of an entry as jsonb keyed by column (`to_jsonb` of a row) and its fields'
    // part. Plain SQL without subqueries, so the planner inlines them into the statement that appends.
    this.addSql(`create function disclosure_fields_v2(fields jsonb) returns setof text
language sql stable parallel safe
as $$ select '[' || coalesce(string_agg('[' || disclosure_json(f->>'path') || ',' || disclosure_json(f->>'category') || ','
  || disclosure_json(f->>'access') || ']', ',' order by n), '') || ']' from jsonb_array_elements(fields) with ordinality as x(f, n) $$;`);
    this.addSql(`create function disclosure_canonical_v2(e jsonb, fields text) returns text
language sql stable parallel safe
as $$ select '["kzpay-disclosure-v2",' || (e->>'seq') || ',' || disclosure_json(e->>'chain') || ',' || (e->>'chain_seq') || ','
  || disclosure_json(e->>'id') || ',' || disclosure_json(to_char((e->>'at')::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || ','
  || disclosure_json(e->>'recipient_kind') || ',' || disclosure_json(e->>'recipient') || ',' || disclosure_json(e->>'partner_id') || ','
  || disclosure_json(e->>'contract_id') || ',' || disclosure_json(e->>'lawful_request_id') || ',' || disclosure_json(e->>'token_id') || ','
  || disclosure_json(e->>'actor') || ',' || disclosure_json(e->>'subject_id') || ',' || fields || ','
  || disclosure_json(e->>'purpose') || ',' || disclosure_json(e->>'legal_basis') || ',' || disclosure_json(e->>'operation_name') || ','
  || disclosure_json(e->>'query_hash') || ',' || disclosure_json(e->>'request_id') || ',' || disclosure_json(e->>'prev_hash') || ']' $$;`);

    // SQLSTATE KZ001: the grant ended while the request ran (the API answers UNAUTHENTICATED).
    this.addSql(`create function append_disclosures(p_entries jsonb, p_at timestamptz, p_operation_name text, p_query_hash text, p_request_id text,
  p_today date, p_partner_purpose text)
returns setof disclosure_log
language plpgsql
as $body$
declare
  v_key integer;
  v_grant record;
begin
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
  -- Each chain's entries after its head, in the order given, hashed one after another; one INSERT.
  return query
  with recursive
    entry as (
      select x.e, x.n, x.e->>'chain' as chain, row_number() over (partition by x.e->>'chain' order by x.n) as k, f.text as fields
        from jsonb_array_elements(p_entries) with ordinality as x(e, n) cross join lateral disclosure_fields_v2(x.e->'fields') as f(text)
    ),
    head as (
      select c.chain, coalesce(d.chain_seq, 0) as chain_seq, coalesce(d.hash, repeat('0', 64)) as hash
        from (select distinct chain from entry) c
        left join lateral (select l.chain_seq, l.hash from disclosure_log l where l.chain = c.chain order by l.chain_seq desc limit 1) d on true
    ),
    unhashed as (
      select entry.chain, entry.k, entry.n, entry.fields, entry.e || jsonb_build_object('seq', nextval('disclosure_log_seq_seq'), 'chain_seq', head.chain_seq + entry.k,
               'id', gen_random_uuid(), 'at', p_at, 'operation_name', p_operation_name, 'query_hash', p_query_hash, 'request_id', p_request_id) as e
        from entry join head using (chain)
    ),
    hashed (chain, k, n, e, hash) as (
      select head.chain, 0::bigint, 0::bigint, null::jsonb, head.hash from head
      union all
      select u.chain, u.k, u.n, linked.e, encode(sha256(convert_to(disclosure_canonical_v2(linked.e, u.fields), 'UTF8')), 'hex')
        from hashed h join unhashed u on u.chain = h.chain and u.k = h.k + 1
        cross join lateral (select u.e || jsonb_build_object('prev_hash', h.hash) as e) linked
    ),
    added as (
      insert into disclosure_log
      select r.* from hashed cross join lateral jsonb_populate_record(null::disclosure_log, hashed.e || jsonb_build_object('hash', hashed.hash)) r
       where hashed.k > 0 order by hashed.n
      returning *
    )
  select * from added;
end $body$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function append_disclosures(jsonb, timestamptz, text, text, text, date, text);`);
    this.addSql(`drop function disclosure_canonical_v2(jsonb, text);`);
    this.addSql(`drop function disclosure_fields_v2(jsonb);`);
    this.addSql(`drop function disclosure_json(text);`);
    this.addSql(`drop function disclosure_chain_lock_key(text);`);
    this.addSql(`drop function contract_in_force(date, date, text[], date, text);`);
  }

}
