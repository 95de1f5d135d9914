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

/** Formats a length in metres with millimetre resolution for a label. */
function metres(value: number): string {
  return `${value.toFixed(3)} m`;
}

/** Formats an SVG coordinate. */
function n(value: number): string {
  return value.toFixed(1);
}

/** The SVG (a complete standalone document) of the cantilever geometry. */
export function geometrySvg(params: CantileverGeometry): string {
  const g = validateGeometry(params);
  const w = BEAM_WIDTH_PX;
  const h = Math.max(MIN_BEAM_HEIGHT_PX, (g.heightM / g.lengthM) * w);
  const x0 = MARGIN.left;
  const y0 = MARGIN.top;
  const width = x0 + w + MARGIN.right;
  const height = y0 + h + MARGIN.bottom;
  const mid = y0 + h / 2;

  const hatch: string[] = [];
  for (let y = y0 - 10; y <= y0 + h + 10; y += HATCH_STEP_PX) {
    hatch.push(`<line x1="${n(x0 - 12)}" y1="${n(y + 10)}" x2="${n(x0)}" y2="${n(y)}"/>`);
  }

  const dimY = y0 + h + 35;
  const dimX = x0 + w + 45;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="sans-serif" font-size="12">`,
    `<title>Cantilever L=${metres(g.lengthM)} h=${metres(g.heightM)} t=${metres(g.thicknessM)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="black"/></marker></defs>`,
    `<rect x="${n(x0)}" y="${n(y0)}" width="${n(w)}" height="${n(h)}" fill="#dbe7f3" stroke="black" stroke-width="1.5"/>`,
    `<line x1="${n(x0)}" y1="${n(y0 - 12)}" x2="${n(x0)}" y2="${n(y0 + h + 12)}" stroke="black" stroke-width="3"/>`,
    `<g stroke="black" stroke-width="1">${hatch.join('')}</g>`,
    `<line x1="${n(x0)}" y1="${n(mid)}" x2="${n(x0 + w)}" y2="${n(mid)}" stroke="gray" stroke-dasharray="6 3"/>`,
    `<line x1="${n(x0 + w)}" y1="${n(y0 - 55)}" x2="${n(x0 + w)}" y2="${n(mid)}" stroke="crimson" stroke-width="2" marker-end="url(#arrow)"/>`,
    `<text x="${n(x0 + w + 6)}" y="${n(y0 - 40)}" fill="crimson">P</text>`,
    `<line x1="${n(x0)}" y1="${n(dimY)}" x2="${n(x0 + w)}" y2="${n(dimY)}" stroke="black" marker-start="url(#arrow)" marker-end="url(#arrow)"/>`,
    `<text x="${n(x0 + w / 2)}" y="${n(dimY - 5)}" text-anchor="middle">L = ${metres(g.lengthM)}</text>`,
    `<line x1="${n(dimX)}" y1="${n(y0)}" x2="${n(dimX)}" y2="${n(y0 + h)}" stroke="black" marker-start="url(#arrow)" marker-end="url(#arrow)"/>`,
    `<text x="${n(dimX + 6)}" y="${n(mid + 4)}">h = ${metres(g.heightM)}</text>`,
    `<text x="${n(x0)}" y="${n(height - 12)}">t = ${metres(g.thicknessM)} (out of plane); root clamped at x = 0, tip load P at x = L</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
