// Draws the groups of the asset graph: an expanded group is a labelled box behind its assets
// (name, asset count and a − to collapse it); a collapsed group is one card with its name, its
// asset count, a bar of its assets by state and the counts in words; edges into, out of and
// between collapsed groups are one line per pair with the number of edges it stands for (dashed
// when one of them maps partitions, as single edges are).
import type { Palette } from '../theme.js';
import type { Rect } from './camera.js';
import {
  STATE_COLORS,
  type AggregateEdge,
  type GraphModel,
  type PlacedGroup,
} from './graph-model.js';
import { BOX_HEADER, GROUP_CARD_HEIGHT } from './group-layout.js';
import type { NodeState } from '../api/types.js';

const TITLE_FONT = '700 16px system-ui, -apple-system, "Segoe UI", sans-serif';
const SMALL_FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
/** The states in a card's bar and summary, worst first. */
const ORDER: readonly NodeState[] = [
  'failed',
  'blocked',
  'running',
  'stale',
  'missing',
  'fresh',
  'empty',
];

/** Passes over aggregated edges: (emphasized, dashed for those carrying partition mappings). */
const AGGREGATE_PASSES: readonly (readonly [boolean, boolean])[] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** Which groups are emphasized (undefined: no focus, all are). */
export type GroupFocus = ((group: PlacedGroup) => boolean) | undefined;

function intersects(group: PlacedGroup, view: Rect): boolean {
  return !(
    group.left > view.right ||
    group.left + group.width < view.left ||
    group.top > view.bottom ||
    group.top + group.height < view.top
  );
}

/** The boxes of the expanded groups, behind everything else (`ringed`: hovered or reached by keys). */
export function drawGroupBoxes(
  context: CanvasRenderingContext2D,
  model: GraphModel,
  view: Rect,
  scale: number,
  colors: Palette,
  ringed?: number,
): void {
  if (!model.boxed) return;
  for (const group of model.groups) {
    if (!group.expanded || !intersects(group, view)) continue;
    context.beginPath();
    context.roundRect(group.left, group.top, group.width, group.height, 10);
    context.globalAlpha = 0.55;
    context.fillStyle = colors.card;
    context.fill();
    context.globalAlpha = 1;
    // The hovered box, or the one the keyboard reached, is ringed solid.
    const ring = group.index === ringed;
    context.lineWidth = ring ? Math.max(3, 2.5 / scale) : Math.max(1.5, 1 / scale);
    context.strokeStyle = ring ? colors['ring-hovered'] : colors.muted;
    context.setLineDash(ring ? [] : [10, 6]);
    context.stroke();
    context.setLineDash([]);
    if (scale * 16 < 6) continue; // the title would be a smudge
    context.font = TITLE_FONT;
    context.fillStyle = colors.ink;
    context.textBaseline = 'middle';
    context.fillText(
      `− ${group.name} · ${group.members.length.toLocaleString('en-US')} assets`,
      group.left + 12,
      group.top + BOX_HEADER / 2 + 2,
      group.width - 24,
    );
  }
}

/** The collapsed groups' cards. */
export function drawGroupCards(
  context: CanvasRenderingContext2D,
  model: GraphModel,
  view: Rect,
  scale: number,
  focus: GroupFocus,
  rings: ReadonlyMap<number, string>,
  colors: Palette,
): void {
  for (const group of model.groups) {
    if (group.expanded || !intersects(group, view)) continue;
    context.globalAlpha = focus === undefined || focus(group) ? 1 : 0.3;
    context.beginPath();
    context.roundRect(group.left, group.top, group.width, group.height, 8);
    context.fillStyle = colors.card;
    context.fill();
    context.lineWidth = 2;
    context.strokeStyle = colors.muted;
    context.stroke();
    drawStateBar(context, group);
    if (scale * 16 >= 6) {
      context.textBaseline = 'alphabetic';
      context.font = TITLE_FONT;
      context.fillStyle = colors.ink;
      context.fillText(`+ ${group.name}`, group.left + 12, group.top + 24, group.width - 24);
      context.font = SMALL_FONT;
      context.fillStyle = colors.muted;
      context.fillText(
        `${group.members.length.toLocaleString('en-US')} assets`,
        group.left + 12,
        group.top + 42,
        group.width - 24,
      );
      context.fillText(summary(group), group.left + 12, group.top + 58, group.width - 24);
    }
    context.globalAlpha = 1;
    const ring = rings.get(group.index);
    if (ring !== undefined) {
      const width = Math.max(3, 2.5 / scale);
      context.strokeStyle = ring;
      context.lineWidth = width;
      context.strokeRect(
        group.left - width,
        group.top - width,
        group.width + 2 * width,
        group.height + 2 * width,
      );
    }
  }
}

/** "3 failed · 120 stale · 77 fresh": the group's states, worst first. */
export function summary(group: PlacedGroup): string {
  return ORDER.filter((state) => group.counts[state] > 0)
    .map((state) => `${group.counts[state].toLocaleString('en-US')} ${state}`)
    .join(' · ');
}

/** A bar along the card's bottom: its assets by state. */
function drawStateBar(context: CanvasRenderingContext2D, group: PlacedGroup): void {
  const total = group.members.length;
  if (total === 0) return;
  const left = group.left + 8;
  const width = group.width - 16;
  let x = left;
  for (const state of ORDER) {
    const count = group.counts[state];
    if (count === 0) continue;
    const w = (count / total) * width;
    context.fillStyle = STATE_COLORS[state];
    context.fillRect(x, group.top + GROUP_CARD_HEIGHT - 9, w, 4);
    x += w;
  }
}

/** The aggregated edges, each with its count at its middle. */
export function drawAggregateEdges(
  context: CanvasRenderingContext2D,
  model: GraphModel,
  view: Rect,
  scale: number,
  emphasized: ((edge: AggregateEdge) => boolean) | undefined,
  colors: Palette,
): void {
  const labelled: AggregateEdge[] = [];
  for (const [pass, dashed] of AGGREGATE_PASSES) {
    context.beginPath();
    let any = false;
    for (const edge of model.aggregates) {
      if ((emphasized?.(edge) ?? false) !== pass || edge.partitions !== dashed) continue;
      if (Math.max(edge.x1, edge.x2) < view.left || Math.min(edge.x1, edge.x2) > view.right)
        continue;
      if (Math.max(edge.y1, edge.y2) < view.top || Math.min(edge.y1, edge.y2) > view.bottom)
        continue;
      context.moveTo(edge.x1, edge.y1);
      const bend = Math.max(60, Math.abs(edge.x2 - edge.x1) / 2);
      context.bezierCurveTo(edge.x1 + bend, edge.y1, edge.x2 - bend, edge.y2, edge.x2, edge.y2);
      if (edge.count > 1) labelled.push(edge);
      any = true;
    }
    if (!any) continue;
    const plain = emphasized === undefined ? colors.edge : colors['edge-dim'];
    context.strokeStyle = pass ? colors['edge-path'] : plain;
    context.lineWidth = Math.max(pass ? 2.4 : 1.6, (pass ? 2 : 1.2) / scale);
    context.setLineDash(dashed ? [8, 6] : []);
    context.stroke();
  }
  context.setLineDash([]);
  if (scale * 12 < 7) return; // counts too small to read
  context.font = SMALL_FONT;
  context.textBaseline = 'middle';
  context.textAlign = 'center';
  for (const edge of labelled) {
    const x = (edge.x1 + edge.x2) / 2;
    const y = (edge.y1 + edge.y2) / 2;
    const text = edge.count.toLocaleString('en-US');
    const w = context.measureText(text).width + 10;
    context.fillStyle = colors.card;
    context.strokeStyle = colors.muted;
    context.lineWidth = 1;
    context.beginPath();
    context.roundRect(x - w / 2, y - 9, w, 18, 9);
    context.fill();
    context.stroke();
    context.fillStyle = colors.ink;
    context.fillText(text, x, y + 1);
  }
  context.textAlign = 'start';
}
