-- Executing approved plans (docs/plans.md). A plan runs as one run per segment of its pipeline:
-- up to its first checkpoint, up to the next, ..., then the rest. runs.plan_id ties each run to
-- its plan; runs.plan_checkpoint is the index of the checkpoint the run stops at (NULL for the
-- last segment). Approvals record the code versions of the pipeline's assets the approver saw;
-- execution refuses when those running differ. When a plan's run ends, the trigger below moves
-- the plan on (running -> waiting at a checkpoint, done, failed or stopped) in the same
-- transaction, whichever path ended the run (the completing function, a cancel, a resume).
alter table strata_internal.runs add column plan_id text references strata_internal.plans (id);
alter table strata_internal.runs add column plan_checkpoint integer;
create index runs_plan_idx on strata_internal.runs (plan_id, id) where plan_id is not null;

alter table strata_internal.plans add column checkpoints_passed integer not null default 0;
alter table strata_internal.plans add column tool_calls_used integer not null default 0;
alter table strata_internal.plan_transitions add column code_versions jsonb;
alter table strata_internal.plan_transitions add column run_id bigint;

create function strata_internal.plan_run_status_changed() returns trigger
language plpgsql as $$
declare
  v_state text;
  v_to text;
begin
  select state into v_state from strata_internal.plans where id = new.plan_id for update;
  if new.status = 'running' then
    -- A resumed run takes its plan back to running.
    if v_state not in ('failed', 'stopped') then return null; end if;
    v_to := 'running';
  else
    if v_state <> 'running' then return null; end if;
    v_to := case new.status
      when 'succeeded' then case when new.plan_checkpoint is null then 'done' else 'waiting' end
      when 'failed' then 'failed'
      else 'stopped'
    end;
  end if;
  update strata_internal.plans set state = v_to where id = new.plan_id;
  insert into strata_internal.plan_transitions (plan_id, from_state, to_state, actor, origin, comment, run_id)
  values (new.plan_id, v_state, v_to, 'strata', 'run ' || new.id,
    case v_to
      when 'waiting' then 'reached checkpoint ' || (new.plan_checkpoint + 1)
      when 'running' then 'run ' || new.id || ' resumed'
      else 'run ' || new.id || ' ' || new.status
    end,
    new.id);
  return null;
end;
$$;

create trigger runs_plan_status after update of status on strata_internal.runs
for each row when (new.plan_id is not null and new.status is distinct from old.status)
execute function strata_internal.plan_run_status_changed();

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
  r.launched_by,
  r.plan_id
from strata_internal.runs r
left join strata_internal.steps s on s.run_id = r.id
group by r.id;

create or replace view strata.plans as
select p.id as plan_id, p.study, p.title, p.state, p.predecessor, p.proposed_by, p.proposed_at,
  p.document, p.checkpoints_passed, p.tool_calls_used
from strata_internal.plans p;

create or replace view strata.plan_transitions as
select t.plan_id, t.from_state, t.to_state, t.actor, t.origin, t.comment, t.at, t.code_versions,
  t.run_id
from strata_internal.plan_transitions t;

-- Approvals: of the plan, and of each checkpoint, with the code versions the approver saw.
create view strata.plan_approvals as
select t.plan_id, t.to_state = 'approved' as of_plan, t.actor as approved_by, t.origin, t.comment,
  t.at, t.code_versions
from strata_internal.plan_transitions t
where (t.from_state = 'proposed' and t.to_state = 'approved')
   or (t.from_state = 'waiting' and t.to_state = 'running');

-- What a dynamic partition was added with, fixed from then on: for a study's DOE asset, the
-- approved plan (its document and design points), which the asset's compute reads as
-- ctx.partitionPayload.
alter table strata_internal.dynamic_partitions add column payload jsonb;
