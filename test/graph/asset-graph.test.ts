// The asset graph: deterministic topological order, upstream/downstream walks with depth, and
// partition-producer edges taking part in the order.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  defineAssets,
  producedPartitions,
  type AnyAssetDefinition,
} from '../../src/definitions/index.js';
import { NotFoundError } from '../../src/errors.js';
import { buildAssetGraph } from '../../src/graph/index.js';

const n = z.number();
const a = asset({ key: 'a', schema: n, compute: () => 1 });
const b = asset({ key: 'b', deps: { a }, schema: n, compute: () => 2 });
const c = asset({ key: 'c', deps: { a }, schema: n, compute: () => 3 });
const d = asset({ key: 'd', deps: { b, c }, schema: n, compute: () => 4 });
const e = asset({ key: 'e', deps: { d }, schema: n, compute: () => 5 });
// Roots whose keys sort around the diamond's, to show that layers are sorted by key.
const z0 = asset({ key: 'z0', schema: n, compute: () => 6 });
const aa = asset({ key: 'aa', deps: { z0 }, schema: n, compute: () => 7 });
const all: AnyAssetDefinition[] = [a, b, c, d, e, z0, aa];

describe('AssetGraph order', () => {
  const expected = ['a', 'z0', 'aa', 'b', 'c', 'd', 'e'];

  it.each([
    ['declaration order', all],
    ['reversed', [...all].reverse()],
    ['shuffled', [d, z0, b, e, a, aa, c]],
  ])('is deterministic (%s)', (_name, list) => {
    const graph = buildAssetGraph(defineAssets(list));
    expect(graph.order).toEqual(expected);
    expect([...graph.nodes()].map((node) => [node.key, node.order])).toEqual(
      expected.map((key, i) => [key, i]),
    );
  });

  it('sorts any keys topologically', () => {
    const graph = buildAssetGraph(defineAssets(all));
    expect(graph.sortTopologically(['e', 'aa', 'a', 'e'] as never[])).toEqual(['a', 'aa', 'e']);
  });

  it('knows dependants and dependencies', () => {
    const graph = buildAssetGraph(defineAssets(all));
    expect(graph.node('a').dependants).toEqual(['b', 'c']);
    expect(graph.node('d').dependencies).toEqual([
      { inputName: 'b', key: 'b', mapping: 'single' },
      { inputName: 'c', key: 'c', mapping: 'single' },
    ]);
  });

  it('names unknown assets with a suggestion', () => {
    const graph = buildAssetGraph(defineAssets(all));
    expect(() => graph.node('ee')).toThrow(NotFoundError);
    expect(() => graph.node('ee')).toThrow('unknown asset ee');
    try {
      graph.node('ee');
    } catch (error) {
      expect((error as NotFoundError).hint).toMatch(/did you mean (e|aa)\?/);
    }
  });
});

describe('AssetGraph walks', () => {
  const graph = buildAssetGraph(defineAssets(all));
  const cases: ReadonlyArray<{
    key: string;
    direction: 'upstream' | 'downstream';
    depth?: number;
    keys: string[];
  }> = [
    { key: 'e', direction: 'upstream', keys: ['a', 'b', 'c', 'd'] },
    { key: 'e', direction: 'upstream', depth: 1, keys: ['d'] },
    { key: 'e', direction: 'upstream', depth: 2, keys: ['b', 'c', 'd'] },
    { key: 'e', direction: 'upstream', depth: 0, keys: [] },
    { key: 'a', direction: 'upstream', keys: [] },
    { key: 'a', direction: 'downstream', keys: ['b', 'c', 'd', 'e'] },
    { key: 'a', direction: 'downstream', depth: 1, keys: ['b', 'c'] },
    { key: 'b', direction: 'downstream', depth: 2, keys: ['d', 'e'] },
    { key: 'z0', direction: 'downstream', keys: ['aa'] },
  ];

  it.each(cases)('$direction of $key within $depth', ({ key, direction, depth, keys }) => {
    const found = graph[direction](graph.node(key).key, depth);
    expect(graph.sortTopologically(found)).toEqual(keys);
  });

  it.each([
    { keys: ['e'], closure: ['a', 'b', 'c', 'd', 'e'] },
    { keys: ['b', 'c'], closure: ['a', 'b', 'c'] },
    { keys: ['a'], closure: ['a'] },
    { keys: ['aa', 'b'], closure: ['a', 'z0', 'b', 'aa'] },
    { keys: [], closure: [] },
  ])('withUpstream($keys) is the keys and their upstream', ({ keys, closure }) => {
    const found = graph.withUpstream(keys.map((key) => graph.node(key).key));
    expect(graph.sortTopologically(found)).toEqual(graph.sortTopologically(closure as never[]));
    expect(found.size).toBe(closure.length);
  });
});

describe('produced partitions', () => {
  // `a_point` sorts before `z_designs`, yet must come after it: its partitions are the
  // designs' output, even though it reads no data from it.
  const designs = asset({
    key: 'z_designs',
    schema: z.object({ keys: z.array(z.string()) }),
    compute: () => ({ keys: ['p1', 'p2'] }),
  });
  const point = asset({
    key: 'a_point',
    partitions: producedPartitions(designs, (v) => v.keys),
    schema: n,
    compute: () => 1,
  });
  const graph = buildAssetGraph(defineAssets([point, designs]));

  it('orders the producer first', () => {
    expect(graph.order).toEqual(['z_designs', 'a_point']);
  });

  it('makes the producer an upstream of the partitioned asset', () => {
    expect(graph.node('a_point').partitionProducer).toBe('z_designs');
    expect(graph.node('a_point').dependencies).toEqual([]);
    expect(graph.node('z_designs').dependants).toEqual(['a_point']);
    expect([...graph.upstream(graph.node('a_point').key)]).toEqual(['z_designs']);
    expect([...graph.downstream(graph.node('z_designs').key)]).toEqual(['a_point']);
  });
});
