// The compound layout of grouped assets, computed in the browser from the server's layered
// layout: each group is a box whose columns are the layers its assets occupy (rows in the
// server's order, short columns centred), or one card when collapsed. Boxes are placed on the
// same column grid as assets (a box's start column is after every group it depends on, in the
// order of their first layer; a dependency the other way is drawn as a back edge) and stacked
// where their columns overlap. O(assets + edges): a few milliseconds at 10,000 assets.
import type { GraphDocument } from './graph-data.js';
import type { AssetGrouping } from './asset-groups.js';

/** Horizontal distance between columns, in world units (CSS pixels at zoom 1). */
export const COLUMN_WIDTH = 250;
/** Vertical distance between rows. */
export const ROW_HEIGHT = 64;
export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 46;
/** A collapsed group's card. */
export const GROUP_CARD_HEIGHT = 74;
/** A box's title strip above its assets, and its margin around them. */
export const BOX_HEADER = 34;
export const BOX_PADDING = 16;
/** Space between stacked boxes. */
const BOX_GAP = 40;

/** Where a group is drawn: its box (expanded) or its card (collapsed). */
export interface GroupPlacement {
  readonly column: number;
  readonly columns: number;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Positions of every asset (a collapsed group's assets sit on its card) and every group. */
export interface CompoundLayout {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Per asset, its grid column (x = column × COLUMN_WIDTH). */
  readonly column: Int32Array;
  readonly groups: readonly GroupPlacement[];
  /** Whether groups are drawn as boxes (false: one group, the plain layered layout). */
  readonly boxed: boolean;
}

/** Lays out `graph` with the groups of `grouping`, those in `expanded` open. */
export function compoundLayout(
  graph: GraphDocument,
  grouping: AssetGrouping,
  expanded: (group: number) => boolean,
): CompoundLayout {
  const { nodes } = graph;
  const boxed = grouping.names.length > 1;
  const header = boxed ? BOX_HEADER : 0;
  const count = grouping.names.length;

  // Per group: its layers (compressed to local columns), and per local column its assets by row.
  const localColumns: number[][][] = [];
  const minLayer: number[] = [];
  for (let g = 0; g < count; g++) {
    const members = grouping.members[g]!;
    const layers = [...new Set(members.map((i) => nodes[i]!.layout.layer))].sort((a, b) => a - b);
    const local = new Map(layers.map((layer, i) => [layer, i]));
    const columns: number[][] = layers.map(() => []);
    for (const i of members) columns[local.get(nodes[i]!.layout.layer)!]!.push(i);
    for (const column of columns)
      column.sort((a, b) => nodes[a]!.layout.row - nodes[b]!.layout.row);
    localColumns.push(columns);
    minLayer.push(layers[0] ?? 0);
  }
  const order = [...Array(count).keys()].sort((a, b) => minLayer[a]! - minLayer[b]! || a - b);
  const rank = new Int32Array(count);
  order.forEach((g, i) => (rank[g] = i));
  const predecessors: Set<number>[] = Array.from({ length: count }, () => new Set());
  for (const { from, to } of graph.edges) {
    const a = grouping.groupOf[from]!;
    const b = grouping.groupOf[to]!;
    if (a !== b && rank[a]! < rank[b]!) predecessors[b]!.add(a);
  }

  const open = (g: number): boolean => !boxed || expanded(g);
  const spanOf = (g: number): number => (open(g) ? Math.max(1, localColumns[g]!.length) : 1);
  const rowsOf = (g: number): number => Math.max(1, ...localColumns[g]!.map((c) => c.length));
  const heightOf = (g: number): number =>
    open(g)
      ? header + rowsOf(g) * ROW_HEIGHT - (ROW_HEIGHT - NODE_HEIGHT) + (boxed ? 2 * BOX_PADDING : 0)
      : GROUP_CARD_HEIGHT;

  // Start columns: after every earlier group this one depends on (longest path in columns).
  const start = new Int32Array(count);
  for (const g of order) {
    let column = 0;
    for (const p of predecessors[g]!) column = Math.max(column, start[p]! + spanOf(p));
    start[g] = column;
  }
  // Stack boxes column by column, each under whatever already fills its columns; a group
  // placed near the middle of its dependencies when there is room.
  const placementOrder = [...order].sort((a, b) => start[a]! - start[b]! || rank[a]! - rank[b]!);
  const skyline: number[] = [];
  const placements: GroupPlacement[] = new Array<GroupPlacement>(count);
  for (const g of placementOrder) {
    const span = spanOf(g);
    let top = 0;
    for (let c = start[g]!; c < start[g]! + span; c++) top = Math.max(top, skyline[c] ?? 0);
    let wanted = 0;
    let known = 0;
    for (const p of predecessors[g]!) {
      const placed = placements[p];
      if (placed === undefined) continue;
      wanted += placed.top + placed.height / 2;
      known++;
    }
    const height = heightOf(g);
    if (known > 0) top = Math.max(top, wanted / known - height / 2);
    const pad = boxed && open(g) ? BOX_PADDING : 0;
    placements[g] = {
      column: start[g]!,
      columns: span,
      left: start[g]! * COLUMN_WIDTH - pad,
      top,
      width: (span - 1) * COLUMN_WIDTH + NODE_WIDTH + 2 * pad,
      height,
    };
    for (let c = start[g]!; c < start[g]! + span; c++) skyline[c] = top + height + BOX_GAP;
  }

  const x = new Float64Array(nodes.length);
  const y = new Float64Array(nodes.length);
  const column = new Int32Array(nodes.length);
  for (let g = 0; g < count; g++) {
    const placed = placements[g]!;
    if (!open(g)) {
      for (const i of grouping.members[g]!) {
        x[i] = placed.left;
        y[i] = placed.top;
        column[i] = placed.column;
      }
      continue;
    }
    const rows = rowsOf(g);
    const pad = boxed ? BOX_PADDING : 0;
    localColumns[g]!.forEach((assets, local) => {
      const offset = (rows - assets.length) / 2; // centre short columns
      assets.forEach((i, row) => {
        column[i] = placed.column + local;
        x[i] = column[i] * COLUMN_WIDTH;
        y[i] = placed.top + pad + header + (row + offset) * ROW_HEIGHT;
      });
    });
  }
  return { x, y, column, groups: placements, boxed };
}
