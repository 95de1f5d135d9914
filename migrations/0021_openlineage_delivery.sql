-- OpenLineage delivery (docs/openlineage.md): one cursor per configured sink, an HTTP endpoint
-- (named by its URL without credentials or query) or a JSON-lines file on one machine
-- (`file://<host><path>`). The
-- events table is the outbox: every event with an id at or below a sink's cursor has been
-- delivered to it; the events after it are pending. A process moves a cursor in the same
-- transaction that locks its row (select ... for update skip locked), so two processes never
-- deliver to one sink at once, and `strata events prune` keeps every event above the lowest
-- cursor.
create table strata_internal.openlineage_cursors (
  sink text primary key,
  delivered_event_id bigint not null,
  delivered_at timestamptz,
  created_at timestamptz not null default now()
);
