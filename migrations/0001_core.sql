-- strata core schema: definitions, runs, steps, attempts, workers, materializations and their
-- input edges, events, artifacts, dynamic partitions and concurrency-pool slots.
-- Raw tables live in strata_internal; the documented, stable views for data teams live in strata.
-- Unpartitioned assets use the partition key '' in raw tables (NULL in the views).
-- Rows written on the execution hot path (steps, edges, attempts, events, and the run/step/
-- attempt columns of materializations) reference runs, steps and attempts without foreign
-- keys: they are only written by the engine's own transactions, and a foreign-key check per row
-- (a KEY SHARE lock on the one run row for each of thousands of steps) costs more than all the
-- rest of the write. Provenance keeps its foreign keys: input edges, reuse and artifact links.

create schema if not exists strata_internal;
create schema if not exists strata;

create table strata_internal.asset_definitions (
  id bigint generated always as identity primary key,
  asset_key text not null,
  code_version text not null,
  definition_hash text not null,
  snapshot jsonb not null,
  first_seen_at timestamptz not null default now(),
  unique (asset_key, definition_hash)
);

create table strata_internal.runs (
  id bigint generated always as identity primary key,
  status text not null check (status in ('running', 'succeeded', 'failed', 'canceled')),
  selection text not null,
  options jsonb not null default '{}',
  trigger text not null default 'cli',
  git_commit text,
  host text not null,
  pid integer,
  -- steps not yet in a terminal state; the step that brings it to 0 finishes the run
  pending_steps integer not null default 0,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index runs_status_idx on strata_internal.runs (status) where status = 'running';

create table strata_internal.steps (
  id bigint generated always as identity primary key,
  run_id bigint not null,
  asset_key text not null,
  partition_key text not null default '',
  status text not null check (status in (
    'waiting', 'queued', 'running', 'retrying',
    'succeeded', 'reused', 'fresh', 'failed', 'skipped', 'canceled'
  )),
  deps_remaining integer not null,
  attempts integer not null default 0,
  max_attempts integer not null,
  code_version text not null,
  pool text,
  reasons jsonb not null default '[]',
  input_hash text,
  materialization_id bigint,
  current_attempt_id bigint,
  error jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  unique (run_id, asset_key, partition_key)
) with (fillfactor = 70);
-- Steps change state several times; no index covers a column that changes (status, attempts,
-- materialization), and pages keep room, so those updates are HOT (no index maintenance).
-- Per-run queries use the unique index's run_id prefix.

create table strata_internal.step_edges (
  run_id bigint not null,
  upstream_step_id bigint not null,
  downstream_step_id bigint not null,
  primary key (upstream_step_id, downstream_step_id)
);
create index step_edges_downstream_idx on strata_internal.step_edges (downstream_step_id);

create table strata_internal.workers (
  id text primary key,
  host text not null,
  pid integer not null,
  concurrency integer not null,
  queue_worker_ids text[] not null default '{}',
  status text not null check (status in ('alive', 'stopped', 'lost')),
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now(),
  stopped_at timestamptz
);
create index workers_alive_idx on strata_internal.workers (heartbeat_at) where status = 'alive';

create table strata_internal.attempts (
  id bigint generated always as identity primary key,
  step_id bigint not null,
  run_id bigint not null,
  number integer not null,
  worker_id text not null,
  job_id text,
  status text not null check (status in ('running', 'succeeded', 'failed', 'timed_out', 'lost', 'canceled')),
  error jsonb,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (step_id, number)
);
create index attempts_running_idx on strata_internal.attempts (worker_id) where status = 'running';

create table strata_internal.materializations (
  id bigint generated always as identity primary key,
  asset_key text not null,
  partition_key text not null default '',
  run_id bigint,
  step_id bigint,
  attempt_id bigint,
  code_version text not null,
  data_version text not null,
  input_hash text not null,
  value jsonb,
  value_artifact text,
  value_size integer not null,
  metadata jsonb not null default '{}',
  partition_keys text[],
  reused_from bigint references strata_internal.materializations (id),
  started_at timestamptz,
  finished_at timestamptz not null,
  duration_ms double precision,
  host text,
  worker_id text,
  git_commit text,
  created_at timestamptz not null default now(),
  unique (run_id, asset_key, partition_key)
);
create index materializations_history_idx on strata_internal.materializations (asset_key, partition_key, id desc);
create index materializations_input_hash_idx on strata_internal.materializations (asset_key, input_hash);

create table strata_internal.latest_materializations (
  asset_key text not null,
  partition_key text not null,
  materialization_id bigint not null references strata_internal.materializations (id),
  code_version text not null,
  data_version text not null,
  input_hash text not null,
  materialized_at timestamptz not null,
  primary key (asset_key, partition_key)
);

create table strata_internal.materialization_inputs (
  materialization_id bigint not null references strata_internal.materializations (id),
  input_name text not null,
  dep_asset_key text not null,
  dep_partition_key text not null,
  dep_materialization_id bigint not null references strata_internal.materializations (id),
  dep_data_version text not null,
  primary key (materialization_id, dep_materialization_id)
);
create index materialization_inputs_dep_idx on strata_internal.materialization_inputs (dep_materialization_id);

create table strata_internal.events (
  id bigint generated always as identity primary key,
  run_id bigint,
  step_id bigint,
  attempt_id bigint,
  asset_key text,
  partition_key text,
  kind text not null,
  level text not null default 'info' check (level in ('debug', 'info', 'warn', 'error')),
  message text not null,
  data jsonb,
  created_at timestamptz not null default clock_timestamp()
);
create index events_run_idx on strata_internal.events (run_id, id);

create table strata_internal.artifacts (
  sha256 text primary key,
  size bigint not null,
  content_type text not null,
  created_at timestamptz not null default now()
);

create table strata_internal.materialization_artifacts (
  materialization_id bigint not null references strata_internal.materializations (id),
  sha256 text not null references strata_internal.artifacts (sha256),
  name text not null,
  primary key (materialization_id, sha256, name)
);
create index materialization_artifacts_sha_idx on strata_internal.materialization_artifacts (sha256);

create table strata_internal.dynamic_partitions (
  set_name text not null,
  partition_key text not null,
  added_at timestamptz not null default now(),
  primary key (set_name, partition_key)
);

create table strata_internal.pool_slots (
  pool text not null,
  slot integer not null,
  attempt_id bigint,
  worker_id text,
  acquired_at timestamptz,
  primary key (pool, slot)
);

-- Documented views (docs/sql.md): a stable contract for data teams.

create view strata.latest_materializations as
select
  l.asset_key,
  nullif(l.partition_key, '') as partition_key,
  m.id as materialization_id,
  m.run_id,
  m.code_version,
  m.data_version,
  m.input_hash,
  m.value,
  m.value_artifact,
  m.metadata,
  m.reused_from,
  m.finished_at as materialized_at
from strata_internal.latest_materializations l
join strata_internal.materializations m on m.id = l.materialization_id;

create view strata.materializations as
select
  m.id as materialization_id,
  m.asset_key,
  nullif(m.partition_key, '') as partition_key,
  m.run_id,
  m.step_id,
  a.number as attempt,
  m.code_version,
  m.data_version,
  m.input_hash,
  m.value,
  m.value_artifact,
  m.metadata,
  m.reused_from,
  m.started_at,
  m.finished_at,
  m.duration_ms,
  m.host,
  m.worker_id,
  m.git_commit
from strata_internal.materializations m
left join strata_internal.attempts a on a.id = m.attempt_id;

create view strata.lineage_edges as
select
  i.materialization_id,
  m.asset_key,
  nullif(m.partition_key, '') as partition_key,
  i.input_name,
  i.dep_materialization_id as upstream_materialization_id,
  i.dep_asset_key as upstream_asset_key,
  nullif(i.dep_partition_key, '') as upstream_partition_key,
  i.dep_data_version as upstream_data_version
from strata_internal.materialization_inputs i
join strata_internal.materializations m on m.id = i.materialization_id;

create view strata.runs as
select
  r.id as run_id,
  r.status,
  r.selection,
  r.trigger,
  r.created_at,
  r.finished_at,
  count(s.id) as steps,
  count(s.id) filter (where s.status = 'succeeded') as computed,
  count(s.id) filter (where s.status = 'reused') as reused,
  count(s.id) filter (where s.status = 'fresh') as cut_off,
  count(s.id) filter (where s.status = 'failed') as failed,
  count(s.id) filter (where s.status = 'skipped') as skipped
from strata_internal.runs r
left join strata_internal.steps s on s.run_id = r.id
group by r.id;

-- Every materialization upstream of one, with its distance (1 = direct input).
create function strata.upstream_of(root bigint, max_depth integer default 1000)
returns table (materialization_id bigint, asset_key text, partition_key text, data_version text, depth integer)
language sql stable as $$
  with recursive walk(id, depth) as (
    select i.dep_materialization_id, 1
    from strata_internal.materialization_inputs i
    where i.materialization_id = root
    union
    select i.dep_materialization_id, w.depth + 1
    from walk w
    join strata_internal.materialization_inputs i on i.materialization_id = w.id
    where w.depth < max_depth
  )
  select m.id, m.asset_key, nullif(m.partition_key, ''), m.data_version, min(w.depth)::integer
  from walk w
  join strata_internal.materializations m on m.id = w.id
  group by m.id, m.asset_key, m.partition_key, m.data_version
$$;

-- Every materialization that consumed one, directly or transitively, with its distance.
create function strata.downstream_of(root bigint, max_depth integer default 1000)
returns table (materialization_id bigint, asset_key text, partition_key text, data_version text, depth integer)
language sql stable as $$
  with recursive walk(id, depth) as (
    select i.materialization_id, 1
    from strata_internal.materialization_inputs i
    where i.dep_materialization_id = root
    union
    select i.materialization_id, w.depth + 1
    from walk w
    join strata_internal.materialization_inputs i on i.dep_materialization_id = w.id
    where w.depth < max_depth
  )
  select m.id, m.asset_key, nullif(m.partition_key, ''), m.data_version, min(w.depth)::integer
  from walk w
  join strata_internal.materializations m on m.id = w.id
  group by m.id, m.asset_key, m.partition_key, m.data_version
$$;
