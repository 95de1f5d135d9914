// How a tick's launch becomes runs and tick entries. Partitions that only their age makes due
// (fresh by lineage, `refresh`) are rebuilt only by a forced run, which computes every step
// (no early cutoff, no reuse). So a tick launches at most two runs: a forced one for the refresh
// partitions together with every launched partition connected to them through dependencies
// (so each still runs after what it reads), and an ordinary one for the rest.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { UNPARTITIONED, type AssetGraph } from '../graph/index.js';
import type { StatusReport } from '../planner/index.js';
import type { Want } from './wants.js';

/** The runs of one tick; either may be empty. */
export interface TickRuns {
  readonly normal: readonly Want[];
  readonly forced: readonly Want[];
}

/** Splits launch items into an ordinary and a forced run (see the top of this file). */
export function splitRuns(items: readonly Want[], graph: AssetGraph): TickRuns {
  if (!items.some((item) => item.refresh)) return { normal: items, forced: [] };
  // Union-find over the launched assets, joined by their direct dependencies.
  const parent = new Map<AssetKey, AssetKey>();
  for (const item of items) parent.set(item.key, item.key);
  const root = (key: AssetKey): AssetKey => {
    let current = key;
    while (parent.get(current) !== current) current = parent.get(current)!;
    parent.set(key, current);
    return current;
  };
  for (const key of parent.keys()) {
    for (const dep of graph.node(key).dependencies) {
      if (parent.has(dep.key)) parent.set(root(dep.key), root(key));
    }
  }
  const forcedRoots = new Set(items.filter((item) => item.refresh).map((item) => root(item.key)));
  const normal: Want[] = [];
  const forced: Want[] = [];
  for (const item of items) (forcedRoots.has(root(item.key)) ? forced : normal).push(item);
  return { normal, forced };
}

/** The selection text of launch items: `key` or `key[p1,p2]` terms. */
export function selectionText(items: readonly Want[], report: StatusReport): string {
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

/** A group of items of one asset (and rule): its partitions and most common reason. */
export interface ItemGroup {
  readonly key: AssetKey;
  readonly partitions: PartitionKey[];
  readonly rule?: string;
  readonly reason: string;
}

/** One line per asset and rule: the reasons of its partitions, for the run and the tick history. */
export function groupByAsset(
  items: readonly { key: AssetKey; partition: PartitionKey; reason: string; rule?: string }[],
): ItemGroup[] {
  const groups = new Map<
    string,
    { key: AssetKey; rule?: string; partitions: PartitionKey[]; reasons: Map<string, number> }
  >();
  for (const item of items) {
    const id = `${item.key}\u0000${item.rule ?? ''}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = {
        key: item.key,
        ...(item.rule === undefined ? {} : { rule: item.rule }),
        partitions: [],
        reasons: new Map(),
      };
      groups.set(id, group);
    }
    if (item.partition !== UNPARTITIONED) group.partitions.push(item.partition);
    group.reasons.set(item.reason, (group.reasons.get(item.reason) ?? 0) + 1);
  }
  return [...groups.values()].map(({ reasons, ...group }) => {
    const [top] = [...reasons].sort((a, b) => b[1] - a[1]);
    const others = reasons.size - 1;
    return {
      ...group,
      reason: others > 0 ? `${top![0]} (and ${others} other reason(s))` : top![0],
    };
  });
}
