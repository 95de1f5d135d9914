// Edge routes of the asset graph, without a browser: on small layouts (one group and grouped,
// rows shifted by centring, collapsed group cards in the way), no segment of a routed edge
// crosses a card that is not one of its ends, and an edge between adjacent columns stays one
// curve (no route).
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../lineage/src/graph/graph-data.js';
import { graphOf } from './graph-of.js';
import { buildGraphModel, NODE_HEIGHT, NODE_WIDTH } from '../../lineage/src/graph/graph-model.js';
import { edgeRouter, laneIn } from '../../lineage/src/graph/edge-routes.js';
import { GROUP_CARD_HEIGHT } from '../../lineage/src/graph/group-layout.js';

/** Whether the segment (x1, y1)-(x2, y2) enters the open rectangle (Liang-Barsky clipping). */
function crosses(
  [x1, y1, x2, y2]: readonly number[],
  rect: { left: number; top: number; right: number; bottom: number },
): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2! - x1!;
  const dy = y2! - y1!;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q > 0;
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    return t0 < t1;
  };
  return (
    clip(-dx, x1! - rect.left) &&
    clip(dx, rect.right - x1!) &&
    clip(-dy, y1! - rect.top) &&
    clip(dy, rect.bottom - y1!)
  );
}

/** A row of `count` nodes in `layer` of group `group`, named `prefix0`, `prefix1`, …. */
function column(
  prefix: string,
  group: string,
  layer: number,
  count: number,
): [string, string, number, number][] {
  return Array.from({ length: count }, (_, row) => [`${prefix}${row}`, group, layer, row]);
}

const CASES: {
  name: string;
  graph: GraphDocument;
  open?: (group: string) => boolean;
  routed: number;
}[] = [
  {
    name: 'a same-row edge skipping a column',
    graph: graphOf(
      [...column('a', 'g', 0, 1), ...column('b', 'g', 1, 1), ...column('c', 'g', 2, 1)],
      [
        ['a0', 'b0'],
        ['b0', 'c0'],
        ['a0', 'c0'],
      ],
    ),
    routed: 1,
  },
  {
    name: 'edges across full columns, down and up',
    graph: graphOf(
      [...column('a', 'g', 0, 5), ...column('b', 'g', 1, 5), ...column('c', 'g', 2, 5)].concat(
        column('d', 'g', 3, 5),
      ),
      [
        ['a0', 'd4'],
        ['a4', 'd0'],
        ['a2', 'c2'],
        ['b1', 'd3'],
        ['a1', 'b1'],
      ],
    ),
    routed: 4,
  },
  {
    name: 'columns shifted by half a row (short columns are centred)',
    graph: graphOf(
      [
        ...column('a', 'g', 0, 4),
        ...column('b', 'g', 1, 3),
        ...column('c', 'g', 2, 2),
        ...column('d', 'g', 3, 4),
      ],
      [
        ['a0', 'd3'],
        ['a3', 'd1'],
        ['a1', 'c1'],
        ['b0', 'd0'],
      ],
    ),
    routed: 4,
  },
  {
    name: 'grouped, with a collapsed group in the way',
    graph: graphOf(
      [
        ...column('raw/a', 'g', 0, 3),
        ...column('mid/a', 'g', 1, 3),
        ...column('out/a', 'g', 2, 3),
        ...column('late/a', 'g', 3, 2),
      ],
      [
        ['raw/a0', 'mid/a0'],
        ['mid/a1', 'out/a1'],
        ['raw/a0', 'out/a2'],
        ['raw/a2', 'late/a1'],
        ['raw/a1', 'late/a0'],
        ['out/a0', 'late/a0'],
      ],
    ),
    open: (group) => group !== 'mid',
    routed: 3,
  },
];

describe('edge routes', () => {
  it.each(CASES)('$name: no routed segment crosses a card but its ends', (c) => {
    const model = buildGraphModel(c.graph, c.open);
    const router = edgeRouter(model);
    const cards = model.nodes
      .filter((node) => node.shown)
      .map((node) => ({
        index: node.index,
        left: node.x,
        top: node.y,
        right: node.x + NODE_WIDTH,
        bottom: node.y + NODE_HEIGHT,
      }));
    for (const group of model.groups) {
      if (group.expanded) continue;
      cards.push({
        index: -1,
        left: group.left,
        top: group.top,
        right: group.left + group.width,
        bottom: group.top + GROUP_CARD_HEIGHT,
      });
    }
    let routed = 0;
    model.edges.forEach((edge, index) => {
      const from = model.nodes[edge.from]!;
      const to = model.nodes[edge.to]!;
      const route = router.route(index);
      if (to.layer - from.layer <= 1) {
        expect(route, 'an edge within one gap stays a curve').toBeNull();
        return;
      }
      expect(route).not.toBeNull();
      routed++;
      const points = route!.points;
      expect(points.slice(0, 2)).toEqual([from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2]);
      expect(points.slice(-2)).toEqual([to.x, to.y + NODE_HEIGHT / 2]);
      for (let i = 0; i + 3 < points.length; i += 2) {
        const segment = points.slice(i, i + 4);
        // Axis-parallel: a route is horizontal runs and vertical turns.
        expect(segment[0] === segment[2] || segment[1] === segment[3]).toBe(true);
        for (const card of cards) {
          if (card.index === edge.from || card.index === edge.to) continue;
          expect(crosses(segment, card), `${from.key} → ${to.key} through a card`).toBe(false);
        }
      }
    });
    expect(routed).toBe(c.routed);
  });

  it('keeps a lane that is free and moves off a card to the nearer gap', () => {
    // Cards (with margins) at 0-50 and 60-110.
    const spans = Float64Array.from([0, 50, 60, 110]);
    expect(laneIn(spans, 200, 0)).toBe(200);
    expect(laneIn(spans, 55, 0)).toBe(55);
    expect(laneIn(spans, 40, 0)).toBe(55);
    expect(laneIn(spans, 100, 0)).toBeGreaterThan(110);
    expect(laneIn(spans, 10, 300)).toBeLessThan(0);
    expect(laneIn(spans, 25, 300)).toBe(55);
    expect(laneIn(undefined, 25, 0)).toBe(25);
  });
});
