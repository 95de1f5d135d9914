// The Pareto plot as a self-contained SVG file: mass (kg) against tip deflection (mm), every
// design as a dot (hover shows its key), the front as a line, the recommended design ringed, the
// deflection limit dashed, with title, axes and legend. Same input => identical bytes.
import type { ParetoPoint } from './pareto.js';
import { compareDesigns } from './pareto.js';
import { makeScale, type Scale, type ScaleKind } from './plot-scale.js';

/** Options of `paretoPlotSvg`; all optional. */
export interface ParetoPlotOptions {
  /** Heading of the plot. */
  readonly title?: string;
  /** Draws this limit as a dashed horizontal line (the design space's max_tip_deflection_m). */
  readonly maxTipDeflectionM?: number | undefined;
  /** Pixel size of the whole image. */
  readonly width?: number;
  readonly height?: number;
  /** Axis scales; `auto` (default) goes logarithmic when values span a factor of 20 or more. */
  readonly massScale?: ScaleKind;
  readonly deflectionScale?: ScaleKind;
}

const DEFAULT_TITLE = 'Pareto front: mass vs tip deflection';
/** Default image size: fits a laptop screen and a printed page. */
const DEFAULT_WIDTH = 760;
const DEFAULT_HEIGHT = 500;
/** Room around the plot area for tick labels, axis titles, the heading and the legend. */
const MARGIN = { left: 78, right: 190, top: 64, bottom: 56 } as const;
/** Millimetres per metre: deflections are computed in m and read in mm. */
const MM_PER_M = 1000;
/** Significant digits of values shown in hover titles and the legend. */
const SHOWN_DIGITS = 4;
const TICK_LENGTH = 5;
const DOT_RADIUS = 4;
const RING_RADIUS = 9;
const COLORS = {
  design: '#9aa5b1',
  front: '#1f6fb2',
  recommended: '#d1342f',
  limit: '#d98c00',
  grid: '#e6e9ed',
  axis: '#333333',
} as const;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with two decimals: enough for a screen, and stable text. */
function px(value: number): string {
  return value.toFixed(2);
}

/** A measured value for people: four significant digits, no exponent noise. */
function shown(value: number): string {
  return String(Number(value.toPrecision(SHOWN_DIGITS)));
}

function drawable(p: ParetoPoint): boolean {
  return Number.isFinite(p.massKg) && Number.isFinite(p.tipDeflectionM);
}

interface Frame {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly x: Scale;
  readonly y: Scale;
}

function xOf(frame: Frame, massKg: number): number {
  return frame.left + frame.x.fraction(massKg) * (frame.right - frame.left);
}

function yOf(frame: Frame, deflectionM: number): number {
  return frame.bottom - frame.y.fraction(deflectionM * MM_PER_M) * (frame.bottom - frame.top);
}

function axes(frame: Frame): string[] {
  const { left, right, top, bottom, x, y } = frame;
  const out = ['<g id="axes" font-size="11" fill="#333333">'];
  for (const t of x.ticks) {
    const at = px(left + x.fraction(t.value) * (right - left));
    out.push(
      `<line x1="${at}" y1="${px(top)}" x2="${at}" y2="${px(bottom)}" stroke="${COLORS.grid}"/>`,
      `<line x1="${at}" y1="${px(bottom)}" x2="${at}" y2="${px(bottom + TICK_LENGTH)}" stroke="${COLORS.axis}"/>`,
      `<text x="${at}" y="${px(bottom + TICK_LENGTH + 13)}" text-anchor="middle">${escapeXml(t.label)}</text>`,
    );
  }
  for (const t of y.ticks) {
    const at = px(bottom - y.fraction(t.value) * (bottom - top));
    out.push(
      `<line x1="${px(left)}" y1="${at}" x2="${px(right)}" y2="${at}" stroke="${COLORS.grid}"/>`,
      `<line x1="${px(left - TICK_LENGTH)}" y1="${at}" x2="${px(left)}" y2="${at}" stroke="${COLORS.axis}"/>`,
      `<text x="${px(left - TICK_LENGTH - 3)}" y="${at}" text-anchor="end" dy="0.35em">${escapeXml(t.label)}</text>`,
    );
  }
  const xTitle = `mass (kg${x.kind === 'log' ? ', log scale' : ''})`;
  const yTitle = `tip deflection (mm${y.kind === 'log' ? ', log scale' : ''})`;
  const midY = px((top + bottom) / 2);
  out.push(
    `<rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}" fill="none" stroke="${COLORS.axis}"/>`,
    `<text x="${px((left + right) / 2)}" y="${px(bottom + 44)}" text-anchor="middle" font-size="13">${xTitle}</text>`,
    `<text x="${px(left - 58)}" y="${midY}" text-anchor="middle" font-size="13" transform="rotate(-90 ${px(left - 58)} ${midY})">${yTitle}</text>`,
    '</g>',
  );
  return out;
}

function dot(frame: Frame, p: ParetoPoint, fill: string, label: string): string {
  const infeasible = p.feasible === false;
  const title =
    `${p.key}: ${shown(p.massKg)} kg, ${shown(p.tipDeflectionM * MM_PER_M)} mm` +
    (p.safetyFactor === undefined ? '' : `, safety factor ${shown(p.safetyFactor)}`) +
    (infeasible ? ' (not feasible)' : '') +
    label;
  const paint = infeasible ? `fill="white" stroke="${fill}"` : `fill="${fill}"`;
  return (
    `<circle cx="${px(xOf(frame, p.massKg))}" cy="${px(yOf(frame, p.tipDeflectionM))}" ` +
    `r="${DOT_RADIUS}" ${paint}><title>${escapeXml(title)}</title></circle>`
  );
}

function legend(
  left: number,
  top: number,
  recommended: ParetoPoint | null,
  limitM: number | undefined,
): string[] {
  const rows: [string, string][] = [
    ['design', `<circle cx="10" cy="0" r="${DOT_RADIUS}" fill="${COLORS.design}"/>`],
    [
      'Pareto front',
      `<line x1="0" y1="0" x2="20" y2="0" stroke="${COLORS.front}" stroke-width="2"/>` +
        `<circle cx="10" cy="0" r="${DOT_RADIUS}" fill="${COLORS.front}"/>`,
    ],
    [
      recommended === null ? 'recommended: none' : `recommended: ${recommended.key}`,
      `<circle cx="10" cy="0" r="${RING_RADIUS - 2}" fill="none" stroke="${COLORS.recommended}" stroke-width="2.5"/>`,
    ],
  ];
  if (limitM !== undefined) {
    rows.push([
      `limit ${shown(limitM * MM_PER_M)} mm`,
      `<line x1="0" y1="0" x2="20" y2="0" stroke="${COLORS.limit}" stroke-width="2" stroke-dasharray="6 4"/>`,
    ]);
  }
  const out = [`<g id="legend" transform="translate(${px(left)} ${px(top)})" font-size="12">`];
  rows.forEach(([text, symbol], i) => {
    out.push(
      `<g transform="translate(0 ${i * 22})">${symbol}<text x="28" y="0" dy="0.35em">${escapeXml(text)}</text></g>`,
    );
  });
  out.push('</g>');
  return out;
}

/**
 * A self-contained SVG of the designs (`allPoints`), the `front` and the `recommended` design.
 * Points are drawn in mass/deflection/key order, so the bytes depend only on the data.
 */
export function paretoPlotSvg(
  allPoints: readonly ParetoPoint[],
  front: readonly ParetoPoint[],
  recommended: ParetoPoint | null,
  options: ParetoPlotOptions = {},
): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const title = options.title ?? DEFAULT_TITLE;
  const limit = options.maxTipDeflectionM;
  const limitM = limit !== undefined && Number.isFinite(limit) && limit > 0 ? limit : undefined;
  const designs = allPoints.filter(drawable).sort(compareDesigns);
  const frontLine = front.filter(drawable).sort(compareDesigns);

  const shownPoints = [...designs, ...frontLine, ...(recommended ? [recommended] : [])];
  const masses = shownPoints.map((p) => p.massKg);
  const deflections = shownPoints.map((p) => p.tipDeflectionM * MM_PER_M);
  if (limitM !== undefined) deflections.push(limitM * MM_PER_M);
  const frame: Frame = {
    left: MARGIN.left,
    right: width - MARGIN.right,
    top: MARGIN.top,
    bottom: height - MARGIN.bottom,
    // With nothing to show, unit axes still give a readable empty chart.
    x: makeScale(masses.length > 0 ? masses : [0, 1], options.massScale ?? 'auto'),
    y: makeScale(deflections.length > 0 ? deflections : [0, 1], options.deflectionScale ?? 'auto'),
  };

  const subtitle =
    `${designs.length} designs, ${frontLine.length} on the front` +
    (recommended ? `, recommended ${recommended.key}` : ', no recommendation');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${px(frame.left)}" y="26" font-size="17" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${px(frame.left)}" y="46" font-size="12" fill="#555555">${escapeXml(subtitle)}</text>`,
    ...axes(frame),
  ];
  if (limitM !== undefined) {
    const y = px(yOf(frame, limitM));
    out.push(
      `<g id="limit"><line x1="${px(frame.left)}" y1="${y}" x2="${px(frame.right)}" y2="${y}" stroke="${COLORS.limit}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
        `<title>${escapeXml(`max tip deflection ${shown(limitM * MM_PER_M)} mm`)}</title></g>`,
    );
  }
  out.push('<g id="designs">');
  for (const p of designs) out.push(dot(frame, p, COLORS.design, ''));
  out.push('</g>', '<g id="front">');
  if (frontLine.length >= 2) {
    const points = frontLine
      .map((p) => `${px(xOf(frame, p.massKg))},${px(yOf(frame, p.tipDeflectionM))}`)
      .join(' ');
    out.push(
      `<polyline points="${points}" fill="none" stroke="${COLORS.front}" stroke-width="2"/>`,
    );
  }
  for (const p of frontLine) out.push(dot(frame, p, COLORS.front, ' (Pareto front)'));
  out.push('</g>');
  if (recommended && drawable(recommended)) {
    const cx = px(xOf(frame, recommended.massKg));
    const cy = yOf(frame, recommended.tipDeflectionM);
    out.push(
      '<g id="recommended">',
      `<circle cx="${cx}" cy="${px(cy)}" r="${RING_RADIUS}" fill="none" stroke="${COLORS.recommended}" stroke-width="2.5"><title>${escapeXml(`recommended: ${recommended.key}`)}</title></circle>`,
      `<text x="${cx}" y="${px(cy - RING_RADIUS - 4)}" text-anchor="middle" font-size="12" font-weight="bold" fill="${COLORS.recommended}">${escapeXml(recommended.key)}</text>`,
      '</g>',
    );
  }
  out.push(...legend(frame.right + 24, frame.top + 8, recommended, limitM), '</svg>', '');
  return out.join('\n');
}
