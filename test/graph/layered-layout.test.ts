// The layered layout of the asset graph: layers are longest paths from the sources, rows are a
// permutation within each layer, the result does not depend on input order, and barycenter
// sweeps remove the crossings of a crafted ordering.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  producedPartitions,
  type AnyAssetDefinition,
} from '../../src/definitions/index.js';
import { InvariantError } from '../../src/errors.js';
import { computeLayeredLayout, layeredLayout, type LayeredLayout } from '../../src/graph/index.js';
import { graphOf } from '../support/engine.js';

type Edge = readonly [string, string];

/** Crossings between edges of adjacent layers, by brute force over every pair. */
function crossings(layout: LayeredLayout<string>, edges: readonly Edge[]): number {
  const at = (key: string) => layout.positions.get(key)!;
  const short = edges.filter(([from, to]) => at(to).layer === at(from).layer + 1);
  let count = 0;
  for (let i = 0; i < short.length; i++) {
    for (let j = i + 1; j < short.length; j++) {
      const [a, b] = [short[i]!, short[j]!];
      if (at(a[0]).layer !== at(b[0]).layer) continue;
      const sources = at(a[0]).row - at(b[0]).row;
      const targets = at(a[1]).row - at(b[1]).row;
      if (sources * targets < 0) count++;
    }
  }
  return count;
}

/** The layout with every layer in key order, as it stands before any sweep. */
function keyOrderLayout(keys: readonly string[], layout: LayeredLayout<string>) {
  const layers = layout.layers.map((layer) => [...layer].sort());
  const positions = new Map<string, { layer: number; row: number }>();
  layers.forEach((layer, index) =>
    layer.forEach((key, row) => positions.set(key, { layer: index, row })),
  );
  expect(positions.size).toBe(keys.length);
  return { positions, layers, maxRows: layout.maxRows };
}

/** A random acyclic graph: edges only from lower to higher node numbers. */
function randomGraph(size: number, edgeCount: number, seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const keys = Array.from({ length: size }, (_, i) => `n${String(i).padStart(3, '0')}`);
  const edges = new Map<string, Edge>();
  while (edges.size < edgeCount) {
    const from = Math.floor(random() * (size - 1));
    const to = from + 1 + Math.floor(random() * Math.min(6, size - from - 1));
    edges.set(`${from}>${to}`, [keys[from]!, keys[to]!]);
  }
  return { keys, edges: [...edges.values()] };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 48271) % 2147483647;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('computeLayeredLayout', () => {
  const { keys, edges } = randomGraph(60, 120, 7);
  const layout = computeLayeredLayout(keys, edges);

  it('puts every node one layer after its deepest dependency, sources at 0', () => {
    for (const key of keys) {
      const dependencies = edges.filter(([, to]) => to === key).map(([from]) => from);
      const expected =
        dependencies.length === 0
          ? 0
          : 1 + Math.max(...dependencies.map((dep) => layout.positions.get(dep)!.layer));
      expect(layout.positions.get(key)!.layer, key).toBe(expected);
    }
    for (const [from, to] of edges)
      expect(layout.positions.get(from)!.layer).toBeLessThan(layout.positions.get(to)!.layer);
  });

  it('numbers the rows of each layer 0..n-1, consistent with positions', () => {
    expect(layout.layers.flat().sort()).toEqual([...keys].sort());
    layout.layers.forEach((layer, index) => {
      const rows = layer.map((key) => layout.positions.get(key)!);
      expect(rows).toEqual(layer.map((_key, row) => ({ layer: index, row })));
    });
    expect(layout.maxRows).toBe(Math.max(...layout.layers.map((layer) => layer.length)));
  });

  it('does not depend on the order of nodes and edges', () => {
    for (const seed of [1, 2, 3]) {
      const again = computeLayeredLayout(shuffled(keys, seed), shuffled(edges, seed + 10));
      expect(again.layers).toEqual(layout.layers);
      expect([...again.positions].sort()).toEqual([...layout.positions].sort());
    }
  });

  it('never has more crossings than the key order it starts from', () => {
    expect(crossings(layout, edges)).toBeLessThanOrEqual(
      crossings(keyOrderLayout(keys, layout), edges),
    );
  });

  it('untangles a crafted ordering', () => {
    // Key order draws a->z, b->y, c->x as a full cross (3 crossings), and z->p crosses x->q and
    // y->q (2 more).
    const crafted: Edge[] = [
      ['a', 'z'],
      ['b', 'y'],
      ['c', 'x'],
      ['z', 'p'],
      ['x', 'q'],
      ['y', 'q'],
    ];
    const nodes = ['a', 'b', 'c', 'p', 'q', 'x', 'y', 'z'];
    const result = computeLayeredLayout(nodes, crafted);
    expect(crossings(keyOrderLayout(nodes, result), crafted)).toBe(5);
    expect(crossings(result, crafted)).toBe(0);
    expect(result.layers).toEqual([
      ['a', 'b', 'c'],
      ['z', 'y', 'x'],
      ['p', 'q'],
    ]);
  });

  it('breaks ties by key', () => {
    // a->m crosses b->k in key order; after a sweep k and n share the barycenter of b.
    const result = computeLayeredLayout(
      ['n', 'm', 'k', 'b', 'a'],
      [
        ['b', 'n'],
        ['a', 'm'],
        ['b', 'k'],
      ],
    );
    expect(result.layers).toEqual([
      ['a', 'b'],
      ['m', 'k', 'n'],
    ]);
  });

  it('lays out an empty graph, and refuses a cycle', () => {
    expect(computeLayeredLayout([], [])).toEqual({ positions: new Map(), layers: [], maxRows: 0 });
    expect(() =>
      computeLayeredLayout(
        ['a', 'b'],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toThrow(InvariantError);
  });
});

describe('layeredLayout of an AssetGraph', () => {
  const n = z.number();
  const doe = asset({ key: 'doe', schema: z.array(z.string()), compute: () => ['p1'] });
  const cad = asset({ key: 'cad', schema: n, compute: () => 1 });
  const mesh = asset({
    key: 'mesh',
    partitions: producedPartitions(doe, (points) => points),
    schema: n,
    compute: () => 2,
  });
  const report = asset({
    key: 'report',
    deps: { cad, meshes: allPartitions(mesh) },
    schema: n,
    compute: () => 3,
  });
  const all: AnyAssetDefinition[] = [doe, cad, mesh, report];

  it('uses data and partition-producer edges, and is computed once per graph', () => {
    const graph = graphOf(all);
    const layout = layeredLayout(graph);
    expect(layout.layers).toEqual([['cad', 'doe'], ['mesh'], ['report']]);
    expect(layout.positions.get(graph.node('mesh').key)).toEqual({ layer: 1, row: 0 });
    expect(layout.maxRows).toBe(2);
    expect(layeredLayout(graph)).toBe(layout);
    expect(layeredLayout(graphOf([...all].reverse()))).toEqual(layout);
  });
});
