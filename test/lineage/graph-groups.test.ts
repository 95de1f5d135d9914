// The asset graph's groups without a browser: groups by name or, with one group, by key prefix;
// the compound layout (boxes on the column grid, no two overlapping, collapsed groups as one
// card); edges into and between collapsed groups aggregated with their count; the view's URL
// parameters parsed leniently and written back the same.
import { describe, expect, it } from 'vitest';
import { graphOf } from './graph-of.js';
import { groupAssets } from '../../lineage/src/graph/asset-groups.js';
import { buildGraphModel } from '../../lineage/src/graph/graph-model.js';
import { graphSearch, parseGraphUrl } from '../../lineage/src/graph/graph-url.js';

const GRAPH = graphOf(
  [
    ['raw/a', 'default', 0, 0],
    ['raw/b', 'default', 0, 1],
    ['raw/c', 'default', 0, 2],
    ['clean/a', 'default', 1, 0],
    ['clean/b', 'default', 1, 1],
    ['report', 'default', 2, 0],
  ],
  [
    ['raw/a', 'clean/a'],
    ['raw/b', 'clean/a'],
    ['raw/c', 'clean/b'],
    ['clean/a', 'report'],
    ['clean/b', 'report'],
  ],
);

describe('groups of the asset graph', () => {
  it('groups by key prefix when every asset has the same group', () => {
    const grouping = groupAssets(GRAPH.nodes);
    expect(grouping.names).toEqual(['clean', 'default', 'raw']);
    expect(grouping.members.map((m) => m.length)).toEqual([2, 1, 3]);
  });

  it('lays open groups out as boxes that do not overlap, closed ones as cards', () => {
    const open = buildGraphModel(GRAPH);
    expect(open.boxed).toBe(true);
    expect(open.aggregates).toEqual([]);
    expect(open.edges).toHaveLength(5);
    const boxes = open.groups;
    for (const a of boxes)
      for (const b of boxes) {
        if (a === b) continue;
        const apart =
          a.left + a.width <= b.left ||
          b.left + b.width <= a.left ||
          a.top + a.height <= b.top ||
          b.top + b.height <= a.top;
        expect(apart, `${a.name} and ${b.name} overlap`).toBe(true);
      }
    // Each asset inside its group's box; the raw group before clean, clean before report.
    for (const node of open.nodes) {
      const box = boxes[node.group]!;
      expect(node.x).toBeGreaterThanOrEqual(box.left);
      expect(node.y).toBeGreaterThanOrEqual(box.top);
      expect(node.y).toBeLessThanOrEqual(box.top + box.height);
    }
    const left = (name: string) => boxes.find((g) => g.name === name)!.left;
    expect(left('raw')).toBeLessThan(left('clean'));
    expect(left('clean')).toBeLessThan(left('default'));
  });

  it('aggregates the edges of closed groups, one per pair with its count', () => {
    const model = buildGraphModel(GRAPH, (name) => name === 'default');
    expect(model.nodes.filter((n) => n.shown).map((n) => n.key)).toEqual(['report']);
    expect(model.edges).toEqual([]);
    const names = (end: { asset?: number; group?: number }) =>
      end.asset !== undefined ? model.nodes[end.asset]!.key : model.groups[end.group!]!.name;
    expect(model.aggregates.map((edge) => [names(edge.from), names(edge.to), edge.count])).toEqual([
      ['raw', 'clean', 3],
      ['clean', 'report', 2],
    ]);
    expect(model.groups.find((g) => g.name === 'raw')!.counts.missing).toBe(3);
  });
});

describe("the graph view's URL", () => {
  it('writes a view and reads it back', () => {
    const state = {
      select: '+mesh',
      query: 'fea',
      asset: 'sim/mesh',
      open: ['cad', 'sim'],
      camera: { z: 1.5, x: 820, y: -40 },
    };
    const search = graphSearch(state);
    expect(search).toBe('select=%2Bmesh&q=fea&asset=sim/mesh&open=cad,sim&z=1.5&x=820&y=-40');
    expect(parseGraphUrl(search)).toEqual(state);
    expect(parseGraphUrl('open=*').open).toBe('all');
    expect(parseGraphUrl('open=').open).toEqual([]);
  });

  it('drops what it cannot read instead of failing', () => {
    expect(parseGraphUrl('z=abc&x=1&y=2&asset=')).toEqual({});
    expect(parseGraphUrl('z=-1&x=1&y=2')).toEqual({});
    expect(parseGraphUrl('%E0%A4%A')).toEqual({});
  });
});
