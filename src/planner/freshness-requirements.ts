// What must be rebuilt to satisfy freshness policies: each asset partition that fails (or is
// about to fail) its policy requires itself and every partition upstream that it reads and that
// is missing, stale, or overdue against its own policy, each with the reason in words. The
// automation daemon plans from these; `strata why` prints them.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { dependencyPartitions, formatAssetPartition } from '../graph/index.js';
import { evaluateFreshness, type FreshnessEvaluation } from './asset-freshness.js';
import type { StatusReport } from './compute-status.js';
import type { PartitionFreshness } from './freshness-judge.js';
import type { PartitionStatus, StaleCause, StatusName } from './status-types.js';
import { durationInWords } from '../util/duration-text.js';

/** A requirement's reason names at most this many upstream partitions (plus a count), to stay readable. */
export const MAX_REQUIREMENT_REASONS = 5;

/** One asset partition to rebuild for a freshness requirement. */
export interface RequiredPartition {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  /** Its status: missing and stale partitions are planned as usual. */
  readonly status: StatusName;
  /**
   * True when it is fresh by lineage and only its age asks for a new materialization: a plan
   * must include it anyway (like --force for this partition; an unchanged input hash is then
   * recorded as a reuse, not computed again).
   */
  readonly refresh: boolean;
  /** In words: `fea_run[d03] is stale (upstream mesh is stale)`. */
  readonly reason: string;
}

/** An asset partition failing (or about to fail) its policy, and what must be rebuilt for it. */
export interface FreshnessRequirement {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly freshness: PartitionFreshness;
  /** The partition itself and what it needs upstream, in topological order (itself last). */
  readonly rebuild: readonly RequiredPartition[];
  /** `freshness of metrics[d03]: overdue by 12m; fea_run[d03] is stale (upstream mesh is stale)`. */
  readonly reason: string;
}

/** Which policies to check and what counts as "about to fail". */
export interface RequirementOptions {
  /** Assets whose policies are checked (default: every asset of the report with a policy). */
  readonly keys?: Iterable<AssetKey>;
  /** Only these partitions of an asset (an absent asset: all of them). */
  readonly partitions?: ReadonlyMap<AssetKey, readonly PartitionKey[]>;
  /** Count warning partitions as about to fail (default true). */
  readonly includeWarn?: boolean;
  /** Count partitions whose deadline is at most this far ahead as about to fail (default 0). */
  readonly lookaheadMs?: number;
  /** The instant judged at (default: when the report was evaluated). */
  readonly now?: Date;
}

/** The freshness requirements of the report's assets, in topological order of their assets. */
export function freshnessRequirements(
  report: StatusReport,
  options: RequirementOptions = {},
): FreshnessRequirement[] {
  const { graph } = report;
  const now = options.now ?? report.evaluatedAt;
  const due = dueRule(now.getTime(), options);
  const evaluations = new Map<AssetKey, FreshnessEvaluation | null>();
  const evaluationOf = (key: AssetKey) => {
    if (!evaluations.has(key)) evaluations.set(key, evaluateFreshness(report, key, { now }));
    return evaluations.get(key)!;
  };
  const policyUpstream = new Map<AssetKey, boolean>();
  /** True when an asset strictly upstream of `key` has a policy (so a fresh partition may still need a refresh upstream). */
  const hasPolicyUpstream = (key: AssetKey): boolean => {
    let known = policyUpstream.get(key);
    if (known === undefined) {
      known = graph
        .node(key)
        .dependencies.some(
          (dep) =>
            graph.node(dep.key).definition.freshness !== undefined || hasPolicyUpstream(dep.key),
        );
      policyUpstream.set(key, known);
    }
    return known;
  };

  /** Decisions by partition, shared by every requirement that reaches the partition. */
  const decided = new Map<string, RequiredPartition | undefined>();
  /** The partition as a required one, or undefined when it need not be rebuilt. */
  const requiredAs = (key: AssetKey, partition: PartitionKey): RequiredPartition | undefined => {
    const id = `${key}\u0000${partition}`;
    if (decided.has(id)) return decided.get(id);
    const status = report.statuses.get(key)?.get(partition);
    const freshness =
      status?.status === 'fresh' ? evaluationOf(key)?.partitions.get(partition) : undefined;
    const required =
      status === undefined
        ? undefined
        : rebuildEntry(key, partition, status, freshness, due, now.getTime());
    decided.set(id, required);
    return required;
  };

  const keys =
    options.keys === undefined
      ? [...report.statuses.keys()]
      : graph.sortTopologically(new Set(options.keys));
  const requirements: FreshnessRequirement[] = [];
  for (const key of keys) {
    const evaluation = evaluationOf(key);
    if (evaluation === null) continue;
    const listed = options.partitions?.get(key);
    const only = listed === undefined ? undefined : new Set(listed);
    for (const [partition, freshness] of evaluation.partitions) {
      if (only !== undefined && !only.has(partition)) continue;
      if (!due(freshness)) continue;
      const self = requiredAs(key, partition)!;
      const upstream = requiredUpstream(report, key, partition, requiredAs, hasPolicyUpstream);
      // The first phrase already says why the partition itself is due, unless it is also stale.
      const named = [...(self.status === 'stale' ? [self] : []), ...upstream];
      const shown = named.slice(0, MAX_REQUIREMENT_REASONS).map((r) => r.reason);
      if (named.length > shown.length) shown.push(`and ${named.length - shown.length} more`);
      const name = formatAssetPartition(key, partition);
      requirements.push({
        key,
        partition,
        freshness,
        rebuild: sortTopologically(report, [...upstream, self]),
        reason: [`freshness of ${name}: ${dueWords(freshness, now.getTime())}`, ...shown].join(
          '; ',
        ),
      });
    }
  }
  return requirements;
}

/** Every partition to rebuild for `requirements`, once each, in topological order. */
export function partitionsToRebuild(
  report: StatusReport,
  requirements: readonly FreshnessRequirement[],
): RequiredPartition[] {
  const byId = new Map<string, RequiredPartition>();
  for (const requirement of requirements)
    for (const required of requirement.rebuild)
      byId.set(`${required.key}\u0000${required.partition}`, required);
  return sortTopologically(report, [...byId.values()]);
}

/** When a partition counts as failing or about to fail. */
function dueRule(now: number, options: RequirementOptions) {
  const includeWarn = options.includeWarn ?? true;
  const lookaheadMs = options.lookaheadMs ?? 0;
  return (freshness: PartitionFreshness): boolean =>
    freshness.state === 'fail' ||
    (includeWarn && freshness.state === 'warn') ||
    (lookaheadMs > 0 &&
      freshness.deadline !== null &&
      freshness.deadline.getTime() - now <= lookaheadMs);
}

/**
 * A partition as a required one: missing and stale ones always; a fresh one when its own policy
 * is due (`freshness` given and `due`). Undefined when it need not be rebuilt.
 */
function rebuildEntry(
  key: AssetKey,
  partition: PartitionKey,
  status: PartitionStatus,
  freshness: PartitionFreshness | undefined,
  due: (freshness: PartitionFreshness) => boolean,
  now: number,
): RequiredPartition | undefined {
  const name = formatAssetPartition(key, partition);
  switch (status.status) {
    case 'missing':
      return { key, partition, status: 'missing', refresh: false, reason: `${name} is missing` };
    case 'stale': {
      const why = [...new Set(status.causes.map(shortCause))].join(', ');
      return {
        key,
        partition,
        status: 'stale',
        refresh: false,
        reason: `${name} is stale (${why})`,
      };
    }
    case 'fresh':
      if (freshness === undefined || !due(freshness)) return undefined;
      return {
        key,
        partition,
        status: 'fresh',
        refresh: true,
        reason: `${name} is ${dueWords(freshness, now)}`,
      };
  }
}

/** "overdue by 12m", "never materialized" or "due in 20m". */
function dueWords(freshness: PartitionFreshness, now: number): string {
  if (freshness.state === 'fail') {
    return freshness.overdueByMs === null
      ? 'never materialized'
      : `overdue by ${durationInWords(freshness.overdueByMs)}`;
  }
  return freshness.deadline === null
    ? `past warnAfter`
    : `due in ${durationInWords(freshness.deadline.getTime() - now)}`;
}

/** A stale cause in a few words: "code changed", "upstream mesh is stale". */
export function shortCause(cause: StaleCause): string {
  switch (cause.category) {
    case 'code':
      return 'code changed';
    case 'dependencies':
      return cause.change === 'partitions'
        ? `the partitions of ${cause.dependency} it reads changed`
        : `input ${cause.dependency} was ${cause.change}`;
    case 'data':
      return `upstream ${cause.dependency} changed`;
    case 'upstream':
      return `upstream ${cause.dependency} is ${cause.dependencyStatus}`;
    case 'check':
      return `check ${cause.check} failed`;
  }
}

/**
 * The partitions upstream of (key, partition) that must be rebuilt, nearest first (breadth
 * first). Fresh partitions are walked through only when a policy upstream could make something
 * beyond them overdue; everything upstream of a fresh partition is otherwise fresh too.
 */
function requiredUpstream(
  report: StatusReport,
  key: AssetKey,
  partition: PartitionKey,
  requiredAs: (key: AssetKey, partition: PartitionKey) => RequiredPartition | undefined,
  hasPolicyUpstream: (key: AssetKey) => boolean,
): RequiredPartition[] {
  const found: RequiredPartition[] = [];
  const visited = new Set<string>();
  const queue: [AssetKey, PartitionKey][] = [[key, partition]];
  for (let i = 0; i < queue.length; i++) {
    const [k, p] = queue[i]!;
    for (const dep of report.graph.node(k).dependencies) {
      const sets = report.partitionSets;
      for (const q of dependencyPartitions(dep, p, sets.get(dep.key), sets.get(k))) {
        const id = `${dep.key}\u0000${q}`;
        if (visited.has(id)) continue;
        visited.add(id);
        const required = requiredAs(dep.key, q);
        if (required !== undefined) found.push(required);
        const status = report.statuses.get(dep.key)?.get(q)?.status;
        if (status !== 'fresh' || hasPolicyUpstream(dep.key)) queue.push([dep.key, q]);
      }
    }
  }
  return found;
}

function sortTopologically(
  report: StatusReport,
  partitions: RequiredPartition[],
): RequiredPartition[] {
  const order = (key: AssetKey) => report.graph.node(key).order;
  return partitions.sort(
    (a, b) =>
      order(a.key) - order(b.key) ||
      (a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0),
  );
}
