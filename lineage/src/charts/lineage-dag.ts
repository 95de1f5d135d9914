// A materialization's neighbourhood as a left-to-right SVG graph: what it was built from on the
// left, what was built from it on the right, the materialization itself in the middle,
// highlighted. Columns by longest distance from it, so every edge points the same way; each
// column is centred on the focus's row. Each node links to its materialization page.
import type { Lineage } from '../api/types.js';
import { h, s } from '../dom.js';
import { shortHash, timeAgo } from '../format.js';
import { navigate, routes } from '../router.js';

const NODE_W = 190;
const NODE_H = 42;
const COLUMN_W = 250;
const ROW_H = 54;
const PAD = 10;
/** More nodes than this are not drawn (the page says how many were left out). */
export const MAX_DAG_NODES = 400;

type LineageNode = Lineage['nodes'][number];
type LineageEdge = Lineage['edges'][number];

/** The part of the lineage to draw around `root`: either side may be empty. */
export interface Neighbourhood {
  readonly root: number;
  readonly upstream: {
    readonly nodes: readonly LineageNode[];
    readonly edges: readonly LineageEdge[];
  };
  readonly downstream: {
    readonly nodes: readonly LineageNode[];
    readonly edges: readonly LineageEdge[];
  };
}

/** The drawn graph and a way to bring its focus into view once it is on the page. */
export interface LineageDag {
  readonly element: HTMLElement;
  /** Scrolls the graph's box so the focus materialization is in its middle. */
  centreOnFocus(): void;
}

/** The graph of `hood`. */
export function lineageDag(hood: Neighbourhood): LineageDag {
  const level = new Map<number, number>([[hood.root, 0]]);
  // Upstream: walk from a consumer to its inputs (to -> from); downstream: from -> to.
  assignLevels(hood.root, hood.upstream.edges, (e) => [e.to, e.from], -1, level);
  assignLevels(hood.root, hood.downstream.edges, (e) => [e.from, e.to], 1, level);
  const byId = new Map<number, LineageNode>();
  for (const node of [...hood.upstream.nodes, ...hood.downstream.nodes])
    if (level.has(node.materializationId)) byId.set(node.materializationId, node);
  const all = [...byId.values()];
  // The nearest first, the focus always: what is cut is the far end.
  all.sort((a, b) => a.depth - b.depth || a.materializationId - b.materializationId);
  const nodes = all.slice(0, MAX_DAG_NODES);
  const drawn = new Set(nodes.map((node) => node.materializationId));
  const levels = nodes.map((node) => level.get(node.materializationId)!);
  const minLevel = Math.min(0, ...levels);
  const maxLevel = Math.max(0, ...levels);
  const columns = new Map<number, LineageNode[]>();
  for (const node of nodes) {
    const l = level.get(node.materializationId)!;
    let column = columns.get(l);
    if (column === undefined) columns.set(l, (column = []));
    column.push(node);
  }
  const maxRows = Math.max(1, ...[...columns.values()].map((column) => column.length));
  const place = new Map<number, { x: number; y: number }>();
  for (const [l, column] of columns) {
    column.sort(
      (a, b) =>
        a.assetKey.localeCompare(b.assetKey) ||
        (a.partition ?? '').localeCompare(b.partition ?? '', undefined, { numeric: true }),
    );
    const x = (l - minLevel) * COLUMN_W + PAD;
    const top = ((maxRows - column.length) * ROW_H) / 2 + PAD;
    column.forEach((node, row) => place.set(node.materializationId, { x, y: top + row * ROW_H }));
  }
  const width = (maxLevel - minLevel + 1) * COLUMN_W - (COLUMN_W - NODE_W) + 2 * PAD;
  const height = maxRows * ROW_H + 2 * PAD;
  const seen = new Set<string>();
  const edges = [...hood.upstream.edges, ...hood.downstream.edges]
    .filter((edge) => {
      const id = `${edge.from}>${edge.to}>${edge.inputName}`;
      if (seen.has(id) || !drawn.has(edge.from) || !drawn.has(edge.to)) return false;
      seen.add(id);
      return true;
    })
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
  const boxes = nodes.map((node) => nodeBox(node, place.get(node.materializationId)!, hood.root));
  const left = all.length - nodes.length;
  const wrap = h(
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
        'aria-label': 'lineage',
        'data-columns-up': -minLevel,
        'data-columns-down': maxLevel,
      },
      ...edges,
      ...boxes,
    ),
  );
  const focus = place.get(hood.root)!;
  return {
    element: h(
      'div',
      {},
      wrap,
      left > 0
        ? h(
            'p',
            { class: 'muted' },
            `${left} more materialization(s) not drawn; show fewer levels.`,
          )
        : null,
    ),
    centreOnFocus() {
      wrap.scrollLeft = focus.x + NODE_W / 2 - wrap.clientWidth / 2;
      wrap.scrollTop = focus.y + NODE_H / 2 - wrap.clientHeight / 2;
    },
  };
}

/** One node: its asset and partition, id, data version and age; a click opens it. */
function nodeBox(node: LineageNode, at: { x: number; y: number }, root: number): SVGGElement {
  const label = `${node.assetKey}${node.partition === null ? '' : `[${node.partition}]`}`;
  const isRoot = node.materializationId === root;
  const group = s(
    'g',
    {
      class: `dag-node${isRoot ? ' root' : ''}`,
      transform: `translate(${at.x},${at.y})`,
      tabindex: 0,
      role: 'link',
      'aria-label': `materialization ${node.materializationId}: ${label}`,
      'aria-current': isRoot ? 'true' : undefined,
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
}

/**
 * Sets the level of every node reachable from `root` along `edges` (each read as [near, far]
 * by `ends`) to `sign` times its longest distance from the root.
 */
function assignLevels(
  root: number,
  edges: readonly LineageEdge[],
  ends: (edge: LineageEdge) => [number, number],
  sign: 1 | -1,
  level: Map<number, number>,
): void {
  const away = new Map<number, number[]>();
  for (const edge of edges) {
    const [near, far] = ends(edge);
    let list = away.get(near);
    if (list === undefined) away.set(near, (list = []));
    list.push(far);
  }
  const distance = new Map<number, number>([[root, 0]]);
  for (const id of topological(root, away)) {
    for (const next of away.get(id) ?? [])
      distance.set(next, Math.max(distance.get(next) ?? 0, distance.get(id)! + 1));
  }
  for (const [id, d] of distance) if (id !== root) level.set(id, sign * d);
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
