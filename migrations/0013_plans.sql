-- Experiment plans (docs/plans.md): each proposed plan, immutable, under the id that hashes its
-- content, and every change of its state with who made it, when, from where and why. A plan's
-- state is the target of its latest transition; the gate's rules live in src/plans/plan-states.ts.
create table strata_internal.plans (
  id text primary key check (id ~ '^plan-[0-9a-f]{16}$'),
  study text not null,
  title text not null,
  document jsonb not null,
  predecessor text references strata_internal.plans (id),
  state text not null,
  proposed_by text not null,
  proposed_at timestamptz not null default now()
);

create table strata_internal.plan_transitions (
  id bigint generated always as identity primary key,
  plan_id text not null references strata_internal.plans (id),
  from_state text,
  to_state text not null,
  actor text not null,
  origin text not null,
  comment text,
  at timestamptz not null default now()
);
create index plan_transitions_plan_idx on strata_internal.plan_transitions (plan_id, id);

create view strata.plans as
select p.id as plan_id, p.study, p.title, p.state, p.predecessor, p.proposed_by, p.proposed_at,
  p.document
from strata_internal.plans p;

create view strata.plan_transitions as
select t.plan_id, t.from_state, t.to_state, t.actor, t.origin, t.comment, t.at
from strata_internal.plan_transitions t;
