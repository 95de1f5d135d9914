// Which asset partitions a tick rebuilds, and which it holds back and why. Pure: the statuses,
// live activity, backoff and the rules' records come in, the decisions go out (table-driven
// tests). Each rule (eager, on-cron, freshness) says what it wants; the same holds apply to all.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { ActivityReport, StatusReport } from '../planner/index.js';
import { dependencyPartitions } from '../graph/index.js';
import { decideBackoff, partitionId, type BackoffState } from './backoff.js';
import { cronWants, type CronLaunch } from './cron-rule.js';
import { eagerWants } from './eager-rule.js';
import { freshnessWants } from './freshness-rule.js';
import type { Want } from './wants.js';

/** An asset partition the tick launches, with its rule and the reason in words. */
export type LaunchItem = Want;

/** An asset partition that needs a rebuild but is held back, and why. */
export interface HeldItem {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly reason: string;
}

/** What a tick decides from. */
export interface CandidateInputs {
  readonly report: StatusReport;
  /** The assets with an automation policy. */
  readonly automated: readonly AssetKey[];
  /** Live activity of the automated assets and of the upstream freshness requirements reach. */
  readonly activity: ActivityReport;
  /** Stored backoff of failed partitions, by partitionId. */
  readonly backoff: ReadonlyMap<string, BackoffState>;
  /** The cron tick each on-cron partition was last launched for, by partitionId. */
  readonly cronLaunches: ReadonlyMap<string, CronLaunch>;
  /** How far ahead of its deadline a partition of freshness-driven asset `key` is rebuilt. */
  readonly lookaheadMs: (key: AssetKey) => number;
  readonly now: Date;
}

/** The decisions of one tick. */
export interface Selection {
  /** In topological order. */
  readonly launch: readonly LaunchItem[];
  readonly held: readonly HeldItem[];
  /** Backoff states to store (new or changed), by partitionId. */
  readonly backoff: ReadonlyMap<
    string,
    { key: AssetKey; partition: PartitionKey; state: BackoffState }
  >;
  /** Partitions evaluated (every partition of every automated asset). */
  readonly evaluated: number;
}

/** What every rule wants, one want per partition: an asset's own rule before a requirement. */
function collectWants(inputs: CandidateInputs): Map<AssetKey, Map<PartitionKey, Want>> {
  const { report, automated, now } = inputs;
  const byKind = (kind: string) =>
    automated.filter((key) => report.graph.node(key).definition.automation?.kind === kind);
  const wants = [
    ...eagerWants(report, byKind('eager')),
    ...cronWants(report, byKind('on-cron'), inputs.cronLaunches, now),
    ...freshnessWants(report, byKind('freshness'), { now, lookaheadMs: inputs.lookaheadMs }),
  ];
  const wanted = new Map<AssetKey, Map<PartitionKey, Want>>();
  for (const want of wants) {
    let partitions = wanted.get(want.key);
    if (partitions === undefined) wanted.set(want.key, (partitions = new Map()));
    if (!partitions.has(want.partition)) partitions.set(want.partition, want);
  }
  return wanted;
}

/**
 * Every wanted partition is launched unless it is waiting for upstream (a dependency that is
 * missing or stale and not launched by this tick, or a wanted dependency partition held back),
 * already running, or backing off after a failure.
 */
export function selectCandidates(inputs: CandidateInputs): Selection {
  const { report, activity, backoff, now } = inputs;
  const { graph } = report;
  const wanted = collectWants(inputs);
  const launch: LaunchItem[] = [];
  const held: HeldItem[] = [];
  const backoffChanges = new Map<
    string,
    { key: AssetKey; partition: PartitionKey; state: BackoffState }
  >();
  const launching = new Set<AssetKey>();
  const heldIds = new Set<string>();
  const heldKeys = new Set<AssetKey>();
  const hold = (key: AssetKey, partition: PartitionKey, reason: string) => {
    held.push({ key, partition, reason });
    heldIds.add(partitionId(key, partition));
    heldKeys.add(key);
  };

  /** Why (key, partition) must wait for upstream, or undefined. */
  const waitingFor = (key: AssetKey, partition: PartitionKey): string | undefined => {
    const status = report.statuses.get(key)!.get(partition)!;
    // Rebuilt with the same inputs and code, it would fail the same check again.
    if (status.status === 'blocked')
      return `blocked: ${status.causes.map((c) => c.reason).join('; ')}`;
    if (status.status !== 'fresh') {
      for (const cause of status.causes) {
        if (cause.category !== 'upstream') continue;
        if (cause.dependencyStatus === 'blocked')
          return `waiting for ${cause.dependency} (blocked by a failing blocking check)`;
        if (launching.has(cause.dependency)) continue;
        const { automation, observation } = graph.node(cause.dependency).definition;
        const why = wanted.has(cause.dependency)
          ? 'held back'
          : observation !== undefined
            ? 'a source asset never observed'
            : automation === undefined
              ? 'not automated'
              : `not due by its ${automation.kind} policy`;
        return `waiting for ${cause.dependency} (${cause.dependencyStatus}, ${why})`;
      }
    }
    for (const dep of graph.node(key).dependencies) {
      if (!heldKeys.has(dep.key)) continue;
      const sets = report.partitionSets;
      if (
        dependencyPartitions(dep, partition, sets.get(dep.key), sets.get(key)).some((q) =>
          heldIds.has(partitionId(dep.key, q)),
        )
      )
        return `waiting for ${dep.key} (held back)`;
    }
    return undefined;
  };

  // In topological order, so whether an upstream asset is launched or held is known by then.
  const keys = [...wanted.keys()].sort((a, b) => graph.node(a).order - graph.node(b).order);
  for (const key of keys) {
    const partitions = wanted.get(key)!;
    for (const partition of report.statuses.get(key)?.keys() ?? []) {
      const want = partitions.get(partition);
      if (want === undefined) continue;
      const waiting = waitingFor(key, partition);
      if (waiting !== undefined) {
        hold(key, partition, waiting);
        continue;
      }
      const flags = activity.get(key)?.get(partition);
      if (flags?.running === true) {
        hold(key, partition, 'already running');
        continue;
      }
      if (flags?.failed === true) {
        const id = partitionId(key, partition);
        const decision = decideBackoff(backoff.get(id), now);
        if (decision.state !== backoff.get(id))
          backoffChanges.set(id, { key, partition, state: decision.state });
        if (decision.action === 'hold') {
          hold(key, partition, decision.reason);
          continue;
        }
        launch.push({ ...want, reason: `${want.reason}; ${decision.reason}` });
        launching.add(key);
        continue;
      }
      launch.push(want);
      launching.add(key);
    }
  }
  let evaluated = 0;
  for (const key of inputs.automated) evaluated += report.statuses.get(key)?.size ?? 0;
  return { launch, held, backoff: backoffChanges, evaluated };
}
