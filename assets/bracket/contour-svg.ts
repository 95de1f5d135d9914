// The stress-contour picture of a solved plate: its quarter-model mesh (from the mesh's `.inp`)
// with each element filled by the von Mises stress averaged over its corner nodes (from the
// `.frd`, CalculiX's nodal stresses), mirrored about both symmetry planes into the whole plate,
// with a colour bar. A self-contained SVG; same inputs => same bytes.
import type { PlaneMesh } from '../tools/cae/abaqus-mesh.js';
import type { NodeValues } from '../tools/cae/ccx-results.js';
import { vonMises } from '../tools/cae/post.js';
import { escapeXml } from '../tools/doe/pareto-plot.js';

const WIDTH_PX = 760;
const MARGIN_PX = 40;
/** Room on the right for the colour bar. */
const BAR_PX = 110;
const BAR_STEPS = 10;

const fmt = (value: number) => String(Number(value.toPrecision(4)));

/** Blue (low) to red (high) for t in [0, 1]. */
function colour(t: number): string {
  const hue = Math.round(240 * (1 - Math.min(1, Math.max(0, t))));
  return `hsl(${hue},85%,50%)`;
}

/** The contour SVG of `mesh` under nodal `stresses`, titled `title`. */
export function stressContourSvg(mesh: PlaneMesh, stresses: NodeValues, title: string): string {
  const corners = mesh.elementType === 'CPS8' ? 4 : 3;
  let maxX = 0;
  let maxY = 0;
  for (const p of mesh.nodes.values()) {
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  const cells = mesh.elements.map((element) => {
    const ids = element.nodes.slice(0, corners);
    const values = ids.map((id) => vonMises(stresses.get(id) ?? []));
    return { ids, value: values.reduce((a, b) => a + b, 0) / values.length };
  });
  const low = Math.min(...cells.map((c) => c.value));
  const high = Math.max(...cells.map((c) => c.value));
  const scale = (WIDTH_PX - 2 * MARGIN_PX - BAR_PX) / (2 * maxX);
  const height = Math.round(2 * maxY * scale + 2 * MARGIN_PX + 20);
  const cx = MARGIN_PX + maxX * scale;
  const cy = MARGIN_PX + 20 + maxY * scale;
  const polygons = cells
    .map(({ ids, value }) => {
      const points = ids
        .map((id) => {
          const p = mesh.nodes.get(id)!;
          return `${(p.x * scale).toFixed(2)},${(-p.y * scale).toFixed(2)}`;
        })
        .join(' ');
      const t = high > low ? (value - low) / (high - low) : 0;
      return `<polygon points="${points}" fill="${colour(t)}" stroke="${colour(t)}" stroke-width="0.3"/>`;
    })
    .join('\n');
  const barX = WIDTH_PX - BAR_PX + 10;
  const barTop = MARGIN_PX + 20;
  const stepPx = (height - barTop - MARGIN_PX) / BAR_STEPS;
  const bar = Array.from({ length: BAR_STEPS }, (_, i) => {
    const t = 1 - (i + 0.5) / BAR_STEPS;
    return `<rect x="${barX}" y="${(barTop + i * stepPx).toFixed(1)}" width="18" height="${stepPx.toFixed(1)}" fill="${colour(t)}"/>`;
  }).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${WIDTH_PX}" height="${height}" viewBox="0 0 ${WIDTH_PX} ${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${MARGIN_PX}" y="24" font-size="14">${escapeXml(title)}</text>`,
    `<g transform="translate(${cx.toFixed(2)},${cy.toFixed(2)})">`,
    `<g id="quarter">${polygons}</g>`,
    '<use xlink:href="#quarter" href="#quarter" transform="scale(-1,1)"/>',
    '<use xlink:href="#quarter" href="#quarter" transform="scale(1,-1)"/>',
    '<use xlink:href="#quarter" href="#quarter" transform="scale(-1,-1)"/>',
    '</g>',
    bar,
    `<text x="${barX + 24}" y="${barTop + 10}">${fmt(high)} MPa</text>`,
    `<text x="${barX + 24}" y="${(height - MARGIN_PX).toFixed(1)}">${fmt(low)} MPa</text>`,
    `<text x="${barX}" y="${barTop - 8}">von Mises</text>`,
    '</svg>',
    '',
  ].join('\n');
}
