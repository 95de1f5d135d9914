// The second axis on the canvas: a clock for an asset's freshness against its policy (pass:
// outlined; warn and fail: filled) and a bolt for an automated asset, in the card's top right
// corner; when cards become blocks, only warning and failing clocks stay, as dots batched by
// colour (a few canvas calls whatever the number of nodes).
import type { FreshnessState } from '../api/types.js';
import { NODE_HEIGHT, NODE_WIDTH, ROW_HEIGHT, type PlacedNode } from './graph-model.js';

/** The clock's colours: never those of the materialization states it sits next to. */
export const FRESHNESS_COLORS: Readonly<Record<FreshnessState, string>> = {
  pass: '#3f8f6b',
  warn: '#e37d00',
  fail: '#b3152b',
};
const BOLT_COLOR = '#6a45c2';
const CLOCK_RADIUS = 6.5;
const MARKER_Y = 14;
/** Dots smaller than this on screen (radius, CSS pixels) are drawn as squares. */
const SQUARE_BELOW_PX = 3;

/** How much of a card's first line its markers take (the label is fitted to the rest). */
export function markerReserve(node: PlacedNode): number {
  return (
    (node.asset.status.freshness === null ? 0 : 17) + (node.asset.automation === null ? 0 : 14)
  );
}

/** The clock and the bolt of a card, right to left. */
export function drawCardMarkers(context: CanvasRenderingContext2D, node: PlacedNode): void {
  let right = node.x + NODE_WIDTH - 7;
  const freshness = node.asset.status.freshness;
  if (freshness !== null) {
    drawClock(context, right - CLOCK_RADIUS, node.y + MARKER_Y, CLOCK_RADIUS, freshness.state);
    right -= 2 * CLOCK_RADIUS + 4;
  }
  if (node.asset.automation !== null) drawBolt(context, right - 5, node.y + MARKER_Y);
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
  context.fillStyle = state === 'pass' ? '#ffffff' : color;
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
