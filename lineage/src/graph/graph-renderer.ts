// Draws the asset graph on a 2D canvas with level of detail: cards with labels, partition
// health and the freshness, automation and source markers up close (a source asset's card has a
// dashed border; edges spanning several columns routed around cards, lineage/src/graph/
// edge-routes.ts), labelled blocks further out (source blocks keep a dashed outline), plain
// coloured blocks and straight edges when the whole of a 10,000-node graph is on screen (warning
// and failing freshness stay visible as dots at every level). Only what intersects the viewport
// is drawn, and nodes are batched by colour so a frame is a few thousand canvas calls at most.
// Colours other than the states' come from the theme (light or dark, lineage/src/theme.ts).
import { palette, type Palette } from '../theme.js';
import type { Camera, Rect } from './camera.js';
import {
  firstBelow,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeState,
  ROW_HEIGHT,
  STATE_COLORS,
  type GraphModel,
  type PlacedNode,
} from './graph-model.js';
import { edgeRouter, traceRoute } from './edge-routes.js';
import { drawAggregateEdges, drawGroupBoxes, drawGroupCards } from './group-renderer.js';
import {
  drawBlockMarkers,
  drawCardMarkers,
  drawSourceBlocks,
  markerReserve,
  SOURCE_DASH,
} from './graph-markers.js';

/** Below this scale nodes lose their card (border, status line, health bar). */
const CARD_SCALE = 0.45;
/** Below this scale nodes lose their label. */
const LABEL_SCALE = 0.22;
/** Below this scale edges are straight lines (cheaper than curves, indistinguishable). */
const CURVE_SCALE = 0.12;
/** Routes computed in one frame at most (a few milliseconds); a view needing more draws over frames. */
const ROUTES_PER_FRAME = 800;

/** What is emphasized. */
export interface Highlight {
  readonly selected: number | undefined;
  /** Upstream and downstream of the selected node. */
  readonly upstream: ReadonlySet<number>;
  readonly downstream: ReadonlySet<number>;
  /** Nodes matched by a search or a selection expression. */
  readonly matches: ReadonlySet<number> | undefined;
  readonly hovered: number | undefined;
  /** The group whose card or title is under the pointer. */
  readonly hoveredGroup?: number | undefined;
}

const FONT = '600 15px system-ui, -apple-system, "Segoe UI", sans-serif';
/** Smaller sizes a card's label tries before it is shortened with an ellipsis. */
const LABEL_FONTS = [
  FONT,
  '600 13.5px system-ui, -apple-system, "Segoe UI", sans-serif',
  '600 12px system-ui, -apple-system, "Segoe UI", sans-serif',
];
const SMALL_FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

/** Whether the last frame of `model` left edge routes to compute: draw another frame. */
export function routesPending(model: GraphModel): boolean {
  return edgeRouter(model).pending;
}

/** Draws one frame. Returns how many nodes were drawn. */
export function drawGraph(
  context: CanvasRenderingContext2D,
  model: GraphModel,
  camera: Camera,
  viewport: { width: number; height: number; pixelRatio: number },
  highlight: Highlight,
  labels: LabelCache,
): number {
  const { width, height, pixelRatio } = viewport;
  const colors = palette();
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.fillStyle = backdrop(context, colors, pixelRatio);
  context.fillRect(0, 0, width, height);
  const scale = camera.scale;
  context.setTransform(
    pixelRatio * scale,
    0,
    0,
    pixelRatio * scale,
    pixelRatio * camera.offsetX,
    pixelRatio * camera.offsetY,
  );
  const view = camera.visible(width, height);
  const focused = focusOf(highlight);
  drawGroupBoxes(context, model, view, scale, colors, highlight.hoveredGroup);
  drawEdges(context, model, view, scale, highlight, focused, colors);
  const groupFocus =
    focused === undefined
      ? undefined
      : (group: { index: number; members: readonly number[] }) => group.members.some(focused);
  const endFocused = (end: { asset?: number; group?: number }): boolean =>
    end.asset !== undefined ? focused!(end.asset) : groupFocus!(model.groups[end.group!]!);
  drawAggregateEdges(
    context,
    model,
    view,
    scale,
    focused === undefined ? undefined : (edge) => endFocused(edge.from) && endFocused(edge.to),
    colors,
  );
  const visible = visibleNodes(model, view);
  drawNodes(context, visible, scale, highlight, focused, labels, colors);
  drawGroupCards(
    context,
    model,
    view,
    scale,
    groupFocus,
    groupRings(model, highlight, colors),
    colors,
  );
  if (scale < CARD_SCALE && scale >= LABEL_SCALE && model.sources.length > 0) {
    drawSourceBlocks(context, visibleOf(model, model.sources, view), scale, focused);
  }
  if (scale < CARD_SCALE && model.overdue.length > 0) {
    drawBlockMarkers(context, visibleOf(model, model.overdue, view), scale, focused);
  }
  return visible.length;
}

/** The rings of collapsed groups: holding the selected asset, hovered, or holding matches. */
function groupRings(model: GraphModel, highlight: Highlight, colors: Palette): Map<number, string> {
  const rings = new Map<number, string>();
  if (!model.boxed) return rings;
  if (highlight.matches !== undefined) {
    for (const index of highlight.matches) {
      const node = model.nodes[index];
      if (node !== undefined && !node.shown) rings.set(node.group, colors['ring-match']);
    }
  }
  if (highlight.hoveredGroup !== undefined)
    rings.set(highlight.hoveredGroup, colors['ring-hovered']);
  const selected = highlight.selected === undefined ? undefined : model.nodes[highlight.selected];
  if (selected !== undefined && !selected.shown) rings.set(selected.group, colors['ring-selected']);
  return rings;
}

/** Side of a backdrop tile (CSS pixels): one dot of the grid per tile. */
const DOT_SPACING = 22;
let backdropCache: { colors: Palette; pixelRatio: number; pattern: CanvasPattern } | undefined;

/** The canvas backdrop: the theme's canvas colour with a dot grid (a pattern made once). */
function backdrop(
  context: CanvasRenderingContext2D,
  colors: Palette,
  pixelRatio: number,
): CanvasPattern | string {
  if (backdropCache?.colors === colors && backdropCache.pixelRatio === pixelRatio) {
    return backdropCache.pattern;
  }
  const tile = document.createElement('canvas');
  tile.width = tile.height = Math.round(DOT_SPACING * pixelRatio);
  const tileContext = tile.getContext('2d');
  if (tileContext === null) return colors.canvas;
  tileContext.fillStyle = colors.canvas;
  tileContext.fillRect(0, 0, tile.width, tile.height);
  tileContext.fillStyle = colors['canvas-dot'];
  tileContext.beginPath();
  tileContext.arc(tile.width / 2, tile.height / 2, pixelRatio, 0, 2 * Math.PI);
  tileContext.fill();
  const pattern = context.createPattern(tile, 'repeat');
  if (pattern === null) return colors.canvas;
  // The pattern is in device pixels; the context draws in CSS pixels.
  pattern.setTransform(new DOMMatrix().scale(1 / pixelRatio));
  backdropCache = { colors, pixelRatio, pattern };
  return pattern;
}

/** Whether a node is emphasized (no focus: every node is). */
function focusOf(highlight: Highlight): ((index: number) => boolean) | undefined {
  const { selected, upstream, downstream, matches } = highlight;
  if (selected === undefined && matches === undefined) return undefined;
  return (index) =>
    index === selected ||
    upstream.has(index) ||
    downstream.has(index) ||
    (matches?.has(index) ?? false);
}

function visibleNodes(model: GraphModel, view: Rect): PlacedNode[] {
  const result: PlacedNode[] = [];
  for (const column of model.columns) {
    const first = column[0];
    if (first === undefined) continue;
    const x = model.nodes[first]!.x;
    if (x + NODE_WIDTH < view.left || x > view.right) continue;
    for (let i = firstBelow(model, column, view.top); i < column.length; i++) {
      const node = model.nodes[column[i]!]!;
      if (node.y > view.bottom) break;
      result.push(node);
    }
  }
  return result;
}

/** The nodes of `indexes` (a short list kept with the model) on screen. */
function visibleOf(model: GraphModel, indexes: readonly number[], view: Rect): PlacedNode[] {
  const result: PlacedNode[] = [];
  for (const index of indexes) {
    const node = model.nodes[index]!;
    if (node.x + NODE_WIDTH < view.left || node.x > view.right) continue;
    if (node.y + NODE_HEIGHT < view.top || node.y > view.bottom) continue;
    result.push(node);
  }
  return result;
}

function drawEdges(
  context: CanvasRenderingContext2D,
  model: GraphModel,
  view: Rect,
  scale: number,
  highlight: Highlight,
  focused: ((index: number) => boolean) | undefined,
  colors: Palette,
): void {
  const curved = scale >= CURVE_SCALE;
  const plain = focused === undefined ? colors.edge : colors['edge-dim'];
  const passes: { color: string; dashed: boolean; emphasized: boolean }[] = [
    { color: plain, dashed: false, emphasized: false },
    { color: plain, dashed: true, emphasized: false },
    { color: colors['edge-path'], dashed: false, emphasized: true },
    { color: colors['edge-path'], dashed: true, emphasized: true },
  ];
  const { selected, upstream, downstream } = highlight;
  const inUpstream = (index: number): boolean => index === selected || upstream.has(index);
  const inDownstream = (index: number): boolean => index === selected || downstream.has(index);
  // An edge is on a highlighted path when both its ends are on the same side of the selection.
  const onPath = (edge: { from: number; to: number }): boolean =>
    selected !== undefined &&
    ((inUpstream(edge.from) && inUpstream(edge.to)) ||
      (inDownstream(edge.from) && inDownstream(edge.to)));
  const routes = edgeRouter(model);
  routes.pending = false;
  let budget = ROUTES_PER_FRAME;
  let routed = 0;
  context.lineWidth = Math.max(1.3, 1 / scale);
  for (const pass of passes) {
    context.beginPath();
    let any = false;
    for (let index = 0; index < model.edges.length; index++) {
      const edge = model.edges[index]!;
      if (edge.partitions !== pass.dashed) continue;
      if (onPath(edge) !== pass.emphasized) continue;
      const from = model.nodes[edge.from]!;
      const to = model.nodes[edge.to]!;
      const x1 = from.x + NODE_WIDTH;
      const y1 = from.y + NODE_HEIGHT / 2;
      const x2 = to.x;
      const y2 = to.y + NODE_HEIGHT / 2;
      if (x2 < view.left || x1 > view.right) continue;
      // A route strays from its ends' rows by less than a row per column it crosses.
      const stray = curved ? Math.max(1, to.layer - from.layer) * ROW_HEIGHT : 0;
      if (Math.max(y1, y2) + stray < view.top || Math.min(y1, y2) - stray > view.bottom) continue;
      let route = curved ? routes.known(index) : null;
      if (route === undefined) {
        // A frame computes a bounded number of routes; the rest are curves until the next one.
        if (budget-- > 0) route = routes.route(index);
        else routes.pending = true;
      }
      if (route !== null && route !== undefined) {
        if (route.bottom < view.top || route.top > view.bottom) continue;
        traceRoute(context, route.points, scale < LABEL_SCALE); // corners too small to see
        routed++;
      } else {
        context.moveTo(x1, y1);
        if (curved) {
          const bend = Math.max(40, (x2 - x1) / 2);
          context.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
        } else context.lineTo(x2, y2);
      }
      any = true;
    }
    if (!any) continue;
    context.strokeStyle = pass.color;
    context.setLineDash(pass.dashed ? [8, 6] : []);
    context.lineWidth = pass.emphasized ? Math.max(2.4, 1.6 / scale) : Math.max(1.3, 1 / scale);
    context.stroke();
  }
  context.setLineDash([]);
  context.canvas.dataset.routedEdges = String(routed); // for tests: edges drawn around cards
}

function drawNodes(
  context: CanvasRenderingContext2D,
  nodes: readonly PlacedNode[],
  scale: number,
  highlight: Highlight,
  focused: ((index: number) => boolean) | undefined,
  labels: LabelCache,
  colors: Palette,
): void {
  if (scale < CARD_SCALE) {
    // Blocks in their state colour, batched by colour; dimmed ones first.
    const byColor = new Map<string, PlacedNode[]>();
    for (const node of nodes) {
      const dim = focused !== undefined && !focused(node.index);
      const color = dim ? colors['block-dim'] : STATE_COLORS[nodeState(node.asset)];
      let group = byColor.get(color);
      if (group === undefined) byColor.set(color, (group = []));
      group.push(node);
    }
    for (const [color, group] of byColor) {
      context.fillStyle = color;
      for (const node of group) context.fillRect(node.x, node.y, NODE_WIDTH, NODE_HEIGHT);
    }
    drawOutlines(context, nodes, scale, highlight, colors);
    if (scale >= LABEL_SCALE) {
      context.font = FONT;
      context.fillStyle = '#ffffff';
      context.textBaseline = 'middle';
      for (const node of nodes) {
        if (focused !== undefined && !focused(node.index)) continue;
        const label = labels.label(context, node.key);
        context.font = label.font;
        context.fillText(label.text, node.x + 10, node.y + NODE_HEIGHT / 2);
      }
    }
    return;
  }
  for (const node of nodes) drawCard(context, node, focused, labels, colors);
  drawOutlines(context, nodes, scale, highlight, colors);
}

function drawCard(
  context: CanvasRenderingContext2D,
  node: PlacedNode,
  focused: ((index: number) => boolean) | undefined,
  labels: LabelCache,
  colors: Palette,
): void {
  const state = nodeState(node.asset);
  const color = STATE_COLORS[state];
  const dim = focused !== undefined && !focused(node.index);
  context.globalAlpha = dim ? 0.3 : 1;
  context.fillStyle = colors.card;
  context.strokeStyle = color;
  context.lineWidth = 2;
  context.beginPath();
  context.roundRect(node.x, node.y, NODE_WIDTH, NODE_HEIGHT, 6);
  context.fill();
  const source = node.asset.source;
  if (source) context.setLineDash(SOURCE_DASH);
  context.stroke();
  if (source) context.setLineDash([]);
  context.fillStyle = color;
  context.fillRect(node.x + 1, node.y + 1, 6, NODE_HEIGHT - 2);
  context.fillStyle = colors.ink;
  context.font = FONT;
  context.textBaseline = 'alphabetic';
  const reserve = markerReserve(node);
  const label = labels.label(context, node.key, reserve);
  context.font = label.font;
  context.fillText(label.text, node.x + 14, node.y + 19);
  context.font = SMALL_FONT;
  context.fillStyle = colors.muted;
  context.fillText(statusLine(node), node.x + 14, node.y + 35);
  drawHealthBar(context, node);
  if (reserve > 0) drawCardMarkers(context, node);
  context.globalAlpha = 1;
}

/** The partition health bar along a card's bottom edge. */
function drawHealthBar(context: CanvasRenderingContext2D, node: PlacedNode): void {
  const { fresh, stale, missing, blocked, total } = node.asset.status;
  if (total <= 1) return;
  const left = node.x + 8;
  const width = NODE_WIDTH - 16;
  const top = node.y + NODE_HEIGHT - 6;
  let x = left;
  for (const [count, color] of [
    [fresh, STATE_COLORS.fresh],
    [stale, STATE_COLORS.stale],
    [missing, STATE_COLORS.missing],
    [blocked, STATE_COLORS.blocked],
  ] as const) {
    if (count === 0) continue;
    const w = (count / total) * width;
    context.fillStyle = color;
    context.fillRect(x, top, w, 3);
    x += w;
  }
}

/** The second line of a card: what a person wants to know at a glance. */
export function statusLine(node: PlacedNode): string {
  const status = node.asset.status;
  const partitions = status.total > 1 || node.asset.partitioned ? `/${status.total}` : '';
  if (node.asset.source && (status.state === 'fresh' || status.state === 'missing')) {
    // A source is fresh once observed, missing before: say so in its own words.
    if (partitions !== '') return `source · observed ${status.fresh}${partitions}`;
    return status.state === 'fresh' ? 'source · observed' : 'source · never observed';
  }
  switch (status.state) {
    case 'running':
      return `running ${status.running}${partitions}`;
    case 'failed':
      return `failed ${status.failed}${partitions}${status.blocked > 0 ? ` · blocked ${status.blocked}` : ''}`;
    case 'blocked':
      return partitions === '' ? 'blocked' : `blocked ${status.blocked}${partitions}`;
    case 'missing':
      return partitions === '' ? 'missing' : `missing ${status.missing}${partitions}`;
    case 'stale':
      return `stale${partitions === '' ? '' : ` ${status.stale}${partitions}`}${status.mainCause === null ? '' : ` · ${status.mainCause}`}`;
    case 'fresh':
      return partitions === '' ? 'fresh' : `fresh ${status.fresh}${partitions}`;
    case 'empty':
      return status.awaitingProducer === null
        ? 'no partitions'
        : `awaits ${status.awaitingProducer}`;
  }
}

function drawOutlines(
  context: CanvasRenderingContext2D,
  nodes: readonly PlacedNode[],
  scale: number,
  highlight: Highlight,
  colors: Palette,
): void {
  const width = Math.max(3, 2.5 / scale);
  for (const node of nodes) {
    let color: string | undefined;
    if (node.index === highlight.selected) color = colors['ring-selected'];
    else if (node.index === highlight.hovered) color = colors['ring-hovered'];
    else if (highlight.matches?.has(node.index)) color = colors['ring-match'];
    if (color === undefined) continue;
    context.strokeStyle = color;
    context.lineWidth = width;
    context.strokeRect(
      node.x - width,
      node.y - width,
      NODE_WIDTH + 2 * width,
      NODE_HEIGHT + 2 * width,
    );
  }
}

/**
 * Labels fitted to a card, computed once per key (and room left for markers): whole in the
 * card's font when they fit, else whole in a smaller one, else shortened in the middle.
 */
export class LabelCache {
  private readonly cache = new Map<string, { text: string; font: string }>();

  label(
    context: CanvasRenderingContext2D,
    key: string,
    reserve = 0,
  ): { text: string; font: string } {
    const id = reserve === 0 ? key : `${reserve}\u0000${key}`;
    let label = this.cache.get(id);
    if (label === undefined) {
      const width = NODE_WIDTH - 24 - reserve;
      context.save();
      for (const font of LABEL_FONTS) {
        context.font = font;
        if (context.measureText(key).width <= width) {
          label = { text: key, font };
          break;
        }
      }
      label ??= { text: fit(context, key, width), font: LABEL_FONTS.at(-1)! };
      context.restore();
      this.cache.set(id, label);
    }
    return label;
  }
}

/** `text`, cut in the middle with an ellipsis until it fits `width`. */
function fit(context: CanvasRenderingContext2D, text: string, width: number): string {
  if (context.measureText(text).width <= width) return text;
  let keep = text.length - 1;
  while (keep > 3) {
    const head = Math.ceil(keep / 2);
    const candidate = `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
    if (context.measureText(candidate).width <= width) return candidate;
    keep -= 1;
  }
  return `${text.slice(0, 3)}…`;
}
