// Appends events (the run's log: step started, retried, materialized, skipped, user log lines).
import type { Kysely } from 'kysely';
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
  await db
    .insertInto('strata_internal.events')
    .values(
      events.map((e) => ({
        run_id: e.runId,
        step_id: e.stepId ?? null,
        attempt_id: e.attemptId ?? null,
        asset_key: e.assetKey ?? null,
        partition_key: e.partitionKey ?? null,
        kind: e.kind,
        level: e.level ?? 'info',
        message: e.message,
        data: e.data === undefined ? null : JSON.stringify(e.data),
      })),
    )
    .execute();
}
