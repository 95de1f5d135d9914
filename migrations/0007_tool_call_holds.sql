-- Holds on tool-call idempotency keys: a row while a call with that key is in flight, so that
-- two workers (or two attempts of one step) never both send it. Taken with insert ... on
-- conflict do nothing before the call; deleted in the transaction that records the call in
-- tool_calls. A waiter takes the hold over only when the holding worker is no longer alive.

create table strata_internal.tool_call_holds (
  idempotency_key text primary key,
  server text not null,
  tool text not null,
  worker_id text not null,
  attempt_id bigint not null,
  acquired_at timestamptz not null default now()
);

create view strata.tool_calls_in_flight as
select
  h.idempotency_key,
  h.server,
  h.tool,
  h.worker_id,
  h.attempt_id,
  a.run_id,
  a.step_id,
  h.acquired_at,
  coalesce(w.status, 'unknown') as worker_status
from strata_internal.tool_call_holds h
left join strata_internal.attempts a on a.id = h.attempt_id
left join strata_internal.workers w on w.id = h.worker_id;

-- What a call went through to get its key: how long it waited for another holder, and the
-- attempt whose hold it took over (its worker was lost or stopped while holding the key).
alter table strata_internal.tool_calls
  add column waited_ms double precision not null default 0,
  add column took_over_from_attempt_id bigint;

create or replace view strata.tool_calls as
select
  c.id as tool_call_id,
  c.materialization_id,
  c.run_id,
  c.step_id,
  c.attempt_id,
  c.server,
  c.tool,
  c.tool_version,
  c.argument_hash,
  c.idempotency_key,
  c.result_id,
  c.status,
  c.error,
  c.started_at,
  c.duration_ms,
  c.waited_ms,
  c.took_over_from_attempt_id
from strata_internal.tool_calls c;
