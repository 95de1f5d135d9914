// The asset graph as the canvas draws it: world positions from the compound layout (groups as
// boxes or collapsed cards, lineage/src/graph/group-layout.ts), adjacency over every asset for
// highlighting upstream/downstream, edges between shown assets, edges into, out of and between
// collapsed groups aggregated (one per pair, with a count), and per-column indexes for culling
// and hit tests (a column is one x, sorted by y, so finding what is on screen is a binary search).
import type { NodeState } from '../api/types.js';
import type { GraphAsset, GraphDocument } from './graph-data.js';
import { groupAssets, stateCounts, type AssetGrouping, type StateCounts } from './asset-groups.js';
import {
  BOX_HEADER,
  COLUMN_WIDTH,
  compoundLayout,
  GROUP_CARD_HEIGHT,
  NODE_HEIGHT,
  NODE_WIDTH,
  ROW_HEIGHT,
} from './group-layout.js';

export { COLUMN_WIDTH, NODE_HEIGHT, NODE_WIDTH, ROW_HEIGHT };

/** One asset placed in the world (on its group's card when the group is collapsed). */
export interface PlacedNode {
  readonly index: number;
  readonly key: string;
  readonly x: number;
  readonly y: number;
  /** Its grid column (x = layer × COLUMN_WIDTH). */
  readonly layer: number;
  /** Its group (index into GraphModel.groups). */
  readonly group: number;
  /** False when its group is collapsed. */
  readonly shown: boolean;
  asset: GraphAsset;
}

/** One edge between shown assets (indexes into `nodes`). */
export interface PlacedEdge {
  readonly from: number;
  readonly to: number;
  readonly partitions: boolean;
}

/** A group: a labelled box around its assets, or one card when collapsed. */
export interface PlacedGroup {
  readonly index: number;
  readonly name: string;
  readonly expanded: boolean;
  readonly members: readonly number[];
  readonly counts: StateCounts;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** An endpoint of an aggregated edge: an asset or a collapsed group. */
export interface EdgeEnd {
  readonly asset?: number;
  readonly group?: number;
}

/** The edges between two items of which one at least is a collapsed group, as one. */
export interface AggregateEdge {
  readonly from: EdgeEnd;
  readonly to: EdgeEnd;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly count: number;
  readonly partitions: boolean;
}

/** The graph ready to draw. */
export interface GraphModel {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly groups: readonly PlacedGroup[];
  /** Whether groups are drawn (false: one group, no boxes). */
  readonly boxed: boolean;
  readonly aggregates: readonly AggregateEdge[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Shown node indexes per column, sorted by y. */
  readonly columns: readonly (readonly number[])[];
  readonly upstream: readonly (readonly number[])[];
  readonly downstream: readonly (readonly number[])[];
  /** Shown nodes whose freshness warns or fails (marked even on zoomed-out blocks). */
  readonly overdue: readonly number[];
  /** Shown source assets (observed, never computed: marked on blocks too). */
  readonly sources: readonly number[];
  readonly width: number;
  readonly height: number;
}

/** Places the assets of `graph`; groups whose name is in `expanded` are open. */
export function buildGraphModel(
  graph: GraphDocument,
  expanded: (name: string) => boolean = () => true,
  grouping: AssetGrouping = groupAssets(graph.nodes),
): GraphModel {
  const indexOf = new Map(graph.nodes.map((node, index) => [node.key, index]));
  const layout = compoundLayout(graph, grouping, (g) => expanded(grouping.names[g]!));
  const groups: PlacedGroup[] = layout.groups.map((placed, index) => ({
    index,
    name: grouping.names[index]!,
    expanded: !layout.boxed || expanded(grouping.names[index]!),
    members: grouping.members[index]!,
    counts: stateCounts(graph.nodes, grouping.members[index]!),
    left: placed.left,
    top: placed.top,
    width: placed.width,
    height: placed.height,
  }));
  const nodes: PlacedNode[] = graph.nodes.map((asset, index) => {
    const group = grouping.groupOf[index]!;
    return {
      index,
      key: asset.key,
      layer: layout.column[index]!,
      x: layout.x[index]!,
      y: layout.y[index]!,
      group,
      shown: groups[group]!.expanded,
      asset,
    };
  });
  const upstream: number[][] = nodes.map(() => []);
  const downstream: number[][] = nodes.map(() => []);
  const edges: PlacedEdge[] = [];
  // Aggregated edges by item pair: an item is a shown asset (its index) or a collapsed group
  // (the number of assets + its index); a pair is one number, cheaper than a string key.
  const items = nodes.length + groups.length;
  const aggregated = new Map<
    number,
    { from: EdgeEnd; to: EdgeEnd; count: number; partitions: boolean }
  >();
  const itemOf = (node: PlacedNode): number =>
    node.shown ? node.index : nodes.length + node.group;
  const endOf = (node: PlacedNode): EdgeEnd =>
    node.shown ? { asset: node.index } : { group: node.group };
  for (const { from, to, partitions } of graph.edges) {
    upstream[to]!.push(from);
    downstream[from]!.push(to);
    const a = nodes[from]!;
    const b = nodes[to]!;
    if (a.shown && b.shown) {
      edges.push({ from, to, partitions });
      continue;
    }
    if (!a.shown && !b.shown && a.group === b.group) continue; // inside a collapsed group
    const id = itemOf(a) * items + itemOf(b);
    const entry = aggregated.get(id);
    if (entry === undefined)
      aggregated.set(id, { from: endOf(a), to: endOf(b), count: 1, partitions });
    else {
      entry.count++;
      entry.partitions ||= partitions;
    }
  }
  const aggregates: AggregateEdge[] = [...aggregated.values()].map((entry) => {
    const [x1, y1] = anchor(entry.from, nodes, groups, 'out');
    const [x2, y2] = anchor(entry.to, nodes, groups, 'in');
    return { ...entry, x1, y1, x2, y2 };
  });
  const columns: number[][] = [];
  for (const node of nodes) if (node.shown) (columns[node.layer] ??= []).push(node.index);
  for (const column of columns) column?.sort((a, b) => nodes[a]!.y - nodes[b]!.y);
  const overdue = nodes
    .filter((node) => node.shown && (node.asset.status.freshness?.state ?? 'pass') !== 'pass')
    .map((node) => node.index);
  const sources = nodes.filter((node) => node.shown && node.asset.source).map((node) => node.index);
  let width = 1;
  let height = 1;
  for (const group of groups) {
    width = Math.max(width, group.left + group.width);
    height = Math.max(height, group.top + group.height);
  }
  return {
    nodes,
    edges,
    groups,
    boxed: layout.boxed,
    aggregates,
    indexOf,
    overdue,
    sources,
    columns: Array.from(columns, (column) => column ?? []),
    upstream,
    downstream,
    width,
    height,
  };
}

/** Where an edge leaves (right middle) or enters (left middle) an asset or a group card. */
function anchor(
  end: EdgeEnd,
  nodes: readonly PlacedNode[],
  groups: readonly PlacedGroup[],
  side: 'in' | 'out',
): [number, number] {
  if (end.asset !== undefined) {
    const node = nodes[end.asset]!;
    return [side === 'out' ? node.x + NODE_WIDTH : node.x, node.y + NODE_HEIGHT / 2];
  }
  const group = groups[end.group!]!;
  return [
    side === 'out' ? group.left + group.width : group.left,
    group.top + GROUP_CARD_HEIGHT / 2,
  ];
}

/** Every node reachable from `start` along `adjacency` (start excluded). */
export function closure(adjacency: readonly (readonly number[])[], start: number): Set<number> {
  const seen = new Set<number>();
  const stack = [start];
  while (stack.length > 0) {
    for (const next of adjacency[stack.pop()!] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** The colour a node's state is drawn in. */
export const STATE_COLORS: Readonly<Record<NodeState, string>> = {
  fresh: '#2f9e62',
  stale: '#d99a1e',
  missing: '#8792a2',
  running: '#2f74d8',
  failed: '#d2413f',
  blocked: '#8e2a78',
  empty: '#c3c9d2',
};

/** A node's state. */
export function nodeState(asset: GraphAsset): NodeState {
  return asset.status.state;
}

/** The first index in the sorted `column` whose node ends below `y`. */
export function firstBelow(model: GraphModel, column: readonly number[], y: number): number {
  let low = 0;
  let high = column.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (model.nodes[column[middle]!]!.y + NODE_HEIGHT < y) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The group whose card (collapsed) or title strip (expanded) is at world point (x, y). */
export function groupAt(model: GraphModel, x: number, y: number): number | undefined {
  if (!model.boxed) return undefined;
  for (const group of model.groups) {
    const bottom = group.top + (group.expanded ? BOX_HEADER : group.height);
    if (x >= group.left && x <= group.left + group.width && y >= group.top && y <= bottom)
      return group.index;
  }
  return undefined;
}
