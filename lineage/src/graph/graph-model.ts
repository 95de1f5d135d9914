// The asset graph as the canvas draws it: world positions from the server's layered layout,
// adjacency for highlighting upstream/downstream, and per-column indexes for culling and hit
// tests (a column is one layer, sorted by y, so finding what is on screen is a binary search).
import type { AssetGraph, AssetNode, NodeState } from '../api/types.js';

/** Horizontal distance between layers, in world units (CSS pixels at zoom 1). */
export const COLUMN_WIDTH = 250;
/** Vertical distance between rows. */
export const ROW_HEIGHT = 64;
export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;

/** One node placed in the world. */
export interface PlacedNode {
  readonly index: number;
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly layer: number;
  asset: AssetNode;
}

/** One edge between placed nodes (indexes into `nodes`). */
export interface PlacedEdge {
  readonly from: number;
  readonly to: number;
  readonly partitions: boolean;
}

/** The graph ready to draw. */
export interface GraphModel {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Node indexes per layer, sorted by y. */
  readonly columns: readonly (readonly number[])[];
  readonly upstream: readonly (readonly number[])[];
  readonly downstream: readonly (readonly number[])[];
  /** Nodes whose freshness warns or fails (marked even on zoomed-out blocks). */
  readonly overdue: readonly number[];
  /** Source assets (observed, never computed: marked on blocks too). */
  readonly sources: readonly number[];
  readonly width: number;
  readonly height: number;
}

/** Places the nodes of `graph` by their layout. */
export function buildGraphModel(graph: AssetGraph): GraphModel {
  const { maxRows } = graph.layout;
  const layerSizes: number[] = [];
  for (const node of graph.nodes) {
    layerSizes[node.layout.layer] = Math.max(
      layerSizes[node.layout.layer] ?? 0,
      node.layout.row + 1,
    );
  }
  const nodes: PlacedNode[] = graph.nodes.map((asset, index) => {
    const { layer, row } = asset.layout;
    const offset = (maxRows - (layerSizes[layer] ?? 0)) / 2; // centre short layers
    return {
      index,
      key: asset.key,
      layer,
      x: layer * COLUMN_WIDTH,
      y: (row + offset) * ROW_HEIGHT,
      asset,
    };
  });
  const indexOf = new Map(nodes.map((node) => [node.key, node.index]));
  const upstream: number[][] = nodes.map(() => []);
  const downstream: number[][] = nodes.map(() => []);
  const edges: PlacedEdge[] = [];
  for (const edge of graph.edges) {
    const from = indexOf.get(edge.from);
    const to = indexOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    edges.push({ from, to, partitions: edge.kind === 'partitions' });
    upstream[to]!.push(from);
    downstream[from]!.push(to);
  }
  const columns: number[][] = [];
  for (const node of nodes) (columns[node.layer] ??= []).push(node.index);
  for (const column of columns) column?.sort((a, b) => nodes[a]!.y - nodes[b]!.y);
  const overdue = nodes
    .filter((node) => (node.asset.status.freshness?.state ?? 'pass') !== 'pass')
    .map((node) => node.index);
  const sources = nodes.filter((node) => node.asset.source !== null).map((node) => node.index);
  return {
    nodes,
    edges,
    indexOf,
    overdue,
    sources,
    columns: columns.map((column) => column ?? []),
    upstream,
    downstream,
    width: Math.max(1, graph.layout.layers) * COLUMN_WIDTH - (COLUMN_WIDTH - NODE_WIDTH),
    height: Math.max(1, maxRows) * ROW_HEIGHT,
  };
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
  empty: '#c3c9d2',
};

/** A node's state. */
export function nodeState(asset: AssetNode): NodeState {
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
