-- Asset checks (docs/semantics.md, "Asset checks"): every evaluation of a check on a
-- materialization, with the check's code version, so provenance says which version of which
-- check judged which materialization. Recorded in the transaction that records the
-- materialization (a check evaluated in its step) or on its own (`strata check`). The verdict
-- that counts is a check's latest evaluation on a materialization.
create table strata_internal.check_evaluations (
  id bigint generated always as identity primary key,
  materialization_id bigint not null references strata_internal.materializations (id),
  asset_key text not null,
  partition_key text not null,
  check_name text not null,
  check_version text not null,
  passed boolean not null,
  severity text not null check (severity in ('warn', 'error')),
  blocking boolean not null,
  description text,
  metadata jsonb not null default '{}',
  error jsonb,
  run_id bigint references strata_internal.runs (id),
  step_id bigint,
  evaluated_at timestamptz not null default now(),
  duration_ms double precision
);
create index check_evaluations_materialization_idx
  on strata_internal.check_evaluations (materialization_id, check_name, id desc);

-- Documented views (docs/sql.md).
create view strata.check_evaluations as
select
  e.id as check_evaluation_id,
  e.materialization_id,
  e.asset_key,
  nullif(e.partition_key, '') as partition_key,
  e.check_name,
  e.check_version,
  e.passed,
  e.severity,
  e.blocking,
  e.description,
  e.metadata,
  e.error,
  e.run_id,
  e.evaluated_at,
  e.duration_ms
from strata_internal.check_evaluations e;

-- The verdict of each check on each asset partition's latest materialization: its latest
-- evaluation there. A check never evaluated on it has no row.
create view strata.latest_check_results as
select distinct on (e.materialization_id, e.check_name)
  l.asset_key,
  nullif(l.partition_key, '') as partition_key,
  e.check_name,
  e.passed,
  e.severity,
  e.blocking,
  e.description,
  e.metadata,
  e.check_version,
  e.materialization_id,
  e.id as check_evaluation_id,
  e.evaluated_at
from strata_internal.latest_materializations l
join strata_internal.check_evaluations e on e.materialization_id = l.materialization_id
order by e.materialization_id, e.check_name, e.id desc;
