// Appends events (the run's log: step started, retried, materialized, skipped, user log lines).
import { sql, type Kysely } from 'kysely';
import type { Database, EventLevel } from '../store/index.js';

/** One event to append. */
export interface NewEvent {
  readonly runId: number | null;
  readonly stepId?: number | null;
  readonly attemptId?: number | null;
  readonly assetKey?: string | null;
  readonly partitionKey?: string | null;
  readonly kind: string;
  readonly level?: EventLevel;
  readonly message: string;
  readonly data?: unknown;
}

/** Appends events in one statement (nothing when the list is empty). */
export async function appendEvents(
  db: Kysely<Database>,
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const column = <T>(pick: (e: NewEvent) => T): T[] => events.map(pick);
  await sql`
    insert into strata_internal.events (run_id, step_id, attempt_id, asset_key, partition_key, kind, level, message, data)
    select * from unnest(
      ${column((e) => e.runId)}::bigint[], ${column((e) => e.stepId ?? null)}::bigint[], ${column((e) => e.attemptId ?? null)}::bigint[],
      ${column((e) => e.assetKey ?? null)}::text[], ${column((e) => e.partitionKey ?? null)}::text[], ${column((e) => e.kind)}::text[],
      ${column((e) => e.level ?? 'info')}::text[], ${column((e) => e.message)}::text[],
      ${column((e) => (e.data === undefined ? null : JSON.stringify(e.data)))}::jsonb[])`.execute(
    db,
  );
}
