// The second axis on the canvas: a clock for an asset's freshness against its policy (pass:
// outlined; warn and fail: filled), a bolt for an automated asset and a database cylinder for a
// source asset (an external input, observed and never computed), in the card's top right corner;
// when cards become blocks, warning and failing clocks stay as dots batched by colour (a few
// canvas calls whatever the number of nodes) and labelled source blocks keep a dashed inset
// outline, as their cards have a dashed border.
import type { FreshnessState } from '../api/types.js';
import { NODE_HEIGHT, NODE_WIDTH, ROW_HEIGHT, type PlacedNode } from './graph-model.js';
import { palette } from '../theme.js';

/** The clock's colours: never those of the materialization states it sits next to. */
export const FRESHNESS_COLORS: Readonly<Record<FreshnessState, string>> = {
  pass: '#3f8f6b',
  warn: '#e37d00',
  fail: '#b3152b',
};
const BOLT_COLOR = '#6a45c2';
/** Source assets: the cylinder, and the legend's icon (styles.css .filter-source). */
export const SOURCE_COLOR = '#0e7c86';
/** The dash of a source card's border (world units). */
export const SOURCE_DASH: readonly number[] = [6, 4];
const CLOCK_RADIUS = 6.5;
const MARKER_Y = 14;
/** Dots smaller than this on screen (radius, CSS pixels) are drawn as squares. */
const SQUARE_BELOW_PX = 3;

/** How much of a card's first line its markers take (the label is fitted to the rest). */
export function markerReserve(node: PlacedNode): number {
  return (
    (node.asset.status.freshness === null ? 0 : 17) +
    (node.asset.automation === null ? 0 : 14) +
    (node.asset.source ? 14 : 0)
  );
}

/** The clock, the bolt and the cylinder of a card, right to left. */
export function drawCardMarkers(context: CanvasRenderingContext2D, node: PlacedNode): void {
  let right = node.x + NODE_WIDTH - 7;
  const freshness = node.asset.status.freshness;
  if (freshness !== null) {
    drawClock(context, right - CLOCK_RADIUS, node.y + MARKER_Y, CLOCK_RADIUS, freshness.state);
    right -= 2 * CLOCK_RADIUS + 4;
  }
  if (node.asset.automation !== null) {
    drawBolt(context, right - 5, node.y + MARKER_Y);
    right -= 14;
  }
  if (node.asset.source) drawCylinder(context, right - 5, node.y + MARKER_Y);
}

function drawClock(
  context: CanvasRenderingContext2D,
  x: number,
  y: number,
  radius: number,
  state: FreshnessState,
): void {
  const color = FRESHNESS_COLORS[state];
  context.beginPath();
  context.arc(x, y, radius, 0, 2 * Math.PI);
  // A passing clock is drawn hollow: filled with the card's colour of the theme.
  context.fillStyle = state === 'pass' ? palette().card : color;
  context.fill();
  context.lineWidth = 1.5;
  context.strokeStyle = color;
  context.stroke();
  context.beginPath();
  context.moveTo(x, y - radius * 0.62);
  context.lineTo(x, y);
  context.lineTo(x + radius * 0.5, y);
  context.strokeStyle = state === 'pass' ? color : '#ffffff';
  context.lineCap = 'round';
  context.stroke();
  context.lineCap = 'butt';
}

function drawBolt(context: CanvasRenderingContext2D, x: number, y: number): void {
  context.beginPath();
  context.moveTo(x + 1.5, y - 7);
  context.lineTo(x - 4.5, y + 1);
  context.lineTo(x - 0.5, y + 1);
  context.lineTo(x - 1.5, y + 7);
  context.lineTo(x + 4.5, y - 1);
  context.lineTo(x + 0.5, y - 1);
  context.closePath();
  context.fillStyle = BOLT_COLOR;
  context.fill();
}

/** A database cylinder centred on (x, y): filled, with white rims. */
function drawCylinder(context: CanvasRenderingContext2D, x: number, y: number): void {
  const rx = 5;
  const ry = 2;
  const top = y - 4.5;
  const bottom = y + 4.5;
  context.beginPath();
  context.ellipse(x, bottom, rx, ry, 0, 0, Math.PI);
  context.lineTo(x - rx, top);
  context.ellipse(x, top, rx, ry, 0, Math.PI, 2 * Math.PI);
  context.closePath();
  context.fillStyle = SOURCE_COLOR;
  context.fill();
  context.beginPath();
  context.ellipse(x, top, rx, ry, 0, 0, Math.PI);
  context.moveTo(x + rx, y);
  context.ellipse(x, y, rx, ry, 0, 0, Math.PI);
  context.lineWidth = 1.2;
  context.strokeStyle = '#ffffff';
  context.stroke();
}

/**
 * A dashed white outline inside each source block (`nodes`: the source nodes on screen), in one
 * path: the block-level counterpart of a source card's dashed border.
 */
export function drawSourceBlocks(
  context: CanvasRenderingContext2D,
  nodes: readonly PlacedNode[],
  scale: number,
  focused: ((index: number) => boolean) | undefined,
): void {
  const inset = 2 / scale;
  context.beginPath();
  let any = false;
  for (const node of nodes) {
    if (focused !== undefined && !focused(node.index)) continue;
    context.rect(node.x + inset, node.y + inset, NODE_WIDTH - 2 * inset, NODE_HEIGHT - 2 * inset);
    any = true;
  }
  if (!any) return;
  context.setLineDash([4 / scale, 3 / scale]);
  context.lineWidth = 1.5 / scale;
  context.strokeStyle = '#ffffff';
  context.stroke();
  context.setLineDash([]);
}

/**
 * Dots for warning and failing assets drawn as blocks (`nodes`: those on screen): big enough to
 * find on a zoomed-out graph (a few pixels), ringed in white so they show on any block colour.
 */
export function drawBlockMarkers(
  context: CanvasRenderingContext2D,
  nodes: readonly PlacedNode[],
  scale: number,
  focused: ((index: number) => boolean) | undefined,
): void {
  let warn: PlacedNode[] | undefined;
  let fail: PlacedNode[] | undefined;
  for (const node of nodes) {
    const state = node.asset.status.freshness?.state ?? 'pass';
    if (state === 'pass' || (focused !== undefined && !focused(node.index))) continue;
    if (state === 'fail') (fail ??= []).push(node);
    else (warn ??= []).push(node);
  }
  if (warn === undefined && fail === undefined) return;
  const radius = Math.min(ROW_HEIGHT * 0.75, Math.max(NODE_HEIGHT * 0.3, 3 / scale));
  const ring = Math.max(1.5, 1 / scale);
  const groups = [
    [warn, FRESHNESS_COLORS.warn],
    [fail, FRESHNESS_COLORS.fail],
  ] as const;
  const centre = (node: PlacedNode): [number, number] => [
    node.x + NODE_WIDTH - Math.min(radius, NODE_HEIGHT / 2),
    node.y + NODE_HEIGHT / 2,
  ];
  if (radius * scale < SQUARE_BELOW_PX) {
    // A few pixels wide, larger than the block: squares look the same as rings and discs and
    // cost a fraction (one path per colour, no stroke).
    for (const [group, color] of groups) {
      if (group === undefined) continue;
      context.beginPath();
      for (const node of group) {
        const [x, y] = centre(node);
        context.rect(x - radius, y - radius, 2 * radius, 2 * radius);
      }
      context.fillStyle = color;
      context.fill();
    }
    return;
  }
  for (const [group, color] of groups) {
    if (group === undefined) continue;
    context.beginPath();
    for (const node of group) {
      const [x, y] = centre(node);
      context.moveTo(x + radius, y);
      context.arc(x, y, radius, 0, 2 * Math.PI);
    }
    context.fillStyle = color;
    context.fill();
    context.lineWidth = ring;
    context.strokeStyle = '#ffffff';
    context.stroke();
  }
}
