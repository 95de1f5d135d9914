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
  type PartitionsListed,
} from './status-summary.js';
import type { StaleCategory, StaleCause, StatusName } from './status-types.js';
import type { CheckResult, CheckResultIndex } from '../provenance/index.js';

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
  /** The latest verdict of each check on its latest materialization (when verdicts were read). */
  readonly checks: readonly CheckVerdictView[];
}

/** A check's verdict in the status document. */
export interface CheckVerdictView {
  readonly check: string;
  readonly passed: boolean;
  readonly severity: 'warn' | 'error';
  readonly blocking: boolean;
  readonly description: string | null;
  readonly checkVersion: string;
}

/** How an asset's checks judged its latest materializations: verdicts by outcome. */
export interface CheckCounts {
  readonly passed: number;
  /** Failed with severity error (blocking or not). */
  readonly failed: number;
  /** Of the failed, those of blocking checks. */
  readonly blocking: number;
  /** Failed with severity warn. */
  readonly warned: number;
  /** Partition x check pairs with a materialization but no verdict yet. */
  readonly notEvaluated: number;
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
    readonly blocked: number;
    readonly total: number;
  };
  /** Its checks' verdicts; null when it declares no check (or verdicts were not read). */
  readonly checks: CheckCounts | null;
  /** The latest materialization of any of its partitions. */
  readonly lastMaterializedAt: Date | null;
  /** The most common first cause among stale partitions (ties: code, dependencies, data, upstream). */
  readonly mainCause: StaleCategory | null;
  /** For partitions produced by an asset that has not been materialized yet. */
  readonly awaitingProducer: AssetKey | null;
  /** Against its freshness policy (the worst partition, counts, deadline); null without one. */
  readonly freshness: AssetFreshnessView | null;
  /** Every partition, or for an asset judged in bulk only the stale and blocked (see below). */
  readonly partitions: readonly PartitionStatusView[];
  /**
   * `all`, or `materialized-not-fresh` for an asset of at least 50,000 partitions judged in bulk
   * (docs/semantics.md, "Status of large assets"): its fresh and missing partitions are in
   * `counts` only; `strata status 'KEY[P,...]'` lists chosen ones.
   */
  readonly partitionsListed: PartitionsListed;
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
      readonly blocked: number;
      readonly total: number;
    };
    /** Assets with a freshness policy, by freshness state. */
    readonly freshness: Readonly<Record<FreshnessState, number>>;
  };
}

/**
 * The status document of the selected assets in `report` (partition restrictions applied), with
 * the verdicts of their checks when `verdicts` are given (loadLatestCheckResults).
 */
export function statusDocument(
  report: StatusReport,
  selection: ResolvedSelection,
  verdicts?: CheckResultIndex,
): StatusDocument {
  const { assets, totals } = summarizeAssets(report, selection.keys, {
    partitions: selection.partitions,
  });
  const { fresh, stale, missing, blocked, total } = totals.partitions;
  return {
    selection: selection.text,
    evaluatedAt: report.evaluatedAt,
    assets: assets.map((summary) => assetView(report, summary, verdicts)),
    totals: {
      assets: totals.assets,
      partitions: { fresh, stale, missing, blocked, total },
      freshness: totals.freshness,
    },
  };
}

/** The verdicts on a partition's latest materialization. */
export function verdictViews(
  results: readonly CheckResult[] | undefined,
  materializationId: number | null,
): CheckVerdictView[] {
  if (results === undefined || materializationId === null) return [];
  return results
    .filter((r) => r.materializationId === materializationId)
    .map((r) => ({
      check: r.checkName,
      passed: r.passed,
      severity: r.severity,
      blocking: r.blocking,
      description: r.description,
      checkVersion: r.checkVersion,
    }));
}

function checkCounts(
  declared: number,
  partitions: readonly PartitionStatusView[],
): CheckCounts | null {
  if (declared === 0) return null;
  const counts = { passed: 0, failed: 0, blocking: 0, warned: 0, notEvaluated: 0 };
  for (const partition of partitions) {
    if (partition.materializationId === null) continue;
    counts.notEvaluated += Math.max(0, declared - partition.checks.length);
    for (const verdict of partition.checks) {
      if (verdict.passed) counts.passed++;
      else if (verdict.severity === 'warn') counts.warned++;
      else {
        counts.failed++;
        if (verdict.blocking) counts.blocking++;
      }
    }
  }
  return counts;
}

function assetView(
  report: StatusReport,
  summary: AssetStatusSummary,
  verdicts: CheckResultIndex | undefined,
): AssetStatusView {
  const { fresh, stale, missing, blocked, total } = summary.counts;
  const results = verdicts?.get(summary.key);
  const partitions = summary.partitions.map(({ partition, status, freshness }) => {
    const latest = status.status === 'missing' ? undefined : status.latest;
    const materializationId = latest?.materializationId ?? null;
    return {
      partition: summary.partitioned ? partition : null,
      status: status.status,
      materializationId,
      materializedAt: latest?.materializedAt ?? null,
      causes: status.status === 'fresh' ? [] : status.causes,
      freshness,
      checks: verdictViews(results?.get(partition), materializationId),
    };
  });
  const declared = verdicts === undefined ? 0 : report.graph.checksOf(summary.key).length;
  return {
    key: summary.key,
    partitioned: summary.partitioned,
    status: summary.status,
    counts: { fresh, stale, missing, blocked, total },
    checks: checkCounts(declared, partitions),
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
    partitions,
    partitionsListed: summary.partitionsListed,
  };
}
