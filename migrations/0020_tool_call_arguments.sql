-- What was sent to a tool, readable: the canonical arguments of each call (object keys sorted),
-- recorded with the call; credential-like values redacted and arguments over 64 KiB replaced by
-- a marker naming their size and hash (src/provenance/tool-call-arguments.ts). Null for calls
-- recorded before this migration, which kept only argument_hash.
alter table strata_internal.tool_calls add column arguments jsonb;

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
  c.took_over_from_attempt_id,
  c.arguments
from strata_internal.tool_calls c;
