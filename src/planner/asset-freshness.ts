// The freshness of an asset: each partition's latest materialization (already in the status
// report: no query of its own) judged against the asset's policy, and the asset's state as the
// worst of them, with counts, the worst partition's lateness and the next deadline.
import {
  describeFreshnessPolicy,
  type AssetKey,
  type FreshnessPolicy,
  type PartitionKey,
} from '../definitions/index.js';
import type { StatusReport } from './compute-status.js';
import {
  FRESHNESS_STATE_ORDER,
  judgeFreshness,
  type FreshnessState,
  type PartitionFreshness,
} from './freshness-judge.js';

/** Partitions of an asset by freshness state. */
export interface FreshnessCounts {
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  /** Of the failing ones, those never materialized. */
  readonly neverMaterialized: number;
  readonly total: number;
}

/** A policy as data for people and programs: its fields and a sentence. */
export interface FreshnessPolicyView extends FreshnessPolicy {
  /** `maxLag 6h, warnAfter 4h, cron "0 6 * * *" Europe/Berlin`. */
  readonly description: string;
}

/** The freshness of one asset over its partitions. */
export interface AssetFreshness {
  /** The worst partition state (fail > warn > pass); pass without partitions. */
  readonly state: FreshnessState;
  readonly counts: FreshnessCounts;
  /** The worst partition ('' when unpartitioned); null without partitions. */
  readonly partition: PartitionKey | null;
  /** The worst partition's lateness: 0 unless failing, null when it was never materialized. */
  readonly overdueByMs: number | null;
  /** The same in words ("overdue by 2h 5m", "never materialized"); null unless failing. */
  readonly overdueBy: string | null;
  /** Failing: the deadline the worst partition missed; else the earliest deadline ahead. */
  readonly deadline: Date | null;
  /** The worst partition's judgement in words (with counts for a partitioned asset). */
  readonly reason: string;
  readonly policy: FreshnessPolicyView;
}

/** An asset's freshness and that of each of its partitions. */
export interface FreshnessEvaluation {
  readonly asset: AssetFreshness;
  /** In the natural order of the partition set. */
  readonly partitions: ReadonlyMap<PartitionKey, PartitionFreshness>;
}

/** What to evaluate besides the report. */
export interface FreshnessOptions {
  /** Only these partitions (default: all of the asset's). */
  readonly partitions?: readonly PartitionKey[];
  /** The instant judged at (default: when the report was evaluated). */
  readonly now?: Date;
}

/** The policy with its description. */
export function freshnessPolicyView(policy: FreshnessPolicy): FreshnessPolicyView {
  return { ...policy, description: describeFreshnessPolicy(policy) };
}

/** True when `a` is worse than `b`: a worse state, then later (never materialized: latest), then an earlier deadline. */
export function isWorseFreshness(a: PartitionFreshness, b: PartitionFreshness): boolean {
  const byState = FRESHNESS_STATE_ORDER.indexOf(a.state) - FRESHNESS_STATE_ORDER.indexOf(b.state);
  if (byState !== 0) return byState > 0;
  if (a.state === 'fail') {
    const lateness = (f: PartitionFreshness) => f.overdueByMs ?? Infinity;
    return lateness(a) > lateness(b);
  }
  const deadline = (f: PartitionFreshness) => f.deadline?.getTime() ?? Infinity;
  return deadline(a) < deadline(b);
}

/** The freshness of asset `key` in `report`, or null when it has no policy. */
export function evaluateFreshness(
  report: StatusReport,
  key: AssetKey,
  options: FreshnessOptions = {},
): FreshnessEvaluation | null {
  const policy = report.graph.node(key).definition.freshness;
  if (policy === undefined) return null;
  const only = options.partitions === undefined ? undefined : new Set(options.partitions);
  const keys: PartitionKey[] = [];
  const times: (Date | null)[] = [];
  for (const [partition, status] of report.statuses.get(key) ?? []) {
    if (only !== undefined && !only.has(partition)) continue;
    keys.push(partition);
    times.push(
      status.status === 'missing'
        ? null
        : (status.latest.observedAt ?? status.latest.materializedAt),
    );
  }
  const now = (options.now ?? report.evaluatedAt).getTime();
  const judged = judgeFreshness(policy, times, now);
  const partitions = new Map<PartitionKey, PartitionFreshness>();
  const counts = { pass: 0, warn: 0, fail: 0, neverMaterialized: 0, total: keys.length };
  let worst: number | undefined;
  judged.forEach((freshness, i) => {
    partitions.set(keys[i]!, freshness);
    counts[freshness.state]++;
    if (freshness.materializedAt === null) counts.neverMaterialized++;
    if (worst === undefined || isWorseFreshness(freshness, judged[worst]!)) worst = i;
  });
  const partitioned =
    report.partitionSets.get(key)?.partitioned ??
    report.graph.node(key).definition.partitions !== undefined;
  return { asset: summarize(policy, keys, judged, worst, counts, partitioned), partitions };
}

function summarize(
  policy: FreshnessPolicy,
  keys: readonly PartitionKey[],
  judged: readonly PartitionFreshness[],
  worst: number | undefined,
  counts: FreshnessCounts,
  partitioned: boolean,
): AssetFreshness {
  const view = freshnessPolicyView(policy);
  if (worst === undefined) {
    return {
      state: 'pass',
      counts,
      partition: null,
      overdueByMs: 0,
      overdueBy: null,
      deadline: null,
      reason: 'no partitions to judge yet',
      policy: view,
    };
  }
  const freshness = judged[worst]!;
  const tally = (['fail', 'warn', 'pass'] as const)
    .filter((state) => counts[state] > 0)
    .map((state) => `${counts[state]} ${state}`)
    .join(', ');
  return {
    state: freshness.state,
    counts,
    partition: keys[worst]!,
    overdueByMs: freshness.overdueByMs,
    overdueBy: freshness.overdueBy,
    deadline: freshness.deadline,
    reason: partitioned ? `${tally}; ${keys[worst]!}: ${freshness.reason}` : freshness.reason,
    policy: view,
  };
}
