// The statements of retention (`strata events prune`), one per function: find where the old
// events end, count or delete one batch of old events of finished runs (delivered to every
// OpenLineage sink), find the oldest tick that is always kept, count or delete one batch of old
// ticks. The loop is in ./prune-history.ts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/**
 * The id of the first event written at or after `cutoff` (undefined when there is none). Ids
 * grow with created_at, so the old events are the ones below it, found by the primary key
 * without an index on created_at (which every event insert would pay for). In steady state
 * (pruned an hour ago) the scan stops after a few rows.
 */
export async function selectFirstEventAfter(
  db: Kysely<Database>,
  cutoff: Date,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('strata_internal.events')
    .select('id')
    .where('created_at', '>=', cutoff)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Which events a batch may take: older than the cutoff, below `beforeId`, not of a running run. */
interface EventBatch {
  readonly cutoff: Date;
  /** Only ids above this (the previous batch's last), so no batch rescans kept rows. */
  readonly afterId: number;
  readonly beforeId: number | undefined;
  readonly limit: number;
}

function oldEventIds(db: Kysely<Database>, batch: EventBatch) {
  let query = db
    .selectFrom('strata_internal.events as e')
    .select('e.id')
    .where('e.id', '>', batch.afterId)
    .where('e.created_at', '<', batch.cutoff)
    // A running run's log is still read (the live progress, the claim's "said once" checks).
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('strata_internal.runs as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.id', '=', 'e.run_id')
            .where('r.status', '=', 'running'),
        ),
      ),
    )
    // An event a configured OpenLineage sink has not been delivered yet is its outbox
    // (docs/openlineage.md): kept until every sink's cursor has passed it.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('strata_internal.openlineage_cursors as c')
            .select(sql.lit(1).as('one'))
            .whereRef('c.delivered_event_id', '<', 'e.id'),
        ),
      ),
    )
    .orderBy('e.id')
    .limit(batch.limit);
  if (batch.beforeId !== undefined) query = query.where('e.id', '<', batch.beforeId);
  return query;
}

/** Deletes one batch of old events; each deleted row's id and kind. */
export async function deleteEventBatch(
  db: Kysely<Database>,
  batch: EventBatch,
): Promise<{ readonly id: number; readonly kind: string }[]> {
  return (
    db
      .deleteFrom('strata_internal.events')
      // = any(array(...)), not in (...): the planner then deletes by the primary key instead of
      // hash-joining the batch against a scan of the whole table.
      .where(sql<boolean>`id = any(array(${oldEventIds(db, batch)}))`)
      .returning(['id', 'kind'])
      .execute()
  );
}

/** How many events a prune with this cutoff would delete, by kind. */
export async function countOldEvents(
  db: Kysely<Database>,
  batch: Omit<EventBatch, 'afterId' | 'limit'>,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom(
      oldEventIds(db, { ...batch, afterId: 0, limit: Number.MAX_SAFE_INTEGER })
        .clearSelect()
        .clearOrderBy()
        .clearLimit()
        .select('e.kind')
        .as('old'),
    )
    .select(['old.kind', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('old.kind')
    .execute();
  return new Map(rows.map((r) => [r.kind, Number(r.count)]));
}

/** The id of the `keep`-th newest tick: it and the ticks after it are never deleted. */
export async function selectTickFloor(
  db: Kysely<Database>,
  keep: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('strata_internal.automation_ticks')
    .select('id')
    .orderBy('id', 'desc')
    .offset(keep - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Ticks a batch may take: started before the cutoff, finished, older than the kept ones. */
interface TickBatch {
  readonly cutoff: Date;
  readonly floorId: number;
  readonly limit: number;
}

function oldTickIds(db: Kysely<Database>, batch: TickBatch) {
  return db
    .selectFrom('strata_internal.automation_ticks')
    .select('id')
    .where('started_at', '<', batch.cutoff)
    .where('status', '!=', 'running')
    .where('id', '<', batch.floorId)
    .orderBy('id')
    .limit(batch.limit);
}

/** Deletes one batch of old ticks; how many. */
export async function deleteTickBatch(db: Kysely<Database>, batch: TickBatch): Promise<number> {
  const result = await db
    .deleteFrom('strata_internal.automation_ticks')
    .where(sql<boolean>`id = any(array(${oldTickIds(db, batch)}))`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How many ticks a prune with this cutoff would delete. */
export async function countOldTicks(
  db: Kysely<Database>,
  batch: Omit<TickBatch, 'limit'>,
): Promise<number> {
  const row = await db
    .selectFrom(
      oldTickIds(db, { ...batch, limit: Number.MAX_SAFE_INTEGER })
        .clearLimit()
        .as('old'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
