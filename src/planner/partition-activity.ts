// Live run state of asset partitions, beside their status: which have a step queued or running
// in a running run, and which failed in their most recent step without having been materialized
// since. One set-based query over steps and runs for any number of assets.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { CLAIMABLE_STEP_STATUSES, type Database } from '../store/index.js';

/** What is happening to an asset partition: running now, or failed and not made good since. */
export type PartitionActivity = 'running' | 'failed';

/** The activity flags of one partition (both may hold: a newer run failed, an older one runs). */
export interface ActivityFlags {
  /** A step of it is queued, running or retrying in a run whose status is running. */
  readonly running: boolean;
  /**
   * Its most recent step (across all runs, by step id) failed, and its latest materialization,
   * if any, is older than that failure.
   */
  readonly failed: boolean;
}

/** Partitions with activity, by asset; partitions without any are absent. */
export type ActivityReport = ReadonlyMap<AssetKey, ReadonlyMap<PartitionKey, ActivityFlags>>;

/**
 * Step statuses that count as running while their run runs: the claimable ones (queued or
 * retrying, a job will run them; or running).
 */
const ACTIVE_STEP_STATUSES = CLAIMABLE_STEP_STATUSES;

/**
 * The activity of every partition of `keys` (of every asset when omitted), in one query. Its
 * cost is one pass over the steps table (a hash aggregate: about 35 ms per 100,000 steps); no
 * index covers it, because an index on a step column that changes would make every step update
 * a non-HOT update on the execution hot path.
 */
export async function loadPartitionActivity(
  db: Kysely<Database>,
  keys?: readonly AssetKey[],
): Promise<ActivityReport> {
  const assets = keys === undefined ? undefined : [...keys];
  if (assets !== undefined && assets.length === 0) return new Map();

  let running = db
    .selectFrom('strata_internal.steps as s')
    .innerJoin('strata_internal.runs as r', 'r.id', 's.run_id')
    .select([
      's.asset_key',
      's.partition_key',
      sql<boolean>`true`.as('running'),
      sql<boolean>`false`.as('failed'),
    ])
    .where('r.status', '=', 'running')
    .where('s.status', 'in', ACTIVE_STEP_STATUSES);
  // The most recent step of each partition, kept when it is also its most recent failed step.
  let lastFailedSteps = db
    .selectFrom('strata_internal.steps')
    .select((eb) => eb.fn.max('id').as('id'))
    .groupBy(['asset_key', 'partition_key'])
    .having((eb) => eb(eb.fn.max('id'), '=', eb.fn.max('id').filterWhere('status', '=', 'failed')));
  if (assets !== undefined) {
    running = running.where('s.asset_key', '=', (eb) => eb.fn.any(eb.val(assets)));
    lastFailedSteps = lastFailedSteps.where('asset_key', '=', (eb) => eb.fn.any(eb.val(assets)));
  }
  const failed = db
    .selectFrom(lastFailedSteps.as('last'))
    .innerJoin('strata_internal.steps as f', 'f.id', 'last.id')
    .leftJoin('strata_internal.latest_materializations as lm', (join) =>
      join
        .onRef('lm.asset_key', '=', 'f.asset_key')
        .onRef('lm.partition_key', '=', 'f.partition_key'),
    )
    .select([
      'f.asset_key',
      'f.partition_key',
      sql<boolean>`false`.as('running'),
      sql<boolean>`true`.as('failed'),
    ])
    // A step a blocking check failed recorded its materialization: the partition is blocked
    // (its status says so), not failed, while that materialization is the latest.
    .where((eb) =>
      eb.and([
        eb.or([
          eb('lm.materialized_at', 'is', null),
          eb('lm.materialized_at', '<', eb.ref('f.finished_at')),
        ]),
        eb.or([
          eb('f.materialization_id', 'is', null),
          eb('lm.materialization_id', 'is', null),
          eb('f.materialization_id', '<>', eb.ref('lm.materialization_id')),
        ]),
      ]),
    );
  const rows = await db
    .selectFrom(running.unionAll(failed).as('a'))
    .select((eb) => [
      'a.asset_key',
      'a.partition_key',
      eb.fn<boolean>('bool_or', ['a.running']).as('running'),
      eb.fn<boolean>('bool_or', ['a.failed']).as('failed'),
    ])
    .groupBy(['a.asset_key', 'a.partition_key'])
    .execute();

  const report = new Map<AssetKey, Map<PartitionKey, ActivityFlags>>();
  for (const row of rows) {
    const key = row.asset_key as AssetKey;
    let partitions = report.get(key);
    if (partitions === undefined) report.set(key, (partitions = new Map()));
    partitions.set(row.partition_key as PartitionKey, {
      running: row.running,
      failed: row.failed,
    });
  }
  return report;
}

/** The activity of one partition in `report`: running over failed, null when neither. */
export function activityOf(
  report: ActivityReport | undefined,
  key: AssetKey,
  partition: PartitionKey,
): PartitionActivity | null {
  const flags = report?.get(key)?.get(partition);
  if (flags === undefined) return null;
  return flags.running ? 'running' : flags.failed ? 'failed' : null;
}
