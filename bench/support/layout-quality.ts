// The quality of a drawn graph, whatever laid it out: edges as polylines between cards, counted
// for crossing points (two edges' segments properly intersecting, edges sharing an end excluded)
// and for cards an edge passes through that are not its ends. A uniform grid keeps both near
// linear in the number of segments (each crossing is counted in the one cell holding it).

/** A card: its rectangle. */
export interface DrawnCard {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An edge between cards `from` and `to`, as a polyline (x0, y0, x1, y1, …). */
export interface DrawnEdge {
  readonly from: number;
  readonly to: number;
  readonly points: readonly number[];
}

/** What was measured. */
export interface LayoutQuality {
  readonly crossings: number;
  /** Edge segments × cards they pass through (not their ends). */
  readonly throughCards: number;
  /** Edges passing through at least one card that is not an end. */
  readonly edgesThroughCards: number;
  readonly segments: number;
  /** Width × height of the drawing, in card areas. */
  readonly area: number;
}

const CELL = 128;

/** A uniform grid of items by the cells their bounding boxes touch. */
class Grid {
  readonly cells = new Map<number, number[]>();
  add(item: number, x0: number, y0: number, x1: number, y1: number): void {
    for (const key of this.keys(x0, y0, x1, y1)) {
      let list = this.cells.get(key);
      if (list === undefined) this.cells.set(key, (list = []));
      list.push(item);
    }
  }
  *keys(x0: number, y0: number, x1: number, y1: number): Generator<number> {
    const [cx0, cx1] = [Math.floor(Math.min(x0, x1) / CELL), Math.floor(Math.max(x0, x1) / CELL)];
    const [cy0, cy1] = [Math.floor(Math.min(y0, y1) / CELL), Math.floor(Math.max(y0, y1) / CELL)];
    for (let cx = cx0; cx <= cx1; cx++)
      for (let cy = cy0; cy <= cy1; cy++) yield (cx + 50_000) * 100_000 + (cy + 50_000);
  }
}

/** Whether segment p enters the open rectangle (Liang-Barsky). */
function entersCard(x1: number, y1: number, x2: number, y2: number, card: DrawnCard): boolean {
  let t0 = 0;
  let t1 = 1;
  const inset = 0.5; // touching an edge of the card is not passing through it
  const bounds = [
    [-(x2 - x1), x1 - (card.x + inset)],
    [x2 - x1, card.x + card.width - inset - x1],
    [-(y2 - y1), y1 - (card.y + inset)],
    [y2 - y1, card.y + card.height - inset - y1],
  ] as const;
  for (const [p, q] of bounds) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

/** The proper intersection point of two segments, or undefined. */
function intersection(a: readonly number[], b: readonly number[]): [number, number] | undefined {
  const [ax, ay, bx, by] = a as [number, number, number, number];
  const [cx, cy, dx, dy] = b as [number, number, number, number];
  const r = [bx - ax, by - ay];
  const s = [dx - cx, dy - cy];
  const denominator = r[0]! * s[1]! - r[1]! * s[0]!;
  if (Math.abs(denominator) < 1e-9) return undefined; // parallel: shared channels do not cross
  const t = ((cx - ax) * s[1]! - (cy - ay) * s[0]!) / denominator;
  const u = ((cx - ax) * r[1]! - (cy - ay) * r[0]!) / denominator;
  const eps = 1e-6;
  if (t <= eps || t >= 1 - eps || u <= eps || u >= 1 - eps) return undefined;
  return [ax + t * r[0]!, ay + t * r[1]!];
}

/** Crossings and cards passed through of `edges` drawn among `cards`. */
export function layoutQuality(
  cards: readonly DrawnCard[],
  edges: readonly DrawnEdge[],
): LayoutQuality {
  const cardGrid = new Grid();
  let right = 0;
  let bottom = 0;
  cards.forEach((card, i) => {
    cardGrid.add(i, card.x, card.y, card.x + card.width, card.y + card.height);
    right = Math.max(right, card.x + card.width);
    bottom = Math.max(bottom, card.y + card.height);
  });
  const segments: { edge: number; points: number[] }[] = [];
  const segmentGrid = new Grid();
  let throughCards = 0;
  let edgesThroughCards = 0;
  edges.forEach((edge, e) => {
    const p = edge.points;
    let through = 0;
    for (let i = 0; i + 3 < p.length; i += 2) {
      const s = [p[i]!, p[i + 1]!, p[i + 2]!, p[i + 3]!];
      segmentGrid.add(segments.length, s[0]!, s[1]!, s[2]!, s[3]!);
      segments.push({ edge: e, points: s });
      const seen = new Set<number>();
      for (const key of cardGrid.keys(s[0]!, s[1]!, s[2]!, s[3]!)) {
        for (const c of cardGrid.cells.get(key) ?? []) {
          if (c === edge.from || c === edge.to || seen.has(c)) continue;
          seen.add(c);
          if (entersCard(s[0]!, s[1]!, s[2]!, s[3]!, cards[c]!)) through++;
        }
      }
    }
    throughCards += through;
    if (through > 0) edgesThroughCards++;
  });
  let crossings = 0;
  for (const [key, list] of segmentGrid.cells) {
    for (let i = 0; i < list.length; i++) {
      const a = segments[list[i]!]!;
      const ea = edges[a.edge]!;
      for (let j = i + 1; j < list.length; j++) {
        const b = segments[list[j]!]!;
        if (a.edge === b.edge) continue;
        const eb = edges[b.edge]!;
        if (ea.from === eb.from || ea.to === eb.to || ea.from === eb.to || ea.to === eb.from)
          continue;
        const point = intersection(a.points, b.points);
        if (point === undefined) continue;
        const [cell] = segmentGrid.keys(point[0], point[1], point[0], point[1]);
        if (cell === key) crossings++;
      }
    }
  }
  const cardArea = cards.length === 0 ? 1 : cards[0]!.width * cards[0]!.height;
  return {
    crossings,
    throughCards,
    edgesThroughCards,
    segments: segments.length,
    area: (right * bottom) / cardArea,
  };
}

/** A cubic bezier from (x1, y1) to (x2, y2) as `steps` segments. */
export function bezierPoints(
  x1: number,
  y1: number,
  c1x: number,
  c1y: number,
  c2x: number,
  c2y: number,
  x2: number,
  y2: number,
  steps = 12,
): number[] {
  const points: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const d = t * t * t;
    points.push(a * x1 + b * c1x + c * c2x + d * x2, a * y1 + b * c1y + c * c2y + d * y2);
  }
  return points;
}
