// Writes a backfill and its whole target set in one transaction: one row for the backfill, one
// set-based insert (unnest of three arrays) for the targets, however many there are.
import { sql, type Kysely } from 'kysely';
import type { BackfillOptions, Database } from '../../store/index.js';

/** The targets of a backfill as parallel arrays, in dependency order. */
export interface TargetArrays {
  readonly keys: readonly string[];
  readonly partitions: readonly string[];
}

/** What a backfill row is created with. */
export interface BackfillSpec {
  readonly selection: string;
  readonly chunkSize: number;
  readonly maxRuns: number;
  readonly options: BackfillOptions;
  readonly launchedBy?: string;
}

/** Inserts the backfill `spec` with `targets` (all pending); returns its id. */
export async function insertBackfill(
  db: Kysely<Database>,
  spec: BackfillSpec,
  targets: TargetArrays,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('strata_internal.backfills')
      .values({
        selection: spec.selection,
        status: 'running',
        chunk_size: spec.chunkSize,
        max_runs: spec.maxRuns,
        options: JSON.stringify(spec.options),
        launched_by: spec.launchedBy ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into strata_internal.backfill_targets (backfill_id, asset_key, partition_key, ord, state)
      select ${id}, t.asset_key, t.partition_key, t.ord, 'pending'
      from unnest(${targets.keys}::text[], ${targets.partitions}::text[])
        with ordinality as t(asset_key, partition_key, ord)`.execute(trx);
    return id;
  });
}
