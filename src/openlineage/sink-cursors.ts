// The sinks the database delivers to, as `strata lineage sinks` shows them: each cursor, how many
// events are pending after it, and forgetting a sink no longer used (so that
// `strata events prune` may delete what it never received).
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** One sink's delivery state. */
export interface SinkCursor {
  readonly sink: string;
  readonly deliveredEventId: number;
  readonly deliveredAt: Date | null;
  /** Events of any kind after the cursor (not all of them become OpenLineage events). */
  readonly pendingEvents: number;
}

/** Every sink's cursor, by name. */
export async function listSinkCursors(db: Kysely<Database>): Promise<SinkCursor[]> {
  const rows = await db
    .selectFrom('strata_internal.openlineage_cursors as c')
    .select((eb) => [
      'c.sink',
      'c.delivered_event_id',
      'c.delivered_at',
      eb
        .selectFrom('strata_internal.events as e')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('e.id', '>', 'c.delivered_event_id')
        .as('pending'),
    ])
    .orderBy('c.sink')
    .execute();
  return rows.map((r) => ({
    sink: r.sink,
    deliveredEventId: r.delivered_event_id,
    deliveredAt: r.delivered_at,
    pendingEvents: Number(r.pending ?? 0),
  }));
}

/** Deletes the cursor of `sink`; whether it existed. */
export async function forgetSink(db: Kysely<Database>, sink: string): Promise<boolean> {
  const result = await db
    .deleteFrom('strata_internal.openlineage_cursors')
    .where('sink', '=', sink)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
