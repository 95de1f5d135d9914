-- Who launched a run: the named token or STRATA_TOKEN's `admin` through the API, `local` for a
-- loopback server without tokens, the OS `user@host` of `strata materialize`, the daemon's id
-- for automation. NULL for runs recorded before this column.
alter table strata_internal.runs add column launched_by text;

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
  r.trigger_reason,
  r.launched_by
from strata_internal.runs r
left join strata_internal.steps s on s.run_id = r.id
group by r.id;
