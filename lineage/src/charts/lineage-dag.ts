// A materialization's lineage as a left-to-right SVG graph of the exact materializations it was
// built from (or that were built from it): columns by longest distance from the root, so every
// edge points the same way. Each node links to its materialization page.
import type { Lineage } from '../api/types.js';
import { h, s } from '../dom.js';
import { shortHash, timeAgo } from '../format.js';
import { navigate, routes } from '../router.js';

const NODE_W = 190;
const NODE_H = 42;
const COLUMN_W = 250;
const ROW_H = 54;
/** More nodes than this are not drawn (the page says how many were left out). */
export const MAX_DAG_NODES = 400;

type LineageNode = Lineage['nodes'][number];

/** The lineage graph, or a note when it is too large to draw. */
export function lineageDag(lineage: Lineage): HTMLElement {
  const upstream = lineage.direction === 'upstream';
  // Longest distance from the root, walking away from it along the edges.
  const away = new Map<number, number[]>();
  for (const edge of lineage.edges) {
    const [near, far] = upstream ? [edge.to, edge.from] : [edge.from, edge.to];
    let list = away.get(near);
    if (list === undefined) away.set(near, (list = []));
    list.push(far);
  }
  const level = new Map<number, number>([[lineage.root, 0]]);
  const order = topological(lineage.root, away);
  for (const id of order) {
    for (const next of away.get(id) ?? [])
      level.set(next, Math.max(level.get(next) ?? 0, (level.get(id) ?? 0) + 1));
  }
  const nodes = lineage.nodes
    .filter((node) => level.has(node.materializationId))
    .slice(0, MAX_DAG_NODES);
  const drawn = new Set(nodes.map((node) => node.materializationId));
  const maxLevel = Math.max(0, ...nodes.map((node) => level.get(node.materializationId)!));
  const columns = new Map<number, LineageNode[]>();
  for (const node of nodes) {
    const l = level.get(node.materializationId)!;
    let column = columns.get(l);
    if (column === undefined) columns.set(l, (column = []));
    column.push(node);
  }
  const place = new Map<number, { x: number; y: number }>();
  let maxRows = 0;
  for (const [l, column] of columns) {
    column.sort(
      (a, b) =>
        a.assetKey.localeCompare(b.assetKey) ||
        (a.partition ?? '').localeCompare(b.partition ?? '', undefined, { numeric: true }),
    );
    maxRows = Math.max(maxRows, column.length);
    const x = (upstream ? maxLevel - l : l) * COLUMN_W + 10;
    column.forEach((node, row) => place.set(node.materializationId, { x, y: row * ROW_H + 10 }));
  }
  const width = (maxLevel + 1) * COLUMN_W - (COLUMN_W - NODE_W) + 20;
  const height = maxRows * ROW_H + 20;
  const edges = lineage.edges
    .filter((edge) => drawn.has(edge.from) && drawn.has(edge.to))
    .map((edge) => {
      const a = place.get(edge.from)!;
      const b = place.get(edge.to)!;
      const [x1, y1, x2, y2] = [a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2];
      const bend = Math.max(30, (x2 - x1) / 2);
      return s(
        'path',
        { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, class: 'dag-edge' },
        s('title', {}, edge.inputName),
      );
    });
  const boxes = nodes.map((node) => {
    const { x, y } = place.get(node.materializationId)!;
    const label = `${node.assetKey}${node.partition === null ? '' : `[${node.partition}]`}`;
    const group = s(
      'g',
      {
        class: `dag-node${node.materializationId === lineage.root ? ' root' : ''}`,
        transform: `translate(${x},${y})`,
        tabindex: 0,
        role: 'link',
        'aria-label': `materialization ${node.materializationId}: ${label}`,
        'data-materialization': node.materializationId,
      },
      s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
      s(
        'text',
        { x: 8, y: 17, class: 'dag-label' },
        label.length > 26 ? `${label.slice(0, 25)}…` : label,
      ),
      s(
        'text',
        { x: 8, y: 33, class: 'dag-sub' },
        `#${node.materializationId} · ${shortHash(node.dataVersion).slice(0, 8)} · ${timeAgo(node.materializedAt)}`,
      ),
      s(
        'title',
        {},
        `${label}\nmaterialization ${node.materializationId}\ndata ${node.dataVersion}\ncode ${node.codeVersion}`,
      ),
    );
    const open = (): void => navigate(routes.materialization(node.materializationId));
    group.addEventListener('click', open);
    group.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') open();
    });
    return group;
  });
  const left = lineage.nodes.length - nodes.length;
  return h(
    'div',
    { class: 'dag-wrap' },
    s(
      'svg',
      {
        class: 'lineage-dag',
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        role: 'group',
        'aria-label': `${lineage.direction} lineage`,
      },
      ...edges,
      ...boxes,
    ),
    left > 0
      ? h(
          'p',
          { class: 'muted' },
          `${left} more materialization(s) not drawn; choose a smaller depth.`,
        )
      : null,
  );
}

/** Nodes reachable from `root`, each after every node that leads to it. */
function topological(root: number, away: ReadonlyMap<number, readonly number[]>): number[] {
  const indegree = new Map<number, number>();
  const seen = new Set<number>([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const next of away.get(stack.pop()!) ?? []) {
      indegree.set(next, (indegree.get(next) ?? 0) + 1);
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  const order: number[] = [];
  const ready = [root];
  while (ready.length > 0) {
    const id = ready.pop()!;
    order.push(id);
    for (const next of away.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order;
}
