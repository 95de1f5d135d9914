// Summaries of a status report per asset — partition counts, the worst status, the main stale
// cause, the last materialization, freshness against the asset's policy, and with an activity
// report the live state (running, failed) — and totals over several assets. The one builder
// behind `strata status` and the API.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { evaluateFreshness, type AssetFreshness } from './asset-freshness.js';
import type { StatusReport } from './compute-status.js';
import type { FreshnessState, PartitionFreshness } from './freshness-judge.js';
import { activityOf, type ActivityReport, type PartitionActivity } from './partition-activity.js';
import {
  STALE_CATEGORY_ORDER,
  type PartitionStatus,
  type StaleCategory,
  type StatusName,
} from './status-types.js';

/** The worst partition status (blocked > missing > stale > fresh); empty: no partitions (yet). */
export type AssetStatusName = StatusName | 'empty';

/** What the UI paints: running, else failed, else the status. */
export type AssetState = PartitionActivity | AssetStatusName;

/** One partition of a summary. */
export interface PartitionSummary {
  /** The partition key ('' for an unpartitioned asset). */
  readonly partition: PartitionKey;
  readonly status: PartitionStatus;
  /** null without an activity report. */
  readonly activity: PartitionActivity | null;
  /** Against the asset's freshness policy; null without one. */
  readonly freshness: PartitionFreshness | null;
}

/** Partition counts of an asset or a set of assets. */
export interface PartitionCounts {
  readonly fresh: number;
  readonly stale: number;
  readonly missing: number;
  /** Partitions whose latest materialization failed a blocking check (and nothing else changed). */
  readonly blocked: number;
  readonly total: number;
  /** Partitions with a step queued, running or retrying in a running run. */
  readonly running: number;
  /** Partitions whose most recent step failed and that were not materialized since. */
  readonly failed: number;
}

/** The status of one asset over its partitions. */
export interface AssetStatusSummary {
  readonly key: AssetKey;
  readonly partitioned: boolean;
  readonly status: AssetStatusName;
  readonly state: AssetState;
  readonly counts: PartitionCounts;
  /** The latest materialization of any of its partitions. */
  readonly lastMaterializedAt: Date | null;
  /** The most common first cause among stale partitions (ties: code, dependencies, data, upstream). */
  readonly mainCause: StaleCategory | null;
  /** The main cause in words, for the first stale partition that has it. */
  readonly mainReason: string | null;
  /** For partitions produced by an asset that has not been materialized yet. */
  readonly awaitingProducer: AssetKey | null;
  /** Against its freshness policy, over the partitions counted; null without a policy. */
  readonly freshness: AssetFreshness | null;
  /**
   * `all`, in the natural order of the partition set; for an asset judged in bulk (docs/
   * semantics.md, "Status of large assets") only those materialized but not fresh, the others
   * being counted.
   */
  readonly partitions: readonly PartitionSummary[];
  readonly partitionsListed: PartitionsListed;
}

/** Which partitions a summary lists: every one, or (judged in bulk) the stale and blocked. */
export type PartitionsListed = 'all' | 'materialized-not-fresh';

/** Totals over several summaries. */
export interface StatusTotals {
  /** Assets by status. */
  readonly assets: Readonly<Record<AssetStatusName, number>>;
  readonly partitions: PartitionCounts;
  /** Assets with a freshness policy, by freshness state. */
  readonly freshness: Readonly<Record<FreshnessState, number>>;
}

/** What to summarize besides the report. */
export interface SummaryOptions {
  /** Partition restrictions (asset -> partitions counted); an absent asset counts them all. */
  readonly partitions?: ReadonlyMap<AssetKey, readonly PartitionKey[]>;
  /** Live run state; without it every activity is null and running/failed are 0. */
  readonly activity?: ActivityReport;
}

/** The summary of asset `key` in `report`. */
export function summarizeAsset(
  report: StatusReport,
  key: AssetKey,
  options: SummaryOptions = {},
): AssetStatusSummary {
  const only = options.partitions?.get(key);
  const set = report.partitionSets.get(key);
  const counts = { fresh: 0, stale: 0, missing: 0, blocked: 0, total: 0, running: 0, failed: 0 };
  const categories = new Map<StaleCategory, { count: number; reason: string }>();
  const partitions: PartitionSummary[] = [];
  const flagsOf = options.activity?.get(key);
  let lastMaterializedAt: Date | null = null;
  const freshness = evaluateFreshness(report, key, only === undefined ? {} : { partitions: only });
  for (const [partition, status] of report.statuses.get(key) ?? []) {
    if (only !== undefined && !only.includes(partition)) continue;
    counts[status.status]++;
    counts.total++;
    const flags = flagsOf?.get(partition);
    if (flags?.running) counts.running++;
    if (flags?.failed) counts.failed++;
    if (
      status.status !== 'missing' &&
      (lastMaterializedAt === null || status.latest.materializedAt > lastMaterializedAt)
    ) {
      lastMaterializedAt = status.latest.materializedAt;
    }
    const first =
      status.status === 'stale' || status.status === 'blocked' ? status.causes[0] : undefined;
    if (first !== undefined) {
      const seen = categories.get(first.category);
      if (seen) seen.count++;
      else categories.set(first.category, { count: 1, reason: first.reason });
    }
    partitions.push({
      partition,
      status,
      activity: activityOf(options.activity, key, partition),
      freshness: freshness?.partitions.get(partition) ?? null,
    });
  }
  const bulk = report.bulk?.get(key);
  if (bulk !== undefined) {
    // The loop saw the exceptions (stale, blocked); the rest are counted in the database.
    const exceptions = report.statuses.get(key)!;
    counts.fresh = bulk.materialized - counts.total;
    counts.missing = bulk.total - bulk.materialized;
    counts.total = bulk.total;
    lastMaterializedAt = bulk.lastMaterializedAt;
    for (const [partition, flags] of flagsOf ?? []) {
      if (exceptions.has(partition)) continue;
      if (flags.running) counts.running++;
      if (flags.failed) counts.failed++;
    }
  }
  const statusName: AssetStatusName =
    counts.total === 0
      ? 'empty'
      : counts.blocked > 0
        ? 'blocked'
        : counts.missing > 0
          ? 'missing'
          : counts.stale > 0
            ? 'stale'
            : 'fresh';
  let mainCause: StaleCategory | null = null;
  for (const category of STALE_CATEGORY_ORDER) {
    const count = categories.get(category)?.count ?? 0;
    if (count > 0 && (mainCause === null || count > categories.get(mainCause)!.count))
      mainCause = category;
  }
  return {
    key,
    partitioned: set?.partitioned ?? report.graph.node(key).definition.partitions !== undefined,
    status: statusName,
    state: counts.running > 0 ? 'running' : counts.failed > 0 ? 'failed' : statusName,
    counts,
    lastMaterializedAt,
    mainCause,
    mainReason: mainCause === null ? null : categories.get(mainCause)!.reason,
    awaitingProducer: set?.awaitingProducer ?? null,
    freshness: freshness?.asset ?? null,
    partitions,
    partitionsListed: bulk === undefined ? 'all' : 'materialized-not-fresh',
  };
}

/** Summaries of `keys` in order, and their totals. */
export function summarizeAssets(
  report: StatusReport,
  keys: readonly AssetKey[],
  options: SummaryOptions = {},
): { assets: AssetStatusSummary[]; totals: StatusTotals } {
  const assets = keys.map((key) => summarizeAsset(report, key, options));
  const byStatus = { fresh: 0, stale: 0, missing: 0, blocked: 0, empty: 0 };
  const partitions = {
    fresh: 0,
    stale: 0,
    missing: 0,
    blocked: 0,
    total: 0,
    running: 0,
    failed: 0,
  };
  const freshness = { pass: 0, warn: 0, fail: 0 };
  for (const asset of assets) {
    byStatus[asset.status]++;
    if (asset.freshness !== null) freshness[asset.freshness.state]++;
    for (const name of Object.keys(partitions) as (keyof PartitionCounts)[])
      partitions[name] += asset.counts[name];
  }
  return { assets, totals: { assets: byStatus, partitions, freshness } };
}
