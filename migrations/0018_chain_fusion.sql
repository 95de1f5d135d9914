-- Chain fusion (docs/architecture.md, "Chain fusion"): a worker that finished a fast step whose
-- only dependant waits on it alone may compute that dependant right away, in memory, with the
-- step's value as its input, and record both in one completion: one round trip and one commit
-- for a run of fast steps instead of one per step. The completion takes such outcomes
-- (`fused_after`: the step whose outcome precedes it in the same request) and, before recording
-- anything, claims them as an adoption would (the lifecycle's `fuse`: waiting -> running, with
-- an attempt of this worker, recorded as ended since its outcome follows in the same
-- transaction). A fused step that is no longer waiting on exactly that one step, or whose asset
-- partition another run is computing, fails the whole call with SX001: the caller records the
-- other outcomes alone and the fused step runs again under an ordinary claim. An input taken
-- from a fused predecessor names its step (`dep_step_id`), resolved to the materialization the
-- same statement records. Log lines a fused compute wrote (ctx.log) come with its outcome and
-- are appended before its event.
create or replace function strata_internal.complete_steps(request jsonb) returns jsonb
language plpgsql
set plan_cache_mode = force_generic_plan
as $$
declare
  v_run_id bigint := (request->>'run_id')::bigint;
  v_worker_id text := request->>'worker_id';
  v_job_id text := request->>'job_id';
  v_outcomes jsonb := request->'outcomes';
  v_expected int := jsonb_array_length(request->'outcomes');
  v_done_ids bigint[];
  v_finished int;
  v_ready jsonb;
  v_first_asset text;
  v_keep int;
  v_adopt bigint[] := '{}';
  v_dep_ids bigint[];
  v_dep_counts int[];
  v_attempt_sequence text := pg_get_serial_sequence('strata_internal.attempts', 'id');
  v_busy bigint[] := '{}';
  v_busy_steps jsonb := '[]';
  v_fused_ids bigint[];
  v_fused_attempts jsonb;
  v_fused_count int;
  v_adopted jsonb := '[]';
  v_pending int;
  v_run_status text;
  v_final text;
  -- The lifecycle table's statuses (src/store/step-states.ts), sent by the caller: this function
  -- spells none of its own.
  v_states jsonb := request->'states';
  v_complete_from text[] := array(select jsonb_array_elements_text(request->'states'->'complete_from'));
  v_fuse_from text[] := array(select jsonb_array_elements_text(request->'states'->'fuse_from'));
  v_release_from text[] := array(select jsonb_array_elements_text(request->'states'->'release_from'));
  v_active_attempt text[] := array(select jsonb_array_elements_text(request->'states'->'active_attempt'));
  v_run_failing text[] := array(select jsonb_array_elements_text(request->'states'->'run_failing'));
begin
  if v_active_attempt <> array['running'] then
    raise exception 'the lifecycle table''s active attempt statuses % are not the running attempts this function looks for', v_active_attempt
      using errcode = 'SX002';
  end if;

  -- Fused outcomes are claimed first: each step must still wait on exactly the step before it,
  -- and no other run may be computing its asset partition (the lock every claim takes, in the
  -- same order).
  v_fused_ids := array(
    select (o->>'step_id')::bigint from jsonb_array_elements(v_outcomes) o
    where o->>'fused_after' is not null);
  if cardinality(v_fused_ids) > 0 then
    perform pg_advisory_xact_lock(k)
    from (
      select distinct strata_internal.partition_lock_key(s.asset_key, s.partition_key) as k
      from strata_internal.steps s where s.id = any(v_fused_ids)
    ) keys order by k;
    if exists (
      select 1
      from strata_internal.steps f
      join strata_internal.steps h
        on h.asset_key = f.asset_key and h.partition_key = f.partition_key and h.id <> f.id
      join strata_internal.attempts a on a.id = h.current_attempt_id
      where f.id = any(v_fused_ids) and a.status = 'running' and h.status = any(v_complete_from)
    ) then
      raise exception 'a fused step''s partition is being computed by another run' using errcode = 'SX001';
    end if;
    with f as (
      select (o->>'step_id')::bigint as step_id, (o->>'fused_after')::bigint as after,
        (o->'record'->>'started_at')::timestamptz as started_at,
        (o->'record'->>'finished_at')::timestamptz as finished_at
      from jsonb_array_elements(v_outcomes) o
      where o->>'fused_after' is not null
    ),
    u as (
      update strata_internal.steps s
      set deps_remaining = 0, status = v_states->>'fuse_to', attempts = s.attempts + 1,
        current_attempt_id = nextval(v_attempt_sequence), started_at = coalesce(s.started_at, f.started_at, now())
      from f
      where s.id = f.step_id and s.run_id = v_run_id and s.status = any(v_fuse_from)
        and s.deps_remaining = 1 and s.pool is null
        and exists (
          select 1 from strata_internal.step_edges e
          where e.upstream_step_id = f.after and e.downstream_step_id = f.step_id)
        and exists (
          select 1 from jsonb_array_elements(v_outcomes) p where (p->>'step_id')::bigint = f.after)
      returning s.id, s.run_id, s.current_attempt_id, s.attempts, f.started_at, f.finished_at
    ),
    c as (
      -- The attempt is recorded as ended: its outcome is recorded below, in this transaction.
      insert into strata_internal.attempts (id, step_id, run_id, number, worker_id, job_id, status, started_at, finished_at)
      overriding system value
      select u.current_attempt_id, u.id, u.run_id, u.attempts, v_worker_id, v_job_id,
        v_states->>'completed_attempt', coalesce(u.started_at, now()), coalesce(u.finished_at, now())
      from u
    )
    select coalesce(jsonb_object_agg(u.id::text, u.current_attempt_id), '{}'), count(*)
    into v_fused_attempts, v_fused_count
    from u;
    if v_fused_count <> cardinality(v_fused_ids) then
      raise exception 'a fused step no longer waits on the step before it' using errcode = 'SX001';
    end if;
    v_outcomes := (
      select jsonb_agg(case when o ? 'fused_after' and o->>'fused_after' is not null
          then o || jsonb_build_object('attempt_id', (v_fused_attempts->>(o->>'step_id'))::bigint)
          else o end order by n)
      from jsonb_array_elements(v_outcomes) with ordinality as x(o, n));
  end if;

  -- Materializations of the steps that computed or reused a value, their inputs, their latest
  -- pointers (moved only forward).
  with r as (
    select o.step_id, o.attempt_id, o.record
    from jsonb_to_recordset(v_outcomes) as o(step_id bigint, attempt_id bigint, record jsonb)
    where o.record is not null
  ),
  m as (
    insert into strata_internal.materializations (
      asset_key, partition_key, run_id, step_id, attempt_id, code_version, data_version, input_hash,
      value, value_artifact, value_size, metadata, reused_from, started_at, finished_at, duration_ms,
      host, worker_id, git_commit, kind)
    select r.record->>'asset_key', r.record->>'partition_key', v_run_id, r.step_id, r.attempt_id,
      r.record->>'code_version', r.record->>'data_version', r.record->>'input_hash',
      r.record->'value', r.record->>'value_artifact', (r.record->>'value_size')::int,
      coalesce(r.record->'metadata', '{}'), (r.record->>'reused_from')::bigint,
      (r.record->>'started_at')::timestamptz, (r.record->>'finished_at')::timestamptz,
      extract(epoch from ((r.record->>'finished_at')::timestamptz - (r.record->>'started_at')::timestamptz)) * 1000,
      r.record->>'host', v_worker_id, r.record->>'git_commit', 'computed'
    from r
    returning id, step_id, asset_key, partition_key, code_version, data_version, input_hash, finished_at
  ),
  i as (
    insert into strata_internal.materialization_inputs
      (materialization_id, input_name, dep_asset_key, dep_partition_key, dep_materialization_id, dep_data_version)
    select m.id, e.input_name, e.dep_asset_key, e.dep_partition_key,
      coalesce(e.dep_materialization_id, (select d.id from m d where d.step_id = e.dep_step_id)), e.dep_data_version
    from m
    join r on r.step_id = m.step_id
    cross join lateral jsonb_to_recordset(r.record->'inputs')
      as e(input_name text, dep_asset_key text, dep_partition_key text, dep_materialization_id bigint,
        dep_step_id bigint, dep_data_version text)
  ),
  -- The pointer of a partition materialized before is moved by a plain update (an upsert that
  -- finds the row logs a row lock besides the update); a first materialization inserts it.
  l as (
    update strata_internal.latest_materializations p set
      materialization_id = m.id, code_version = m.code_version, data_version = m.data_version,
      input_hash = m.input_hash, materialized_at = m.finished_at
    from m
    where p.asset_key = m.asset_key and p.partition_key = m.partition_key and p.materialization_id < m.id
  ),
  l0 as (
    insert into strata_internal.latest_materializations
      (asset_key, partition_key, materialization_id, code_version, data_version, input_hash, materialized_at)
    select asset_key, partition_key, id, code_version, data_version, input_hash, finished_at from m
    where not exists (
      select 1 from strata_internal.latest_materializations x
      where x.asset_key = m.asset_key and x.partition_key = m.partition_key)
    on conflict (asset_key, partition_key) do update set
      materialization_id = excluded.materialization_id, code_version = excluded.code_version,
      data_version = excluded.data_version, input_hash = excluded.input_hash, materialized_at = excluded.materialized_at
    where strata_internal.latest_materializations.materialization_id < excluded.materialization_id
  ),
  -- Every outcome with the materialization it ends with (the one just recorded, or for an
  -- early cutoff the one that already had these inputs).
  o as (
    select o.*, coalesce(m.id, o.materialization_id) as final_id
    from jsonb_to_recordset(v_outcomes) as o(step_id bigint, attempt_id bigint, status text,
      input_hash text, materialization_id bigint, event jsonb, tool_calls boolean, pooled boolean,
      logs jsonb)
    left join m on m.step_id = o.step_id
  ),
  s as (
    update strata_internal.steps s
    set status = o.status, materialization_id = o.final_id, input_hash = o.input_hash, finished_at = now()
    from o
    where s.id = o.step_id and s.current_attempt_id = o.attempt_id and s.status = any(v_complete_from)
    returning s.id, s.current_attempt_id
  ),
  a as (
    update strata_internal.attempts a set status = v_states->>'completed_attempt', finished_at = now()
    from s where a.id = s.current_attempt_id and a.status <> v_states->>'completed_attempt'
  ),
  e as (
    insert into strata_internal.events (run_id, step_id, attempt_id, asset_key, partition_key, kind, level, message, data)
    select ev.run_id, ev.step_id, ev.attempt_id, ev.asset_key, ev.partition_key, ev.kind, ev.level, ev.message, ev.data
    from (
      -- A fused compute's log lines, in the order it wrote them, then the step's own event.
      select v_run_id as run_id, o.step_id, o.attempt_id, o.event->>'asset_key' as asset_key,
        o.event->>'partition_key' as partition_key, 'log' as kind, l.level, l.message,
        coalesce(l.data, '{}') as data, 0 as phase, l.n
      from o join s on s.id = o.step_id
      cross join lateral rows from (
        jsonb_to_recordset(coalesce(o.logs, '[]')) as (level text, message text, data jsonb)
      ) with ordinality as l(level, message, data, n)
      union all
      select v_run_id, o.step_id, o.attempt_id, o.event->>'asset_key', o.event->>'partition_key', o.event->>'kind', 'info',
        o.event->>'message', coalesce(o.event->'data', '{}') || jsonb_build_object('materializationId', o.final_id), 1, 0
      from o join s on s.id = o.step_id
    ) ev
    order by ev.step_id, ev.phase, ev.n
  ),
  t as (
    update strata_internal.tool_calls t set materialization_id = o.final_id
    from o join s on s.id = o.step_id
    where o.tool_calls and t.attempt_id = o.attempt_id
  ),
  p as (
    update strata_internal.pool_slots p set attempt_id = null, worker_id = null, acquired_at = null
    from o where o.pooled and p.attempt_id = o.attempt_id
  )
  select array_agg(s.id), count(*) into v_done_ids, v_finished from s;
  if v_finished <> v_expected then
    raise exception 'a completed step was taken over meanwhile' using errcode = 'SX001';
  end if;

  -- The dependants of the finished steps, with how many of their upstream steps just finished.
  select array_agg(d.id order by d.id), array_agg(d.n order by d.id) into v_dep_ids, v_dep_counts
  from (
    select downstream_step_id as id, count(*)::int as n
    from strata_internal.step_edges
    where upstream_step_id = any(v_done_ids) and downstream_step_id <> all(v_fused_ids)
    group by downstream_step_id
  ) d;

  if v_dep_ids is not null then
    if (request->>'adopt')::boolean then
      -- This worker runs the first steps of the first asset released (as many as its claim size
      -- for that asset, never a pooled one, whose slot is taken by an ordinary claim); every
      -- other ready step is enqueued in jobs grouped by asset as the executor groups them. The
      -- candidates are read here; the update below decides again on each row it locks.
      select s.asset_key into v_first_asset
      from strata_internal.steps s
      join unnest(v_dep_ids, v_dep_counts) as d(id, n) on s.id = d.id
      where s.deps_remaining = d.n and s.status = any(v_release_from)
      order by s.id limit 1;
      v_keep := coalesce((request->'claim_sizes'->>v_first_asset)::int, 1);
      select coalesce(array_agg(first_steps.id order by first_steps.id), '{}') into v_adopt from (
        select s.id
        from strata_internal.steps s
        join unnest(v_dep_ids, v_dep_counts) as d(id, n) on s.id = d.id
        where s.deps_remaining = d.n and s.status = any(v_release_from)
          and s.asset_key = v_first_asset and s.pool is null
        order by s.id
        limit v_keep
      ) first_steps;
    end if;

    if cardinality(v_adopt) > 0 then
      -- Claims of an asset partition are serialized (the same lock as every other claim, taken
      -- before the steps' rows, as every claim takes it); a partition another run is computing
      -- is left to the queue, a little later.
      perform pg_advisory_xact_lock(k)
      from (
        select strata_internal.partition_lock_key(s.asset_key, s.partition_key) as k
        from strata_internal.steps s where s.id = any(v_adopt)
      ) keys order by k;
      -- Running attempts are few (bounded by every worker's concurrency): start from them.
      with holders as materialized (
        select s.id, s.run_id, s.asset_key, s.partition_key
        from strata_internal.attempts a
        join strata_internal.steps s on s.id = a.step_id
        -- A literal, so that the partial index attempts_running_idx serves it (a parameter
        -- cannot prove its predicate); checked against the table's active statuses above.
        where a.status = 'running' and s.status = any(v_complete_from)
          and s.current_attempt_id = a.id
      )
      select coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'holder_run', h.run_id,
          'asset_key', w.asset_key, 'partition_key', w.partition_key)), '[]')
      into v_busy_steps
      from holders h
      join strata_internal.steps w
        on w.asset_key = h.asset_key and w.partition_key = h.partition_key and w.id <> h.id
      where w.id = any(v_adopt);
      v_busy := array(select (x->>'id')::bigint from jsonb_array_elements(v_busy_steps) x);
      v_adopt := array(select unnest(v_adopt) except select unnest(v_busy));
    end if;

    -- One update per dependant: its count of upstream steps to wait for goes down, and when
    -- none is left it is released, or released and claimed at once for this worker (adopt: the
    -- attempt's id is drawn here and its row inserted by the same statement).
    with u as (
      update strata_internal.steps s
      set deps_remaining = s.deps_remaining - d.n,
        status = case
          when not (s.deps_remaining = d.n and s.status = any(v_release_from)) then s.status
          when s.id = any(v_adopt) then v_states->>'adopt_to'
          else v_states->>'release_to' end,
        attempts = case when s.deps_remaining = d.n and s.status = any(v_release_from) and s.id = any(v_adopt)
          then s.attempts + 1 else s.attempts end,
        current_attempt_id = case when s.deps_remaining = d.n and s.status = any(v_release_from) and s.id = any(v_adopt)
          then nextval(v_attempt_sequence) else s.current_attempt_id end,
        started_at = case when s.deps_remaining = d.n and s.status = any(v_release_from) and s.id = any(v_adopt)
          then coalesce(s.started_at, now()) else s.started_at end
      from unnest(v_dep_ids, v_dep_counts) as d(id, n)
      where s.id = d.id
      returning s.*, s.id = any(v_adopt) and s.status = v_states->>'adopt_to' as adopted
    ),
    c as (
      insert into strata_internal.attempts (id, step_id, run_id, number, worker_id, job_id, status)
      overriding system value
      select u.current_attempt_id, u.id, u.run_id, u.attempts, v_worker_id, v_job_id, v_states->>'claimed_attempt'
      from u where u.adopted
    )
    select
      coalesce(jsonb_agg((to_jsonb(u.*) - 'adopted')
          || jsonb_build_object('attempt_id', u.current_attempt_id, 'attempt_number', u.attempts)
          order by u.id) filter (where u.adopted), '[]'),
      jsonb_agg(jsonb_build_object('id', u.id, 'asset_key', u.asset_key, 'partition_key', u.partition_key, 'pool', u.pool)
        order by u.id) filter (where u.status = v_states->>'release_to' and u.deps_remaining = 0)
    into v_adopted, v_ready
    from u;
  end if;

  if v_ready is not null then
    -- Everything released and not adopted goes to the queue: busy partitions a little later,
    -- the rest now.
    perform graphile_worker.add_jobs(array(
      select json_populate_recordset(null::graphile_worker.job_spec, jobs.specs)
      from (
        select json_agg(json_build_object(
          'identifier', request->'queue'->>'task',
          'payload', json_build_object('run', v_run_id, 'steps', job.steps),
          'run_at', case when job.busy then now() + make_interval(secs => (request->'queue'->>'busy_retry_ms')::float8 / 1000) end,
          'max_attempts', (request->'queue'->>'max_attempts')::int)) as specs
        from (
          select g.asset_key, g.busy, array_agg(g.id order by g.id) as steps
          from (
            select x.asset_key, x.id, x.busy,
              (row_number() over (partition by x.asset_key, x.busy order by x.id) - 1)
                / greatest(1, least((request->'queue'->>'max_steps_per_job')::int,
                    (count(*) over (partition by x.asset_key, x.busy))
                      / ((request->'queue'->>'jobs_per_slot')::int * greatest(1, (request->>'concurrency')::int))))
                as job_index
            from (
              select y->>'asset_key' as asset_key, (y->>'id')::bigint as id, (y->>'id')::bigint = any(v_busy) as busy
              from jsonb_array_elements(v_ready) y
            ) x
          ) g
          group by g.asset_key, g.busy, g.job_index
        ) job
      ) jobs));
  end if;

  if cardinality(v_busy) > 0 then
    -- Said once per step, as the executor's claim says it.
    insert into strata_internal.events (run_id, step_id, asset_key, partition_key, kind, level, message, data)
    select v_run_id, b.id, b.asset_key, b.partition_key, 'step_partition_busy', 'info',
      b.asset_key || case when b.partition_key = '' then '' else '[' || b.partition_key || ']' end
        || ' waits: run ' || b.holder_run || ' is computing it',
      jsonb_build_object('runId', b.holder_run)
    from jsonb_to_recordset(v_busy_steps) as b(id bigint, holder_run bigint, asset_key text, partition_key text)
    where not exists (
      select 1 from strata_internal.events ev
      where ev.run_id = v_run_id and ev.step_id = b.id and ev.kind = 'step_partition_busy');
  end if;

  -- The run's pending count; the transaction that brings it to zero finishes the run.
  update strata_internal.runs set pending_steps = pending_steps - v_finished
  where id = v_run_id
  returning pending_steps, status into v_pending, v_run_status;
  perform pg_notify(request->>'channel', v_run_id::text);
  if v_pending <= 0 and v_run_status = 'running' then
    v_final := case when exists (
      select 1 from strata_internal.steps where run_id = v_run_id and status = any(v_run_failing)
    ) then 'failed' else 'succeeded' end;
    update strata_internal.runs set status = v_final, finished_at = now() where id = v_run_id;
    insert into strata_internal.events (run_id, kind, level, message)
    values (v_run_id, 'run_finished', case when v_final = 'failed' then 'error' else 'info' end,
      'run ' || v_run_id || ' ' || v_final);
  end if;

  return jsonb_build_object('adopted', v_adopted);
end;
$$;
