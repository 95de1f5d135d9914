-- Approval policies of experiment plans (docs/plans.md): a project may require several distinct
-- approvers. Each approval records how many distinct approvals the plan has for the code it saw
-- (approvals); the one that reaches the project's requirement moves the plan to approved, the
-- others leave its state as it is. Execution requires the latest approval to have reached it.
alter table strata_internal.plan_transitions add column approvals integer;
update strata_internal.plan_transitions set approvals = 1
where to_state = 'approved' and code_versions is not null;

create or replace view strata.plan_transitions as
select t.plan_id, t.from_state, t.to_state, t.actor, t.origin, t.comment, t.at, t.code_versions,
  t.run_id, t.approvals
from strata_internal.plan_transitions t;

create or replace view strata.plan_approvals as
select t.plan_id, t.approvals is not null as of_plan, t.actor as approved_by, t.origin, t.comment,
  t.at, t.code_versions, t.approvals
from strata_internal.plan_transitions t
where t.approvals is not null
   or (t.from_state = 'waiting' and t.to_state = 'running');
