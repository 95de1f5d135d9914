// The picture of a plate's CAD revision: a dimensioned top view (outline, hole, load arrows) as a
// self-contained SVG, drawn from the parameters the B-rep was built from. Same plate => same bytes.
import type { PlateWithHole } from './plate-geometry.js';

/** Image width in pixels; the height follows the plate's aspect ratio. */
const WIDTH_PX = 640;
/** Room around the plate for the dimensions and the load arrows. */
const MARGIN_PX = 70;

const fmt = (value: number) => String(Number(value.toPrecision(4)));

/** The SVG top view of `plate`, captioned with the revision id. */
export function plateDrawingSvg(plate: PlateWithHole, revisionId: string): string {
  const { lengthMm: L, widthMm: W, holeDiameterMm: d, thicknessMm: t } = plate;
  const scale = (WIDTH_PX - 2 * MARGIN_PX) / L;
  const height = Math.round(W * scale + 2 * MARGIN_PX);
  const x0 = MARGIN_PX;
  const y0 = MARGIN_PX;
  const cx = x0 + (L / 2) * scale;
  const cy = y0 + (W / 2) * scale;
  const arrows = [0.2, 0.5, 0.8]
    .map((f) => {
      const y = (y0 + f * W * scale).toFixed(1);
      const left = `<line x1="${x0}" y1="${y}" x2="${x0 - 40}" y2="${y}" marker-end="url(#arrow)"/>`;
      const xr = x0 + L * scale;
      const right = `<line x1="${xr}" y1="${y}" x2="${xr + 40}" y2="${y}" marker-end="url(#arrow)"/>`;
      return left + right;
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH_PX}" height="${height}" viewBox="0 0 ${WIDTH_PX} ${height}" font-family="sans-serif" font-size="12">`,
    '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="6" refY="3" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#d1342f"/></marker></defs>',
    `<text x="${x0}" y="20" font-size="14">Plate with a hole ${revisionId}: L ${fmt(L)} x W ${fmt(W)} x t ${fmt(t)} mm, hole d ${fmt(d)} mm</text>`,
    `<rect x="${x0}" y="${y0}" width="${(L * scale).toFixed(1)}" height="${(W * scale).toFixed(1)}" fill="#dfe6ee" stroke="#333"/>`,
    `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${((d / 2) * scale).toFixed(1)}" fill="#fff" stroke="#333"/>`,
    `<g stroke="#d1342f" stroke-width="2">${arrows}</g>`,
    `<text x="${cx.toFixed(1)}" y="${(y0 + W * scale + 24).toFixed(1)}" text-anchor="middle">L = ${fmt(L)} mm</text>`,
    `<text x="${(x0 + L * scale + 8).toFixed(1)}" y="${(y0 - 8).toFixed(1)}">W = ${fmt(W)} mm</text>`,
    `<text x="${cx.toFixed(1)}" y="${(cy - (d / 2) * scale - 6).toFixed(1)}" text-anchor="middle">d = ${fmt(d)} mm</text>`,
    '</svg>',
    '',
  ].join('\n');
}
