// The structured Q8 mesh (counts, orientation, node sets, numbering that keeps the bandwidth
// small), the material table and the SVG drawing of the geometry.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MESH_DENSITY,
  MATERIALS,
  buildMesh,
  geometrySvg,
  materialKeys,
  solveDesign,
} from '../../assets/tools/fea/index.js';

const GEOMETRY = { lengthM: 1.2, heightM: 0.08, thicknessM: 0.03 };

describe('structured Q8 mesh', () => {
  const mesh = buildMesh(GEOMETRY);
  const { nx, ny } = mesh;

  it('derives nx from the height divisions and the aspect-ratio limit', () => {
    expect(ny).toBe(DEFAULT_MESH_DENSITY.elementsThroughHeight);
    expect(nx).toBe(Math.ceil((15 * ny) / DEFAULT_MESH_DENSITY.maxAspectRatio));
    expect(mesh.elements).toHaveLength(nx * ny);
    expect(mesh.nodes).toHaveLength((2 * ny + 1) * (nx + 1) + (ny + 1) * nx);
  });

  it('orders element nodes corners counter-clockwise, then midsides', () => {
    for (const element of mesh.elements) {
      const p = element.map((n) => mesh.nodes[n]!);
      const [a, b, c, d] = p;
      const area = 0.5 * ((b!.x - a!.x) * (d!.y - a!.y) - (d!.x - a!.x) * (b!.y - a!.y)) * 2;
      expect(area).toBeGreaterThan(0);
      expect(c!.x).toBe(b!.x);
      for (let i = 0; i < 4; i++) {
        const m = p[4 + i]!;
        const [s, e] = [p[i]!, p[(i + 1) % 4]!];
        expect(m.x).toBeCloseTo((s.x + e.x) / 2, 12);
        expect(m.y).toBeCloseTo((s.y + e.y) / 2, 12);
      }
    }
  });

  it('exposes the root nodes and tip edges', () => {
    expect(mesh.rootNodes).toHaveLength(2 * ny + 1);
    for (const n of mesh.rootNodes) expect(mesh.nodes[n]!.x).toBe(0);
    expect(mesh.tipEdges).toHaveLength(ny);
    for (const edge of mesh.tipEdges) for (const n of edge) expect(mesh.nodes[n]!.x).toBe(1.2);
    expect(mesh.nodes[mesh.tipEdges[0]![0]]!.y).toBe(-0.04);
    expect(mesh.nodes[mesh.tipEdges.at(-1)![2]]!.y).toBeCloseTo(0.04, 15);
  });

  it('numbers nodes through the height, so the bandwidth does not grow with the length', () => {
    const spread = Math.max(...mesh.elements.map((e) => Math.max(...e) - Math.min(...e)));
    // An element spans from its bottom-left node to the top-right node two columns on.
    expect(spread).toBe(3 * ny + 4);
    const short = solveDesign({ ...GEOMETRY, lengthM: 0.4, material: 'steel', tipLoadN: 1 });
    const long = solveDesign({ ...GEOMETRY, lengthM: 1.6, material: 'steel', tipLoadN: 1 });
    expect(long.halfBandwidth).toBe(short.halfBandwidth);
    expect(long.halfBandwidth).toBe(2 * (3 * ny + 4) + 1);
  });
});

describe('materials', () => {
  it('holds steel, aluminium 6061-T6 and Ti-6Al-4V with their handbook values', () => {
    expect(materialKeys()).toEqual(['aluminium-6061-t6', 'steel', 'titanium-ti-6al-4v']);
    expect(MATERIALS['steel']).toMatchObject({ youngsModulusPa: 210e9, yieldStrengthPa: 250e6 });
    expect(MATERIALS['aluminium-6061-t6']).toMatchObject({ poissonRatio: 0.33, densityKgM3: 2700 });
    expect(MATERIALS['titanium-ti-6al-4v']).toMatchObject({
      youngsModulusPa: 114e9,
      yieldStrengthPa: 880e6,
    });
  });
});

describe('geometry SVG', () => {
  const svg = geometrySvg(GEOMETRY);

  it('is a standalone, well-formed SVG document', () => {
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="[\d.]+" height="[\d.]+"/,
    );
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    // Tags balance (no parser dependency): every open tag is closed in order.
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (close) expect(stack.pop()).toBe(name);
      else if (!selfClosing) stack.push(name!);
    }
    expect(stack).toEqual([]);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('labels the dimensions and the load', () => {
    expect(svg).toContain('L = 1.200 m');
    expect(svg).toContain('h = 0.080 m');
    expect(svg).toContain('t = 0.030 m');
    expect(svg).toMatch(/>P</);
    expect(svg).toContain('marker-end="url(#arrow)"');
  });
});
