// The `strata status --json` document: the summaries of the selected assets (partition counts,
// last materialization, main stale cause, freshness, every partition with its causes) and their
// totals. Built here, in the planner that owns statuses, so the CLI and MCP answer alike.
import type { AssetKey } from '../definitions/index.js';
import type { ResolvedSelection } from '../graph/index.js';
import type { AssetFreshness } from './asset-freshness.js';
import type { StatusReport } from './compute-status.js';
import type { FreshnessState, PartitionFreshness } from './freshness-judge.js';
import {
  summarizeAssets,
  type AssetStatusName,
  type AssetStatusSummary,
} from './status-summary.js';
import type { StaleCategory, StaleCause, StatusName } from './status-types.js';

/** The status of one partition in the status document. */
export interface PartitionStatusView {
  /** null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly status: StatusName;
  readonly materializationId: number | null;
  readonly materializedAt: Date | null;
  readonly causes: readonly StaleCause[];
  /** Against the asset's freshness policy; null without one. */
  readonly freshness: PartitionFreshness | null;
}

/** An asset's freshness in the status document (partition null when unpartitioned). */
export interface AssetFreshnessView extends Omit<AssetFreshness, 'partition'> {
  /** The worst partition; null when unpartitioned or without partitions. */
  readonly partition: string | null;
}

/** One asset in the status document. */
export interface AssetStatusView {
  readonly key: AssetKey;
  readonly partitioned: boolean;
  /** The worst partition status (missing > stale > fresh); 'empty' for no partitions yet. */
  readonly status: AssetStatusName;
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
  /** Against its freshness policy (the worst partition, counts, deadline); null without one. */
  readonly freshness: AssetFreshnessView | null;
  readonly partitions: readonly PartitionStatusView[];
}

/** The whole status document (`strata status --json`). */
export interface StatusDocument {
  readonly selection: string;
  readonly evaluatedAt: Date;
  readonly assets: readonly AssetStatusView[];
  readonly totals: {
    readonly assets: Readonly<Record<AssetStatusName, number>>;
    readonly partitions: {
      readonly fresh: number;
      readonly stale: number;
      readonly missing: number;
      readonly total: number;
    };
    /** Assets with a freshness policy, by freshness state. */
    readonly freshness: Readonly<Record<FreshnessState, number>>;
  };
}

/** The status document of the selected assets in `report` (partition restrictions applied). */
export function statusDocument(report: StatusReport, selection: ResolvedSelection): StatusDocument {
  const { assets, totals } = summarizeAssets(report, selection.keys, {
    partitions: selection.partitions,
  });
  const { fresh, stale, missing, total } = totals.partitions;
  return {
    selection: selection.text,
    evaluatedAt: report.evaluatedAt,
    assets: assets.map(assetView),
    totals: {
      assets: totals.assets,
      partitions: { fresh, stale, missing, total },
      freshness: totals.freshness,
    },
  };
}

function assetView(summary: AssetStatusSummary): AssetStatusView {
  const { fresh, stale, missing, total } = summary.counts;
  return {
    key: summary.key,
    partitioned: summary.partitioned,
    status: summary.status,
    counts: { fresh, stale, missing, total },
    lastMaterializedAt: summary.lastMaterializedAt,
    mainCause: summary.mainCause,
    awaitingProducer: summary.awaitingProducer,
    freshness:
      summary.freshness === null
        ? null
        : {
            ...summary.freshness,
            partition: summary.partitioned ? summary.freshness.partition : null,
          },
    partitions: summary.partitions.map(({ partition, status, freshness }) => {
      const latest = status.status === 'missing' ? undefined : status.latest;
      return {
        partition: summary.partitioned ? partition : null,
        status: status.status,
        materializationId: latest?.materializationId ?? null,
        materializedAt: latest?.materializedAt ?? null,
        causes: status.status === 'fresh' ? [] : status.causes,
        freshness,
      };
    }),
  };
}
