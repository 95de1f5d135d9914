// The on-cron rule: at each tick of an asset's cron schedule (the latest tick at or before now),
// its missing and stale partitions are rebuilt once. A partition materialized since that tick,
// or launched for it by automation (recorded durably, cron-launches.ts), waits for the next tick;
// a launch whose step failed or was skipped did not rebuild it, so it is launched again (a
// failed one after its backoff).
import { automationScheduleOf, type AssetKey } from '../definitions/index.js';
import { localTime, type StatusReport } from '../planner/index.js';
import { partitionId } from './backoff.js';
import { whyRebuild, type Want } from './wants.js';

/** The latest cron tick a partition was launched for, and how its step in that run ended. */
export interface CronLaunch {
  readonly tick: Date;
  readonly runId: number;
  /** Its step's status in that run; null when the run planned no step for it. */
  readonly stepStatus: string | null;
}

/** Step statuses after which a launch did not rebuild the partition. */
const NOT_REBUILT: ReadonlySet<string> = new Set(['failed', 'skipped']);

/**
 * The wants of on-cron assets `keys` at `now`: partitions missing or stale, neither materialized
 * since the latest tick nor launched for it (`launches`, by partitionId).
 */
export function cronWants(
  report: StatusReport,
  keys: readonly AssetKey[],
  launches: ReadonlyMap<string, CronLaunch>,
  now: Date,
): Want[] {
  const wants: Want[] = [];
  for (const key of keys) {
    const policy = report.graph.node(key).definition.automation;
    if (policy?.kind !== 'on-cron') continue;
    const tick = automationScheduleOf(policy).latestTickAtOrBefore(now.getTime());
    if (tick === null) continue;
    const tickWords = `cron tick ${localTime(tick, policy.timezone)} ${policy.timezone}`;
    for (const [partition, status] of report.statuses.get(key) ?? []) {
      if (status.status === 'fresh') continue;
      if (status.status === 'stale' && status.latest.materializedAt.getTime() >= tick) continue;
      const launch = launches.get(partitionId(key, partition));
      if (
        launch !== undefined &&
        launch.tick.getTime() >= tick &&
        !NOT_REBUILT.has(launch.stepStatus ?? '')
      )
        continue;
      wants.push({
        key,
        partition,
        rule: 'on-cron',
        reason: `${whyRebuild(status)} (${tickWords})`,
        refresh: false,
        cronTick: new Date(tick),
      });
    }
  }
  return wants;
}
