// The durable record of on-cron launches (migrations/0005_automation_cron.sql): the latest cron
// tick each partition was launched for, with how its step in that run ended, so a restarted or
// new leader does not launch a partition twice for the same tick.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { Database } from '../store/index.js';
import { partitionId } from './backoff.js';
import type { CronLaunch } from './cron-rule.js';

/** The launches of the partitions of `keys`, by partitionId, with their steps' statuses. */
export async function loadCronLaunches(
  db: Kysely<Database>,
  keys: readonly AssetKey[],
): Promise<Map<string, CronLaunch>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('strata_internal.automation_cron_launches as c')
    .leftJoin('strata_internal.steps as s', (join) =>
      join
        .onRef('s.run_id', '=', 'c.run_id')
        .onRef('s.asset_key', '=', 'c.asset_key')
        .onRef('s.partition_key', '=', 'c.partition_key'),
    )
    .select(['c.asset_key', 'c.partition_key', 'c.cron_tick', 'c.run_id', 's.status'])
    .where('c.asset_key', '=', (eb) => eb.fn.any(eb.val([...keys])))
    .execute();
  return new Map(
    rows.map((row) => [
      partitionId(row.asset_key as AssetKey, row.partition_key),
      { tick: row.cron_tick, runId: Number(row.run_id), stepStatus: row.status },
    ]),
  );
}

/** Records that run `runId` was launched for the cron ticks of `items` (on-cron items only). */
export async function recordCronLaunches(
  db: Kysely<Database>,
  items: readonly { key: AssetKey; partition: PartitionKey; cronTick?: Date }[],
  runId: number,
  launchedAt: Date,
): Promise<void> {
  const rows = items.flatMap((item) =>
    item.cronTick === undefined
      ? []
      : [
          {
            asset_key: item.key,
            partition_key: item.partition,
            cron_tick: item.cronTick,
            run_id: runId,
            launched_at: launchedAt,
          },
        ],
  );
  if (rows.length === 0) return;
  await db
    .insertInto('strata_internal.automation_cron_launches')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['asset_key', 'partition_key']).doUpdateSet({
        cron_tick: sql.ref('excluded.cron_tick'),
        run_id: sql.ref('excluded.run_id'),
        launched_at: sql.ref('excluded.launched_at'),
      }),
    )
    .execute();
}
