// Routes of the asset graph's edges around cards. An edge between adjacent columns stays one
// curve (it crosses only the free gap between them). An edge spanning more columns leaves its
// source into the gap after the source's column, turns to a lane that is free in the next
// column (the gap between two cards, or above or below them all), runs along free lanes across
// every column in between (jogging in the gaps between columns when a lane ends), and turns to
// its target in the gap before the target's column: no segment crosses a card that is not an end
// of the edge. Routes are computed when first drawn and kept with the model: a binary search per
// column crossed, about 0.1 s for all ~19,000 edges of the 10,000-asset benchmark graph with
// every group open, so a frame computes a bounded number of them (graph-renderer.ts).
import {
  COLUMN_WIDTH,
  NODE_HEIGHT,
  NODE_WIDTH,
  type GraphModel,
  type PlacedEdge,
} from './graph-model.js';
import { GROUP_CARD_HEIGHT } from './group-layout.js';

/** Clearance kept between a lane and the cards beside it. */
const MARGIN = 4;
/** Gap between two columns' cards. */
const GAP = COLUMN_WIDTH - NODE_WIDTH;
/** Vertical runs in a gap spread over a few tracks this far apart, so they do not all overlap. */
const TRACK = 5;
const TRACKS = 5;

/** A routed edge: its polyline (x0, y0, x1, y1, …) and its vertical extent, for culling. */
export interface EdgeRoute {
  readonly points: readonly number[];
  readonly top: number;
  readonly bottom: number;
}

/** A column's vertical extents of what sits in it, merged, with the margin: [top, bottom]… */
type Obstacles = (column: number) => Float64Array;

/** The routes of a model's edges, computed on demand. */
export class EdgeRouter {
  private readonly obstacles: Obstacles;
  private readonly routes: (EdgeRoute | null | undefined)[];
  /** Whether a frame left routes to compute (it drew those edges as curves meanwhile). */
  pending = false;

  constructor(private readonly model: GraphModel) {
    this.obstacles = obstaclesOf(model);
    this.routes = new Array<EdgeRoute | null | undefined>(model.edges.length);
  }

  /** The route of `model.edges[index]`, or null for an edge drawn as one curve. */
  route(index: number): EdgeRoute | null {
    let route = this.routes[index];
    if (route === undefined) {
      route = routeEdge(this.model, this.obstacles, this.model.edges[index]!);
      this.routes[index] = route;
    }
    return route;
  }

  /** The route if computed already (undefined: not yet). */
  known(index: number): EdgeRoute | null | undefined {
    return this.routes[index];
  }
}

const routers = new WeakMap<GraphModel, EdgeRouter>();

/** The router of `model`, made once. */
export function edgeRouter(model: GraphModel): EdgeRouter {
  let router = routers.get(model);
  if (router === undefined) routers.set(model, (router = new EdgeRouter(model)));
  return router;
}

/** Per column, made when a route first crosses it (a view up close touches a few columns). */
function obstaclesOf(model: GraphModel): Obstacles {
  const cards: number[][] = []; // collapsed groups' cards by column: top, bottom, …
  if (model.boxed) {
    for (const group of model.groups) {
      if (group.expanded) continue;
      const column = (cards[Math.round(group.left / COLUMN_WIDTH)] ??= []);
      column.push(group.top - MARGIN, group.top + GROUP_CARD_HEIGHT + MARGIN);
    }
  }
  const made: Float64Array[] = [];
  return (c) => {
    let spans = made[c];
    if (spans === undefined) {
      const flat: number[] = [];
      for (const index of model.columns[c] ?? []) {
        const y = model.nodes[index]!.y;
        flat.push(y - MARGIN, y + NODE_HEIGHT + MARGIN);
      }
      flat.push(...(cards[c] ?? []));
      made[c] = spans = merge(flat);
    }
    return spans;
  };
}

/** Sorted, merged [top, bottom] pairs (sorted by top already unless a group card was added). */
function merge(flat: number[]): Float64Array {
  let sorted = true;
  for (let i = 2; i < flat.length && sorted; i += 2) sorted = flat[i - 2]! <= flat[i]!;
  if (!sorted) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    pairs.sort((a, b) => a[0] - b[0]);
    flat = pairs.flat();
  }
  const merged = new Float64Array(flat.length);
  let length = 0;
  for (let i = 0; i < flat.length; i += 2) {
    if (length > 0 && flat[i]! <= merged[length - 1]!) {
      merged[length - 1] = Math.max(merged[length - 1]!, flat[i + 1]!);
    } else {
      merged[length++] = flat[i]!;
      merged[length++] = flat[i + 1]!;
    }
  }
  return merged.subarray(0, length);
}

/** The middle of the gap above span `upper` of `spans` (above the first, below the last). */
function gapMiddle(spans: Float64Array, upper: number): number {
  if (upper === 0) return spans[0]! - GAP / 4;
  if (2 * upper === spans.length) return spans[spans.length - 1]! + GAP / 4;
  return (spans[2 * upper - 1]! + spans[2 * upper]!) / 2;
}

/**
 * The free lane of `column` nearest to `y`: `y` itself when free (snapped to the middle of a
 * gap between two cards), else the middle of the gap above or below the card in the way, the
 * nearer one (ties go the way of `toward`).
 */
export function laneIn(spans: Float64Array | undefined, y: number, toward: number): number {
  if (spans === undefined || spans.length === 0) return y;
  // The first span whose bottom is below y.
  let low = 0;
  let high = spans.length / 2;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[2 * middle + 1]! <= y) low = middle + 1;
    else high = middle;
  }
  const k = low;
  const inside = k < spans.length / 2 && spans[2 * k]! < y;
  if (!inside) {
    // A narrow gap between two cards: its middle, so lanes of a row gap line up.
    const narrow = k > 0 && k < spans.length / 2 && spans[2 * k]! - spans[2 * k - 1]! < GAP;
    return narrow ? gapMiddle(spans, k) : y;
  }
  const above = gapMiddle(spans, k);
  const below = gapMiddle(spans, k + 1);
  const up = y - above;
  const down = below - y;
  if (Math.abs(up - down) < 0.5) return toward > y ? below : above;
  return up < down ? above : below;
}

function routeEdge(model: GraphModel, obstacles: Obstacles, edge: PlacedEdge): EdgeRoute | null {
  const from = model.nodes[edge.from]!;
  const to = model.nodes[edge.to]!;
  if (to.layer - from.layer <= 1) return null;
  const x1 = from.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_HEIGHT / 2;
  const points = [x1, y1];
  let y = y1;
  for (let c = from.layer + 1; c < to.layer; c++) {
    const lane = laneIn(obstacles(c), y, y2);
    if (lane !== y) {
      // Turn in the gap before column c, on a track of its own (by source, then by target).
      const track = c === from.layer + 1 ? edge.from : edge.to;
      const x = c * COLUMN_WIDTH - GAP / 2 + ((track % TRACKS) - (TRACKS >> 1)) * TRACK;
      points.push(x, y, x, lane);
      y = lane;
    }
  }
  if (y !== y2) {
    const x = to.layer * COLUMN_WIDTH - GAP / 2 + ((edge.to % TRACKS) - (TRACKS >> 1)) * TRACK;
    points.push(x, y, x, y2);
  }
  points.push(x2, y2);
  let top = Infinity;
  let bottom = -Infinity;
  for (let i = 1; i < points.length; i += 2) {
    top = Math.min(top, points[i]!);
    bottom = Math.max(bottom, points[i]!);
  }
  return { points, top, bottom };
}

/** Radius of a route's rounded corners (smaller where its segments are short). */
const CORNER = 10;

/** What tracing a route needs of a canvas context. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arcTo(x1: number, y1: number, x2: number, y2: number, radius: number): void;
}

/** Adds a route's polyline to the current path, with rounded corners unless `sharp`. */
export function traceRoute(context: PathSink, points: readonly number[], sharp = false): void {
  const n = points.length / 2;
  context.moveTo(points[0]!, points[1]!);
  if (sharp) {
    for (let i = 1; i < n; i++) context.lineTo(points[2 * i]!, points[2 * i + 1]!);
    return;
  }
  for (let i = 1; i < n - 1; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const before = Math.hypot(x - points[2 * i - 2]!, y - points[2 * i - 1]!);
    const after = Math.hypot(points[2 * i + 2]! - x, points[2 * i + 3]! - y);
    const radius = Math.min(CORNER, before / 2, after / 2);
    context.arcTo(x, y, points[2 * i + 2]!, points[2 * i + 3]!, radius);
  }
  context.lineTo(points[2 * n - 2]!, points[2 * n - 1]!);
}
