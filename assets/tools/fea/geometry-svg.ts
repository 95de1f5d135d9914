// A small human-viewable SVG drawing of the cantilever: the outline to scale, hatching for the
// clamp at the root, the tip load arrow and the dimensions L, h and t labelled.
import { validateGeometry, type CantileverGeometry } from './geometry.js';

/** Drawing width of the beam in SVG user units; the height follows to scale. */
const BEAM_WIDTH_PX = 480;
/** Smallest drawn beam height, so a slender beam (L/h = 50) stays visible. */
const MIN_BEAM_HEIGHT_PX = 6;
/** Room around the beam for the clamp, arrow and dimension lines. */
const MARGIN = { left: 50, right: 110, top: 70, bottom: 70 };
/** Spacing of the clamp hatching lines. */
const HATCH_STEP_PX = 8;
/** An arrowhead, referenced by the load arrow and both ends of the dimension lines. */
const ARROW_MARKER =
  '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" ' +
  'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>';

/** Formats a length in metres with millimetre resolution for a label. */
function metres(value: number): string {
  return `${value.toFixed(3)} m`;
}

/** One SVG element; numbers are written with one decimal, text content is escaped. */
function el(name: string, attrs: Record<string, string | number>, text?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? v.toFixed(1) : v}"`)
    .join('');
  if (text === undefined) return `<${name}${a}/>`;
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<${name}${a}>${escaped}</${name}>`;
}

/** A straight line from (x1, y1) to (x2, y2) with extra attributes. */
function line(x1: number, y1: number, x2: number, y2: number, attrs = {}): string {
  return el('line', { x1, y1, x2, y2, stroke: 'black', ...attrs });
}

/** The SVG (a complete standalone document) of the cantilever geometry. */
export function geometrySvg(params: CantileverGeometry): string {
  const g = validateGeometry(params);
  const w = BEAM_WIDTH_PX;
  const h = Math.max(MIN_BEAM_HEIGHT_PX, (g.heightM / g.lengthM) * w);
  const [x0, y0] = [MARGIN.left, MARGIN.top];
  const [width, height] = [x0 + w + MARGIN.right, y0 + h + MARGIN.bottom];
  const mid = y0 + h / 2;
  const [dimY, dimX] = [y0 + h + 35, x0 + w + 45];
  const dimension = { 'marker-start': 'url(#arrow)', 'marker-end': 'url(#arrow)' };

  const hatch: string[] = [];
  for (let y = y0 - 10; y <= y0 + h + 10; y += HATCH_STEP_PX) {
    hatch.push(line(x0 - 12, y + 10, x0, y));
  }
  const viewBox = `0 0 ${width.toFixed(1)} ${height.toFixed(1)}`;
  const [L, hh, t] = [metres(g.lengthM), metres(g.heightM), metres(g.thicknessM)];
  const title = `Cantilever L=${L} h=${hh} t=${t}`;
  const note = `t = ${t} (out of plane); root clamped at x = 0, tip load P at x = L`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width.toFixed(1)}"` +
      ` height="${height.toFixed(1)}" viewBox="${viewBox}"` +
      ` font-family="sans-serif" font-size="12">`,
    el('title', {}, title),
    ARROW_MARKER,
    el('rect', { x: x0, y: y0, width: w, height: h, fill: '#dbe7f3', stroke: 'black' }),
    line(x0, y0 - 12, x0, y0 + h + 12, { 'stroke-width': 3 }),
    `<g>${hatch.join('')}</g>`,
    line(x0, mid, x0 + w, mid, { stroke: 'gray', 'stroke-dasharray': '6 3' }),
    line(x0 + w, y0 - 55, x0 + w, y0 - 2, { stroke: 'crimson', 'marker-end': 'url(#arrow)' }),
    el('text', { x: x0 + w + 6, y: y0 - 40, fill: 'crimson' }, 'P'),
    line(x0, dimY, x0 + w, dimY, dimension),
    el('text', { x: x0 + w / 2, y: dimY - 5, 'text-anchor': 'middle' }, `L = ${L}`),
    line(dimX, y0, dimX, y0 + h, dimension),
    el('text', { x: dimX + 6, y: mid + 4 }, `h = ${hh}`),
    el('text', { x: x0, y: height - 12 }, note),
    '</svg>',
    '',
  ].join('\n');
}
