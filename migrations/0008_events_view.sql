-- The run's event log for SQL users (docs/sql.md lists every kind and what its data holds):
-- outcomes, retries, skips, lost attempts, expansions and the lines user code logged.
-- Events of unpartitioned assets have partition_key NULL, as in every view; events of a whole
-- run (run_started, run_finished, ...) have NULL step, attempt and asset.
create view strata.events as
select
  e.id as event_id,
  e.run_id,
  e.step_id,
  e.attempt_id,
  a.number as attempt,
  e.asset_key,
  nullif(e.partition_key, '') as partition_key,
  e.kind,
  e.level,
  e.message,
  e.data,
  e.created_at
from strata_internal.events e
left join strata_internal.attempts a on a.id = e.attempt_id;
