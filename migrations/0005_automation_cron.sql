-- On-cron automation: the latest cron tick each asset partition was launched for, written by the
-- acting daemon right after it launches the run, so a partition is launched once per cron tick
-- even when the daemon restarts or another daemon takes the lead.

create table strata_internal.automation_cron_launches (
  asset_key text not null,
  partition_key text not null,
  -- the tick of the asset's schedule this launch served
  cron_tick timestamptz not null,
  run_id bigint not null,
  launched_at timestamptz not null,
  primary key (asset_key, partition_key)
);
