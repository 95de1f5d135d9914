-- Tool calls made by compute functions through MCP tool servers: one row per call, recorded as
-- it returns (so failed attempts keep theirs too), linked to the materialization when its
-- attempt succeeds.

create table strata_internal.tool_calls (
  id bigint generated always as identity primary key,
  run_id bigint,
  step_id bigint,
  attempt_id bigint not null,
  materialization_id bigint references strata_internal.materializations (id),
  server text not null,
  tool text not null,
  tool_version text,
  argument_hash text not null,
  idempotency_key text not null,
  result_id text,
  status text not null check (status in ('succeeded', 'failed')),
  error text,
  started_at timestamptz not null,
  duration_ms double precision not null
);
create index tool_calls_attempt_idx on strata_internal.tool_calls (attempt_id);
create index tool_calls_materialization_idx on strata_internal.tool_calls (materialization_id);

create view strata.tool_calls as
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
  c.duration_ms
from strata_internal.tool_calls c;
