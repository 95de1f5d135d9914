-- Source assets: external inputs that are observed, not computed. An observation that finds a
-- new data version is recorded as a materialization of kind 'observed' (no run); every
-- observation, changed or not, moves the partition's observed_at, which freshness policies of
-- source assets are judged by. Automation ticks record what they observed.

alter table strata_internal.materializations
  add column kind text not null default 'computed' check (kind in ('computed', 'observed'));

alter table strata_internal.latest_materializations add column observed_at timestamptz;

-- [{key, partitions, outcome, dataVersion, error}]: the source observations of a tick
alter table strata_internal.automation_ticks add column observed jsonb not null default '[]';

create or replace view strata.materializations as
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
  m.git_commit,
  m.kind
from strata_internal.materializations m
left join strata_internal.attempts a on a.id = m.attempt_id;

-- The latest observation of every source asset partition: when it was last looked at, and the
-- version it found (the materialization of kind 'observed' that recorded it).
create view strata.source_observations as
select
  l.asset_key,
  nullif(l.partition_key, '') as partition_key,
  l.data_version,
  l.materialization_id,
  l.materialized_at as version_observed_at,
  l.observed_at as last_observed_at
from strata_internal.latest_materializations l
where l.observed_at is not null;

create or replace view strata.automation_ticks as
select
  t.id as tick_id,
  t.daemon_id,
  t.host,
  t.started_at,
  t.finished_at,
  t.status,
  t.evaluated_assets,
  t.evaluated_partitions,
  t.run_id,
  t.launched,
  t.held,
  t.error,
  t.observed
from strata_internal.automation_ticks t;
