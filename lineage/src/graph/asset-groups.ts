// Which box each asset is drawn in: its group, or, when the graph has a single group, the first
// segment of its key before '/' (sim/mesh → sim); a graph with one box draws none. Also the
// default of what opens collapsed: every group of a graph of more than COLLAPSE_ABOVE assets.
import type { NodeState } from '../api/types.js';
import type { GraphAsset } from './graph-data.js';

/** A graph with more assets than this opens collapsed to its groups. */
export const COLLAPSE_ABOVE = 500;

/** The boxes of a graph: names in order, and each asset's box (index into `names`). */
export interface AssetGrouping {
  readonly names: readonly string[];
  /** Per asset (in the graph's node order), the index of its group in `names`. */
  readonly groupOf: readonly number[];
  /** Per group, its assets (indexes into the graph's nodes). */
  readonly members: readonly (readonly number[])[];
}

/** The groups of `nodes`: by group name, else by key prefix; one group when neither splits. */
export function groupAssets(nodes: readonly GraphAsset[]): AssetGrouping {
  const byGroup = new Set(nodes.map((node) => node.group));
  const nameOf =
    byGroup.size > 1
      ? (node: GraphAsset) => node.group
      : (node: GraphAsset) => {
          const slash = node.key.indexOf('/');
          return slash > 0 ? node.key.slice(0, slash) : node.group;
        };
  const nodeNames = nodes.map(nameOf);
  const names = [...new Set(nodeNames)].sort();
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const groupOf = nodeNames.map((name) => indexOf.get(name)!);
  const members: number[][] = names.map(() => []);
  groupOf.forEach((group, asset) => members[group]!.push(asset));
  return { names, groupOf, members };
}

/** Counts of a group's assets by state. */
export type StateCounts = Record<NodeState, number>;

/** How many of `members` are in each state. */
export function stateCounts(nodes: readonly GraphAsset[], members: readonly number[]): StateCounts {
  const counts: StateCounts = {
    fresh: 0,
    stale: 0,
    missing: 0,
    running: 0,
    failed: 0,
    blocked: 0,
    empty: 0,
  };
  for (const index of members) counts[nodes[index]!.status.state]++;
  return counts;
}
