// A layered drawing of the asset graph for the lineage browser: each asset gets a layer (the
// longest path from a source, so every edge points to a later layer) and a row within its layer,
// ordered by barycenter sweeps to reduce edge crossings. Pure and deterministic (ties broken by
// key); computed once per AssetGraph.
import type { AssetKey } from '../definitions/index.js';
import { InvariantError } from '../errors.js';
import type { AssetGraph } from './asset-graph.js';
import { countLayerCrossings } from './layout-crossings.js';

/**
 * Down-and-up sweep pairs. Barycenter ordering settles within a few sweeps on real graphs; more
 * rarely pay off, and the best ordering seen is kept anyway.
 */
export const BARYCENTER_SWEEPS = 4;

/** Where one node is drawn: its layer (column) and its row within that layer. */
export interface LayoutPosition {
  /** 0 for sources; otherwise 1 + the largest layer of its dependencies. */
  readonly layer: number;
  /** 0 .. (size of its layer - 1). */
  readonly row: number;
}

/** The layered layout of a graph. */
export interface LayeredLayout<K extends string = AssetKey> {
  readonly positions: ReadonlyMap<K, LayoutPosition>;
  /** The keys of each layer, in row order. */
  readonly layers: readonly (readonly K[])[];
  /** The size of the largest layer (0 for an empty graph). */
  readonly maxRows: number;
}

const cache = new WeakMap<AssetGraph, LayeredLayout>();

/** The layout of `graph` (data and partition-producer edges), computed once per graph. */
export function layeredLayout(graph: AssetGraph): LayeredLayout {
  let layout = cache.get(graph);
  if (layout === undefined) {
    const edges: [AssetKey, AssetKey][] = [];
    graph.graph.forEachEdge((_edge, _attributes, source, target) => {
      edges.push([source as AssetKey, target as AssetKey]);
    });
    layout = computeLayeredLayout(graph.order, edges);
    cache.set(graph, layout);
  }
  return layout;
}

/** Lays out the acyclic graph of `keys` and `edges` (each edge: [from, to]). */
export function computeLayeredLayout<K extends string>(
  keys: readonly K[],
  edges: Iterable<readonly [K, K]>,
): LayeredLayout<K> {
  const adjacency = indexGraph(keys, edges);
  const layerOf = longestPathLayers(keys, adjacency);
  const byKey = keyRanks(keys);
  const layers: number[][] = [];
  for (let node = 0; node < keys.length; node++) (layers[layerOf[node]!] ??= []).push(node);
  for (const layer of layers) layer.sort((a, b) => byKey[a]! - byKey[b]!);
  const rows = new Float64Array(keys.length);
  const barycenters = new Float64Array(keys.length);
  const assignRows = (layer: readonly number[]) => layer.forEach((node, row) => (rows[node] = row));
  layers.forEach(assignRows);

  let best = layers.map((layer) => [...layer]);
  let fewest = countLayerCrossings(layers, layerOf, rows, adjacency.outgoing);
  const keepIfBetter = () => {
    const crossings = countLayerCrossings(layers, layerOf, rows, adjacency.outgoing);
    if (crossings < fewest) {
      fewest = crossings;
      best = layers.map((layer) => [...layer]);
    }
  };
  for (let sweep = 0; sweep < BARYCENTER_SWEEPS && fewest > 0; sweep++) {
    for (let i = 1; i < layers.length; i++)
      reorder(layers[i]!, adjacency.incoming, rows, barycenters, byKey, assignRows);
    keepIfBetter();
    for (let i = layers.length - 2; i >= 0; i--)
      reorder(layers[i]!, adjacency.outgoing, rows, barycenters, byKey, assignRows);
    keepIfBetter();
  }

  const positions = new Map<K, LayoutPosition>();
  best.forEach((layer, index) =>
    layer.forEach((node, row) => positions.set(keys[node]!, { layer: index, row })),
  );
  return {
    positions,
    layers: best.map((layer) => layer.map((node) => keys[node]!)),
    maxRows: best.reduce((max, layer) => Math.max(max, layer.length), 0),
  };
}

/** Neighbours in compressed form: the neighbours of node i are list[start[i] .. start[i+1]). */
export interface Neighbours {
  readonly start: Int32Array;
  readonly list: Int32Array;
}

interface Adjacency {
  readonly incoming: Neighbours;
  readonly outgoing: Neighbours;
}

function indexGraph<K extends string>(
  keys: readonly K[],
  edges: Iterable<readonly [K, K]>,
): Adjacency {
  const index = new Map<K, number>();
  keys.forEach((key, i) => index.set(key, i));
  const from: number[] = [];
  const to: number[] = [];
  for (const [source, target] of edges) {
    const s = index.get(source);
    const t = index.get(target);
    if (s === undefined || t === undefined) {
      throw new InvariantError(
        `layout edge ${source} -> ${target} names ${s === undefined ? source : target}, which is not a node`,
      );
    }
    from.push(s);
    to.push(t);
  }
  return { incoming: compress(keys.length, to, from), outgoing: compress(keys.length, from, to) };
}

/** The neighbours `b[i]` of each `a[i]`, grouped by node. */
function compress(size: number, a: readonly number[], b: readonly number[]): Neighbours {
  const start = new Int32Array(size + 1);
  for (const node of a) start[node + 1]!++;
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, size);
  const list = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) list[fill[a[i]!]!++] = b[i]!;
  return { start, list };
}

/** Layer of each node: 0 for sources, else 1 + the largest layer of its dependencies. */
function longestPathLayers(keys: readonly string[], { incoming, outgoing }: Adjacency): Int32Array {
  const layerOf = new Int32Array(keys.length);
  const waiting = new Int32Array(keys.length);
  const ready: number[] = [];
  for (let node = 0; node < keys.length; node++) {
    waiting[node] = incoming.start[node + 1]! - incoming.start[node]!;
    if (waiting[node] === 0) ready.push(node);
  }
  let placed = 0;
  while (placed < ready.length) {
    const node = ready[placed++]!;
    for (let e = outgoing.start[node]!; e < outgoing.start[node + 1]!; e++) {
      const next = outgoing.list[e]!;
      layerOf[next] = Math.max(layerOf[next]!, layerOf[node]! + 1);
      if (--waiting[next]! === 0) ready.push(next);
    }
  }
  if (placed < keys.length) {
    const stuck = keys.filter((_key, node) => waiting[node]! > 0).slice(0, 5);
    throw new InvariantError(`cannot lay out a cyclic graph: ${stuck.join(', ')} lie on a cycle`);
  }
  return layerOf;
}

/** Each node's position among the keys sorted, for tie-breaking by key. */
function keyRanks(keys: readonly string[]): Int32Array {
  const sorted = keys.map((_key, node) => node).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  const ranks = new Int32Array(keys.length);
  sorted.forEach((node, rank) => (ranks[node] = rank));
  return ranks;
}

/**
 * Sorts `layer` by the mean row of each node's `neighbours` (its own row when it has none),
 * ties by key, and renumbers its rows.
 */
function reorder(
  layer: number[],
  neighbours: Neighbours,
  rows: Float64Array,
  barycenters: Float64Array,
  byKey: Int32Array,
  assignRows: (layer: readonly number[]) => void,
): void {
  for (const node of layer) {
    const first = neighbours.start[node]!;
    const end = neighbours.start[node + 1]!;
    let sum = 0;
    for (let e = first; e < end; e++) sum += rows[neighbours.list[e]!]!;
    barycenters[node] = end > first ? sum / (end - first) : rows[node]!;
  }
  layer.sort((a, b) => barycenters[a]! - barycenters[b]! || byKey[a]! - byKey[b]!);
  assignRows(layer);
}
