// The freshness rule: rebuild an asset before its freshness policy fails. A partition is due when
// it fails or warns, or when its deadline is at most the lookahead away: the daemon's tick
// interval (the next tick may come too late) plus the asset's expected build time. A due
// partition is launched with everything freshnessRequirements says must be rebuilt upstream for
// it (missing, stale, or due against their own policies), automated or not; source assets are
// observed by the daemon, not launched.
import {
  describeFreshnessPolicy,
  type AssetKey,
  type FreshnessPolicy,
  type PartitionKey,
} from '../definitions/index.js';
import {
  evaluateFreshness,
  freshnessRequirements,
  shortCause,
  type PartitionFreshness,
  type RequiredPartition,
  type StatusReport,
} from '../planner/index.js';
import { durationInWords } from '../util/duration-text.js';
import { partitionId } from './backoff.js';
import type { Want } from './wants.js';

/** When the freshness rule judges, and how early it rebuilds. */
export interface FreshnessRuleOptions {
  readonly now: Date;
  /** How far ahead of its deadline a partition of asset `key` is rebuilt. */
  readonly lookaheadMs: (key: AssetKey) => number;
}

/** The lookahead of an asset: one tick interval plus its expected build time. */
export function freshnessLookaheadMs(intervalMs: number, expectedBuildMs: number): number {
  return intervalMs + expectedBuildMs;
}

/**
 * The wants of freshness-driven assets `keys`: their due partitions (reason "overdue by 12m",
 * "due in 5m (maxLag 6h)") and what each requires upstream ("stale (code changed); needed for the
 * freshness of metrics (overdue by 12m)"). Each partition once, for the first requirement.
 */
export function freshnessWants(
  report: StatusReport,
  keys: readonly AssetKey[],
  options: FreshnessRuleOptions,
): Want[] {
  const now = options.now.getTime();
  const judged = new Map<AssetKey, ReadonlyMap<PartitionKey, PartitionFreshness> | undefined>();
  const freshnessOf = (key: AssetKey, partition: PartitionKey) => {
    if (!judged.has(key))
      judged.set(key, evaluateFreshness(report, key, { now: options.now })?.partitions);
    return judged.get(key)?.get(partition);
  };
  const stateWords = (required: RequiredPartition): string => {
    const status = report.statuses.get(required.key)?.get(required.partition);
    if (status === undefined || status.status === 'missing') return 'missing';
    if (status.status === 'stale')
      return `stale (${[...new Set(status.causes.map(shortCause))].join(', ')})`;
    const policy = report.graph.node(required.key).definition.freshness;
    const freshness = freshnessOf(required.key, required.partition);
    return policy === undefined || freshness === undefined
      ? 'due'
      : dueWords(freshness, policy, now);
  };

  const wants: Want[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const policy = report.graph.node(key).definition.freshness;
    if (policy === undefined) continue;
    const requirements = freshnessRequirements(report, {
      keys: [key],
      includeWarn: true,
      lookaheadMs: options.lookaheadMs(key),
      now: options.now,
    });
    for (const requirement of requirements) {
      const due = dueWords(requirement.freshness, policy, now);
      for (const required of requirement.rebuild) {
        // Source assets are observed at the start of every tick, never built in a run.
        if (report.graph.node(required.key).definition.observation !== undefined) continue;
        const id = partitionId(required.key, required.partition);
        if (seen.has(id)) continue;
        seen.add(id);
        const self = required.key === key && required.partition === requirement.partition;
        const reason = self
          ? required.status === 'stale'
            ? `${due}; ${stateWords(required)}`
            : due
          : `${stateWords(required)}; needed for the freshness of ${key} (${due})`;
        wants.push({
          key: required.key,
          partition: required.partition,
          rule: 'freshness',
          reason,
          refresh: required.refresh,
        });
      }
    }
  }
  return wants;
}

/** "overdue by 12m", "never materialized", "due in 5m (maxLag 6h)". */
export function dueWords(
  freshness: PartitionFreshness,
  policy: FreshnessPolicy,
  now: number,
): string {
  if (freshness.state === 'fail') return freshness.overdueBy ?? 'overdue';
  const terms = describeFreshnessPolicy(policy);
  return freshness.deadline === null
    ? `past warnAfter (${terms})`
    : `due in ${durationInWords(freshness.deadline.getTime() - now)} (${terms})`;
}
