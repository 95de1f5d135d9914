// The statements of OpenLineage delivery, one per function: register a sink's cursor, lock
// and read it, read the ids after it, read the events to translate, move it.
import { sql, type Kysely } from 'kysely';
import type { Database, EventRow } from '../store/index.js';
import { TRANSLATED_KINDS } from './event-mapping.js';

/**
 * Creates the cursor of `sink` at the newest event if it has none: a sink delivers what happens
 * from when it is first configured on (the history is `strata lineage export --openlineage`).
 */
export async function registerCursor(db: Kysely<Database>, sink: string): Promise<void> {
  await db
    .insertInto('strata_internal.openlineage_cursors')
    .columns(['sink', 'delivered_event_id'])
    .expression((eb) =>
      eb
        .selectFrom('strata_internal.events')
        .select([
          sql.val(sink).as('sink'),
          sql<number>`coalesce(max(id), 0)`.as('delivered_event_id'),
        ]),
    )
    .onConflict((oc) => oc.column('sink').doNothing())
    .execute();
}

/**
 * The cursor of `sink`, locked for this transaction; undefined when another process holds it
 * (it is delivering) or the sink has no cursor.
 */
export async function lockCursor(trx: Kysely<Database>, sink: string): Promise<number | undefined> {
  const row = await trx
    .selectFrom('strata_internal.openlineage_cursors')
    .select('delivered_event_id')
    .where('sink', '=', sink)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return row?.delivered_event_id;
}

/** The ids and insert times of up to `limit` events after `afterId`, and the database's clock. */
export async function selectIdsAfter(
  trx: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<{ ids: { id: number; created_at: Date }[]; now: Date }> {
  const [ids, clock] = await Promise.all([
    trx
      .selectFrom('strata_internal.events')
      .select(['id', 'created_at'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute(),
    sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx),
  ]);
  return { ids, now: clock.rows[0]!.now };
}

/** The events in (afterId, upToId] that translate into OpenLineage events, ascending. */
export async function selectTranslatedEvents(
  db: Kysely<Database>,
  afterId: number,
  upToId: number,
): Promise<EventRow[]> {
  if (upToId <= afterId) return [];
  return db
    .selectFrom('strata_internal.events')
    .selectAll()
    .where('id', '>', afterId)
    .where('id', '<=', upToId)
    .where('kind', 'in', TRANSLATED_KINDS)
    .orderBy('id')
    .execute();
}

/** Moves the cursor of `sink` to `eventId`. */
export async function advanceCursor(
  trx: Kysely<Database>,
  sink: string,
  eventId: number,
): Promise<void> {
  await trx
    .updateTable('strata_internal.openlineage_cursors')
    .set({ delivered_event_id: eventId, delivered_at: sql<Date>`now()` })
    .where('sink', '=', sink)
    .execute();
}
