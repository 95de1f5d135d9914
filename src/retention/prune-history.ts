// Retention: deletes the old events of finished runs and the old automation ticks, in batches,
// never an event an OpenLineage sink's cursor has not passed (docs/openlineage.md), and nothing
// that lineage, provenance, statuses or the latest pointers read (docs/sql.md, "Retention").
// Each batch is its own short statement (its own transaction): a batch is self-consistent (any
// subset of old log rows of finished runs may go without the rest), so batching never leaves a
// state a reader could not already see, and no lock is held long.
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import {
  countOldEvents,
  countOldTicks,
  deleteEventBatch,
  deleteTickBatch,
  selectFirstEventAfter,
  selectTickFloor,
} from './prune-sql.js';

/** Rows per delete statement: short transactions, few round trips. */
export const PRUNE_BATCH_SIZE = 10_000;
/** The newest ticks are kept whatever their age, so `strata automation history` has something. */
export const KEEP_NEWEST_TICKS = 100;

/** What a prune does. */
export interface PruneOptions {
  /** Events and ticks written before this go. */
  readonly cutoff: Date;
  /** Count only. */
  readonly dryRun: boolean;
  readonly batchSize?: number;
  readonly keepTicks?: number;
  /** Called after each batch (progress). */
  readonly onBatch?: (removed: PruneTally) => void;
}

/** What a prune removed (or, dry, would remove). */
export interface PruneTally {
  /** Event rows by kind. */
  readonly events: Map<string, number>;
  ticks: number;
  batches: number;
}

/** Prunes (or counts) the events and ticks older than `options.cutoff`. */
export async function pruneHistory(
  db: Kysely<Database>,
  options: PruneOptions,
): Promise<PruneTally> {
  const limit = options.batchSize ?? PRUNE_BATCH_SIZE;
  const { cutoff } = options;
  const beforeId = await selectFirstEventAfter(db, cutoff);
  const floorId = (await selectTickFloor(db, options.keepTicks ?? KEEP_NEWEST_TICKS)) ?? 0;
  if (options.dryRun) {
    return {
      events: await countOldEvents(db, { cutoff, beforeId }),
      ticks: await countOldTicks(db, { cutoff, floorId }),
      batches: 0,
    };
  }
  const tally: PruneTally = { events: new Map(), ticks: 0, batches: 0 };
  let afterId = 0;
  for (;;) {
    const rows = await deleteEventBatch(db, { cutoff, afterId, beforeId, limit });
    if (rows.length === 0) break;
    for (const row of rows) {
      tally.events.set(row.kind, (tally.events.get(row.kind) ?? 0) + 1);
      if (row.id > afterId) afterId = row.id;
    }
    tally.batches += 1;
    options.onBatch?.(tally);
    if (rows.length < limit) break;
  }
  for (;;) {
    const deleted = await deleteTickBatch(db, { cutoff, floorId, limit });
    if (deleted === 0) break;
    tally.ticks += deleted;
    tally.batches += 1;
    options.onBatch?.(tally);
    if (deleted < limit) break;
  }
  return tally;
}
