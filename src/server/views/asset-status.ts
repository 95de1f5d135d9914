// A status report as the API shows it: the planner's per-asset summary (counts, main cause,
// last materialization, live state, freshness); per partition status, activity and freshness
// with its latest materialization; causes grouped across partitions; root causes over the stale
// partitions.
import type { AssetKey, PartitionKey } from '../../definitions/index.js';
import {
  rootCauses,
  STALE_CATEGORY_ORDER,
  summarizeAsset,
  type ActivityReport,
  type AssetFreshness,
  type AssetState,
  type AssetStatusName,
  type AssetStatusSummary,
  type PartitionActivity,
  type PartitionFreshness,
  type PartitionStatus,
  type RootCause,
  type StaleCategory,
  type StaleCause,
  type StatusReport,
} from '../../planner/index.js';
import type { LatestVersion } from '../../provenance/index.js';
import type { CheckResultJson } from './check-json.js';

/** The status of an asset over its partitions (schema AssetStatusSummary). */
export interface AssetStatusJson {
  readonly status: AssetStatusName;
  readonly state: AssetState;
  readonly fresh: number;
  readonly stale: number;
  readonly missing: number;
  readonly blocked: number;
  readonly running: number;
  readonly failed: number;
  readonly total: number;
  readonly mainCause: StaleCategory | null;
  readonly mainReason: string | null;
  readonly lastMaterializedAt: Date | null;
  readonly awaitingProducer: string | null;
  /** Schema AssetFreshness (partition null when unpartitioned); null without a policy. */
  readonly freshness: (Omit<AssetFreshness, 'partition'> & { partition: string | null }) | null;
}

/** One partition (schema PartitionStatus). */
export interface PartitionJson {
  readonly partition: string | null;
  readonly status: PartitionStatus['status'];
  readonly activity: PartitionActivity | null;
  readonly causes: readonly StaleCause[];
  readonly latest: LatestVersion | null;
  readonly freshness: PartitionFreshness | null;
  /** The latest verdict of each check on its latest materialization. */
  readonly checks: readonly CheckResultJson[];
}

/** A cause shared by partitions (schema CauseSummary). */
export interface CauseSummaryJson {
  readonly category: StaleCategory;
  readonly dependency: string | null;
  readonly partitions: number;
  readonly reason: string;
}

/** Root causes are walked from at most this many non-fresh partitions of one asset. */
export const ROOT_CAUSE_PARTITION_LIMIT = 100;
/** At most this many root causes are returned for one asset. */
export const ROOT_CAUSE_LIMIT = 50;

/** The API's view of the planner's summary of an asset. */
export function assetStatusJson(summary: AssetStatusSummary): AssetStatusJson {
  const { fresh, stale, missing, blocked, running, failed, total } = summary.counts;
  return {
    status: summary.status,
    state: summary.state,
    fresh,
    stale,
    missing,
    blocked,
    running,
    failed,
    total,
    mainCause: summary.mainCause,
    mainReason: summary.mainReason,
    lastMaterializedAt: summary.lastMaterializedAt,
    awaitingProducer: summary.awaitingProducer,
    freshness:
      summary.freshness === null
        ? null
        : {
            ...summary.freshness,
            partition: summary.partitioned ? summary.freshness.partition : null,
          },
  };
}

/** The summary of asset `key` in `report`, with its live state from `activity`. */
export function assetStatus(
  report: StatusReport,
  key: AssetKey,
  activity: ActivityReport,
): AssetStatusJson {
  return assetStatusJson(summarizeAsset(report, key, { activity }));
}

/** The JSON of one partition's status. */
export function partitionJson(
  partitioned: boolean,
  partition: PartitionKey,
  status: PartitionStatus,
  activity: PartitionActivity | null,
  freshness: PartitionFreshness | null,
  checks: readonly CheckResultJson[] = [],
): PartitionJson {
  return {
    partition: partitioned ? partition : null,
    status: status.status,
    activity,
    causes: status.status === 'fresh' ? [] : status.causes,
    latest: status.status === 'missing' ? null : status.latest,
    freshness,
    // Verdicts on an older materialization than the latest do not describe this partition.
    checks:
      status.status === 'missing'
        ? []
        : checks.filter((c) => c.materializationId === status.latest.materializationId),
  };
}

/** Causes of the non-fresh partitions of `key`, grouped by category and dependency. */
export function causeSummaries(report: StatusReport, key: AssetKey): CauseSummaryJson[] {
  const groups = new Map<string, CauseSummaryJson & { partitions: number }>();
  for (const status of report.statuses.get(key)?.values() ?? []) {
    if (status.status === 'fresh') continue;
    for (const cause of status.causes) {
      const dependency = 'dependency' in cause ? cause.dependency : null;
      const id = `${cause.category}\u0000${dependency ?? ''}`;
      const group = groups.get(id);
      if (group) group.partitions++;
      else
        groups.set(id, {
          category: cause.category,
          dependency,
          partitions: 1,
          reason: cause.reason,
        });
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      STALE_CATEGORY_ORDER.indexOf(a.category) - STALE_CATEGORY_ORDER.indexOf(b.category) ||
      b.partitions - a.partitions,
  );
}

/**
 * Root causes of the non-fresh partitions of `key`, deduplicated, bounded (see the limits):
 * `omitted` counts those found but left out, `truncated` also says when the walk stopped early.
 */
export function assetRootCauses(
  report: StatusReport,
  key: AssetKey,
): { roots: RootCause[]; truncated: boolean; omitted: number } {
  const roots = new Map<string, RootCause>();
  let walked = 0;
  let truncated = false;
  for (const [partition, status] of report.statuses.get(key) ?? []) {
    if (status.status === 'fresh') continue;
    if (walked === ROOT_CAUSE_PARTITION_LIMIT) {
      truncated = true;
      break;
    }
    walked++;
    for (const root of rootCauses(report, key, partition))
      roots.set(`${root.key}\u0000${root.partition}`, root);
  }
  const list = [...roots.values()];
  const order = (k: string) => report.graph.node(k).order;
  list.sort((a, b) => order(a.key) - order(b.key) || (a.partition < b.partition ? -1 : 1));
  const omitted = Math.max(0, list.length - ROOT_CAUSE_LIMIT);
  return { roots: list.slice(0, ROOT_CAUSE_LIMIT), truncated: truncated || omitted > 0, omitted };
}

/** A root cause with the API's partition convention (null for unpartitioned). */
export function rootCauseJson(report: StatusReport, root: RootCause) {
  return {
    ...root,
    partition: report.partitionSets.get(root.key)?.partitioned === true ? root.partition : null,
  };
}
