-- Automation: why a run was launched, each tick of the automation daemon (what it evaluated,
-- what it launched and what it held back), and the backoff of asset partitions whose automated
-- rebuild failed, so a failing asset is retried with backoff instead of relaunched every tick.

alter table strata_internal.runs add column trigger_reason text;

create table strata_internal.automation_ticks (
  id bigint generated always as identity primary key,
  daemon_id text not null,
  host text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null check (status in ('running', 'succeeded', 'failed')),
  evaluated_assets integer not null default 0,
  evaluated_partitions integer not null default 0,
  run_id bigint,
  -- [{key, partitions, rule, reason}]: what the run was launched for
  launched jsonb not null default '[]',
  -- [{key, partitions, reason}]: what needed a rebuild but was held back, and why
  held jsonb not null default '[]',
  error text
);
create index automation_ticks_started_idx on strata_internal.automation_ticks (id desc);

create table strata_internal.automation_backoff (
  asset_key text not null,
  partition_key text not null,
  failures integer not null,
  retry_after timestamptz not null,
  last_run_id bigint,
  primary key (asset_key, partition_key)
);

create or replace view strata.runs as
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
  count(s.id) filter (where s.status = 'skipped') as skipped,
  r.trigger_reason
from strata_internal.runs r
left join strata_internal.steps s on s.run_id = r.id
group by r.id;

create view strata.automation_ticks as
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
  t.error
from strata_internal.automation_ticks t;
