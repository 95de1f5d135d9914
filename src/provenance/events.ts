// Appends events (the run's log: step started, retried, materialized, skipped, user log lines).
// Each kind's payload is checked against the one map in store/event-kinds.ts.
import { sql, type Kysely } from 'kysely';
import type {
  Database,
  EventDataMap,
  EventKind,
  EventLevel,
  EventRow,
  EventRowOf,
} from '../store/index.js';

/** Where an event happened and what it says: everything but its kind and payload. */
export interface EventContext {
  readonly runId: number | null;
  readonly stepId?: number | null;
  readonly attemptId?: number | null;
  readonly assetKey?: string | null;
  /** `''` for an unpartitioned asset, as in the steps table. */
  readonly partitionKey?: string | null;
}

/** The payload field of kind `K`: required when it has one, optional (and null) when not. */
type DataField<K extends EventKind> = null extends EventDataMap[K]
  ? { readonly data?: EventDataMap[K] }
  : { readonly data: EventDataMap[K] };

/**
 * One event to append: a discriminated union over `kind`, so each kind's `data` is checked.
 * `NewEvent<'step_failed'>` is the event of one kind.
 */
export type NewEvent<K extends EventKind = EventKind> = {
  [P in K]: EventContext & {
    readonly kind: P;
    readonly level?: EventLevel;
    readonly message: string;
  } & DataField<P>;
}[K];

/** The value of the `data` column for `event` (SQL null when it has no payload). */
export function eventDataJson<K extends EventKind>(event: NewEvent<K>): string | null {
  return event.data === undefined || event.data === null ? null : JSON.stringify(event.data);
}

/** Appends events in one statement (nothing when the list is empty). */
export async function appendEvents<K extends EventKind>(
  db: Kysely<Database>,
  events: readonly NewEvent<K>[],
): Promise<void> {
  if (events.length === 0) return;
  const column = <T>(pick: (e: NewEvent<K>) => T): T[] => events.map(pick);
  await sql`
    insert into strata_internal.events (run_id, step_id, attempt_id, asset_key, partition_key, kind, level, message, data)
    select * from unnest(
      ${column((e) => e.runId)}::bigint[], ${column((e) => e.stepId ?? null)}::bigint[], ${column((e) => e.attemptId ?? null)}::bigint[],
      ${column((e) => e.assetKey ?? null)}::text[], ${column((e) => e.partitionKey ?? null)}::text[], ${column((e) => e.kind)}::text[],
      ${column((e) => e.level ?? 'info')}::text[], ${column((e) => e.message)}::text[],
      ${column(eventDataJson)}::jsonb[])`.execute(db);
}

/** Narrows a stored event to kind `kind`, so its `data` is typed by EventDataMap. */
export function isEventOf<K extends EventKind>(row: EventRow, kind: K): row is EventRowOf<K> {
  return row.kind === kind;
}
