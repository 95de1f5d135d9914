// Which automated asset partitions a tick rebuilds, and which it holds back and why. Pure: the
// statuses, live activity and backoff come in, the decisions go out (table-driven tests).
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { ActivityReport, StatusReport } from '../planner/index.js';
import { UNPARTITIONED } from '../graph/index.js';
import { decideBackoff, partitionId, type BackoffState } from './backoff.js';

/** An asset partition the tick launches, with the rule and the reason in words. */
export interface LaunchItem {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly rule: 'eager';
  readonly reason: string;
}

/** An asset partition that needs a rebuild but is held back, and why. */
export interface HeldItem {
  readonly key: AssetKey;
  readonly partition: PartitionKey;
  readonly reason: string;
}

/** The decisions of one tick. */
export interface Selection {
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

/** The reason a missing or stale partition needs a rebuild, in words. */
function whyRebuild(status: { status: string; causes: readonly { reason: string }[] }): string {
  const first = status.causes[0]?.reason;
  if (status.status === 'missing')
    return first === undefined ? 'never materialized' : `missing (${first})`;
  return first ?? 'stale';
}

/**
 * Eager automation: every missing or stale partition of an eager asset, unless it is running,
 * backing off after a failure, or waiting for an upstream asset that is stale or missing and not
 * rebuilt by automation (then it follows once that one is rebuilt).
 */
export function selectCandidates(
  report: StatusReport,
  automated: readonly AssetKey[],
  activity: ActivityReport,
  backoff: ReadonlyMap<string, BackoffState>,
  now: Date,
): Selection {
  const wanted = new Map<AssetKey, Map<PartitionKey, string>>();
  let evaluated = 0;
  for (const key of automated) {
    const statuses = report.statuses.get(key);
    if (statuses === undefined) continue;
    evaluated += statuses.size;
    for (const [partition, status] of statuses) {
      if (status.status === 'fresh') continue;
      let partitions = wanted.get(key);
      if (partitions === undefined) wanted.set(key, (partitions = new Map()));
      partitions.set(partition, whyRebuild(status));
    }
  }
  const launch: LaunchItem[] = [];
  const held: HeldItem[] = [];
  const backoffChanges = new Map<
    string,
    { key: AssetKey; partition: PartitionKey; state: BackoffState }
  >();
  // In topological order, so whether an upstream asset is being rebuilt is known by then.
  const launching = new Set<AssetKey>();
  for (const [key, partitions] of wanted) {
    for (const [partition, reason] of partitions) {
      const status = report.statuses.get(key)!.get(partition)!;
      const blocking =
        status.status === 'fresh'
          ? undefined
          : status.causes.find(
              (cause) => cause.category === 'upstream' && !launching.has(cause.dependency),
            );
      if (blocking !== undefined && blocking.category === 'upstream') {
        const automatedUpstream = wanted.has(blocking.dependency);
        held.push({
          key,
          partition,
          reason: `waiting for ${blocking.dependency} (${blocking.dependencyStatus}${automatedUpstream ? ', held back' : ', not automated'})`,
        });
        continue;
      }
      const flags = activity.get(key)?.get(partition);
      if (flags?.running === true) {
        held.push({ key, partition, reason: 'already running' });
        continue;
      }
      if (flags?.failed === true) {
        const id = partitionId(key, partition);
        const decision = decideBackoff(backoff.get(id), now);
        if (decision.state !== backoff.get(id))
          backoffChanges.set(id, { key, partition, state: decision.state });
        if (decision.action === 'hold') {
          held.push({ key, partition, reason: decision.reason });
          continue;
        }
        launch.push({ key, partition, rule: 'eager', reason: `${reason}; ${decision.reason}` });
        launching.add(key);
        continue;
      }
      launch.push({ key, partition, rule: 'eager', reason });
      launching.add(key);
    }
  }
  return { launch, held, backoff: backoffChanges, evaluated };
}

/** The selection text of the launch items: `key` or `key[p1,p2]` terms. */
export function selectionText(items: readonly LaunchItem[], report: StatusReport): string {
  const byKey = new Map<AssetKey, PartitionKey[]>();
  for (const item of items) {
    let partitions = byKey.get(item.key);
    if (partitions === undefined) byKey.set(item.key, (partitions = []));
    partitions.push(item.partition);
  }
  const terms: string[] = [];
  for (const [key, partitions] of byKey) {
    const all = report.statuses.get(key)?.size ?? 0;
    const unpartitioned = partitions.length === 1 && partitions[0] === UNPARTITIONED;
    terms.push(
      unpartitioned || partitions.length === all ? key : `${key}[${partitions.join(',')}]`,
    );
  }
  return terms.join(', ');
}

/** One line per asset: the reasons of its partitions, for the run and the tick history. */
export function groupByAsset<T extends { key: AssetKey; partition: PartitionKey; reason: string }>(
  items: readonly T[],
): { key: AssetKey; partitions: PartitionKey[]; reason: string }[] {
  const groups = new Map<
    AssetKey,
    { key: AssetKey; partitions: PartitionKey[]; reasons: Map<string, number> }
  >();
  for (const item of items) {
    let group = groups.get(item.key);
    if (group === undefined)
      groups.set(item.key, (group = { key: item.key, partitions: [], reasons: new Map() }));
    if (item.partition !== UNPARTITIONED) group.partitions.push(item.partition);
    group.reasons.set(item.reason, (group.reasons.get(item.reason) ?? 0) + 1);
  }
  return [...groups.values()].map(({ key, partitions, reasons }) => {
    const [top] = [...reasons].sort((a, b) => b[1] - a[1]);
    const others = reasons.size - 1;
    return {
      key,
      partitions,
      reason: others > 0 ? `${top![0]} (and ${others} other reason(s))` : top![0],
    };
  });
}
