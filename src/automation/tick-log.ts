// The tick history: each tick of the acting daemon as one row (started, then finished with what
// it evaluated, launched and held back), read by `strata automation history` and the API. Rows
// older than a week are deleted as ticks go by.
import { sql, type Kysely } from 'kysely';
import type { AutomationTickRow, Database, ObservedEntry, TickEntry } from '../store/index.js';

/** Ticks are kept this long: enough to answer "why did this run start last Tuesday". */
export const TICK_RETENTION_MS = 7 * 24 * 3_600_000;

/** Records the start of a tick; returns its id. */
export async function startTick(
  db: Kysely<Database>,
  daemonId: string,
  host: string,
  startedAt: Date,
): Promise<number> {
  const row = await db
    .insertInto('strata_internal.automation_ticks')
    .values({ daemon_id: daemonId, host, started_at: startedAt, status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What a tick did. */
export interface TickRecord {
  readonly status: 'succeeded' | 'failed';
  readonly evaluatedAssets: number;
  readonly evaluatedPartitions: number;
  readonly runId: number | null;
  readonly launched: readonly TickEntry[];
  readonly held: readonly TickEntry[];
  /** Source assets observed by the tick, grouped by asset and outcome. */
  readonly observed?: readonly ObservedEntry[];
  readonly error?: string;
}

/** Records how tick `id` ended, and deletes ticks past the retention. */
export async function finishTick(
  db: Kysely<Database>,
  id: number,
  outcome: TickRecord & { readonly finishedAt: Date },
): Promise<void> {
  await db
    .updateTable('strata_internal.automation_ticks')
    .set({
      status: outcome.status,
      finished_at: outcome.finishedAt,
      evaluated_assets: outcome.evaluatedAssets,
      evaluated_partitions: outcome.evaluatedPartitions,
      run_id: outcome.runId,
      launched: JSON.stringify(outcome.launched),
      held: JSON.stringify(outcome.held),
      observed: JSON.stringify(outcome.observed ?? []),
      error: outcome.error ?? null,
    })
    .where('id', '=', id)
    .execute();
  await db
    .deleteFrom('strata_internal.automation_ticks')
    .where('started_at', '<', new Date(outcome.finishedAt.getTime() - TICK_RETENTION_MS))
    .execute();
}

/** The latest ticks, newest first (before tick `beforeId` when given). */
export async function listTicks(
  db: Kysely<Database>,
  options: { limit: number; beforeId?: number },
): Promise<AutomationTickRow[]> {
  let query = db
    .selectFrom('strata_internal.automation_ticks')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  return query.execute();
}

/** Marks ticks left 'running' by a daemon that died mid-tick as failed. */
export async function closeAbandonedTicks(db: Kysely<Database>, daemonId: string): Promise<void> {
  await db
    .updateTable('strata_internal.automation_ticks')
    .set({ status: 'failed', finished_at: sql`now()`, error: 'the daemon stopped during the tick' })
    .where('status', '=', 'running')
    .where('daemon_id', '!=', daemonId)
    .execute();
}
