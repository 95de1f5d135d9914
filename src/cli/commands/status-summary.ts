// The data behind `strata status`: one summary per selected asset (partition counts, last
// materialization, main stale cause) and totals; printed as is by --json.
import type { AssetKey } from '../../definitions/index.js';
import type { ResolvedSelection } from '../../graph/index.js';
import type { StaleCategory, StaleCause, StatusName, StatusReport } from '../../planner/index.js';

/** The status of one partition in `strata status --json`. */
export interface PartitionSummary {
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StatusName;
  readonly materializationId: number | null;
  readonly materializedAt: Date | null;
  readonly causes: readonly StaleCause[];
}

/** One asset in `strata status --json`. */
export interface AssetStatusSummary {
  readonly key: AssetKey;
  readonly partitioned: boolean;
  /** The worst partition status (missing > stale > fresh); 'empty' for no partitions yet. */
  readonly status: StatusName | 'empty';
  readonly counts: {
    readonly fresh: number;
    readonly stale: number;
    readonly missing: number;
    readonly total: number;
  };
  /** The latest materialization of any of its partitions. */
  readonly lastMaterializedAt: Date | null;
  /** The most common first cause among stale partitions (ties: code, dependencies, data, upstream). */
  readonly mainCause: StaleCategory | null;
  /** For partitions produced by an asset that has not been materialized yet. */
  readonly awaitingProducer: AssetKey | null;
  readonly partitions: readonly PartitionSummary[];
}

/** The whole `strata status --json` document. */
export interface StatusSummary {
  readonly selection: string;
  readonly evaluatedAt: Date;
  readonly assets: readonly AssetStatusSummary[];
  readonly totals: {
    readonly assets: Readonly<Record<StatusName | 'empty', number>>;
    readonly partitions: {
      readonly fresh: number;
      readonly stale: number;
      readonly missing: number;
      readonly total: number;
    };
  };
}

const CATEGORY_ORDER: readonly StaleCategory[] = ['code', 'dependencies', 'data', 'upstream'];

/** Summarizes `report` for the selected assets (partition restrictions applied). */
export function summarizeStatus(report: StatusReport, selection: ResolvedSelection): StatusSummary {
  const assets = selection.keys.map((key) =>
    summarizeAsset(report, key, selection.partitions.get(key)),
  );
  const assetTotals = { fresh: 0, stale: 0, missing: 0, empty: 0 };
  const partitionTotals = { fresh: 0, stale: 0, missing: 0, total: 0 };
  for (const asset of assets) {
    assetTotals[asset.status]++;
    partitionTotals.fresh += asset.counts.fresh;
    partitionTotals.stale += asset.counts.stale;
    partitionTotals.missing += asset.counts.missing;
    partitionTotals.total += asset.counts.total;
  }
  return {
    selection: selection.text,
    evaluatedAt: report.evaluatedAt,
    assets,
    totals: { assets: assetTotals, partitions: partitionTotals },
  };
}

function summarizeAsset(
  report: StatusReport,
  key: AssetKey,
  only: readonly string[] | undefined,
): AssetStatusSummary {
  const set = report.partitionSets.get(key)!;
  const statuses = report.statuses.get(key)!;
  const counts = { fresh: 0, stale: 0, missing: 0, total: 0 };
  const categories = new Map<StaleCategory, number>();
  const partitions: PartitionSummary[] = [];
  let lastMaterializedAt: Date | null = null;
  for (const [partition, status] of statuses) {
    if (only !== undefined && !only.includes(partition)) continue;
    counts[status.status]++;
    counts.total++;
    const latest = status.status === 'missing' ? undefined : status.latest;
    if (
      latest !== undefined &&
      (lastMaterializedAt === null || latest.materializedAt > lastMaterializedAt)
    ) {
      lastMaterializedAt = latest.materializedAt;
    }
    const causes = status.status === 'fresh' ? [] : status.causes;
    const first = causes[0];
    if (status.status === 'stale' && first !== undefined) {
      categories.set(first.category, (categories.get(first.category) ?? 0) + 1);
    }
    partitions.push({
      partition: set.partitioned ? partition : null,
      status: status.status,
      materializationId: latest?.materializationId ?? null,
      materializedAt: latest?.materializedAt ?? null,
      causes,
    });
  }
  const status: AssetStatusSummary['status'] =
    counts.total === 0
      ? 'empty'
      : counts.missing > 0
        ? 'missing'
        : counts.stale > 0
          ? 'stale'
          : 'fresh';
  let mainCause: StaleCategory | null = null;
  for (const category of CATEGORY_ORDER) {
    const count = categories.get(category) ?? 0;
    if (count > 0 && (mainCause === null || count > categories.get(mainCause)!))
      mainCause = category;
  }
  return {
    key,
    partitioned: set.partitioned,
    status,
    counts,
    lastMaterializedAt,
    mainCause,
    awaitingProducer: set.awaitingProducer ?? null,
    partitions,
  };
}
