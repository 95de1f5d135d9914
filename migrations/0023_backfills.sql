-- Backfills (docs/backfills.md): a stored, durable target set of (asset, partition) pairs and
-- its progress. The whole set is written in the transaction that creates the backfill; drivers
-- (the foreground `strata backfill`, `strata backfill resume`, the automation daemon) launch its
-- runs in chunks and move each target through its states, so any process can continue it.
create table strata_internal.backfills (
  id bigint generated always as identity primary key,
  selection text not null,
  status text not null check (status in ('running', 'paused', 'canceled', 'succeeded', 'failed')),
  -- Partitions (targets) per run, and runs in flight at once.
  chunk_size int not null check (chunk_size > 0),
  max_runs int not null check (max_runs > 0),
  -- What it was created with (filters, force), for display.
  options jsonb not null default '{}',
  launched_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);

-- One row per target. state: pending (not launched yet, or to launch again), launched (its
-- chunk's run is in flight: run_id), done, failed, held (a blocking check holds it back).
create table strata_internal.backfill_targets (
  backfill_id bigint not null references strata_internal.backfills (id) on delete cascade,
  asset_key text not null,
  partition_key text not null,
  -- The target's place in dependency order (topological position of its asset, then partition).
  ord int not null,
  state text not null check (state in ('pending', 'launched', 'done', 'failed', 'held')),
  run_id bigint references strata_internal.runs (id),
  launches int not null default 0,
  error text,
  primary key (backfill_id, asset_key, partition_key)
);
-- Drivers read the targets not done yet, retries find the failed ones: by state, set-based.
create index backfill_targets_state_idx
  on strata_internal.backfill_targets (backfill_id, state);
create index backfills_running_idx on strata_internal.backfills (status) where status = 'running';
