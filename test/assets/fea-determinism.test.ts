// Determinism: the same parameters give the same geometry and mesh ids and bitwise-identical
// results; ids change exactly when the content does.
import { describe, expect, it } from 'vitest';
import {
  buildMesh,
  geometryId,
  geometrySvg,
  parseMesh,
  serializeMesh,
  solveDesign,
} from '../../assets/tools/fea/index.js';

const DESIGN = {
  lengthM: 1.2,
  heightM: 0.08,
  thicknessM: 0.03,
  material: 'titanium-ti-6al-4v',
  tipLoadN: 3000,
};

/** The bits of every number in a result, so -0 vs 0 and last-bit differences show up. */
function bits(values: readonly number[]): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('hex');
}

describe('determinism and ids', () => {
  it('geometryId is a stable sha256 of the rounded parameters, independent of key order', () => {
    const id = geometryId(DESIGN);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(geometryId({ thicknessM: 0.03, heightM: 0.08, lengthM: 1.2 })).toBe(id);
    expect(geometryId({ ...DESIGN, lengthM: 0.4 + 0.8 })).toBe(id); // 1.2000000000000002
    expect(geometryId({ ...DESIGN, lengthM: 1.2001 })).not.toBe(id);
    const otherLoad = { ...DESIGN, tipLoadN: 1, material: 'steel' };
    expect(geometryId(otherLoad)).toBe(id); // load and material are not geometry
  });

  it('meshId is stable and changes with the geometry or density', () => {
    const mesh = buildMesh(DESIGN);
    expect(buildMesh(DESIGN).meshId).toBe(mesh.meshId);
    expect(mesh.meshId).toMatch(/^[0-9a-f]{64}$/);
    expect(mesh.geometryId).toBe(geometryId(DESIGN));
    expect(buildMesh({ ...DESIGN, thicknessM: 0.02 }).meshId).not.toBe(mesh.meshId);
    expect(buildMesh(DESIGN, { elementsThroughHeight: 6, maxAspectRatio: 2 }).meshId).not.toBe(
      mesh.meshId,
    );
  });

  it('the mesh round-trips through its JSON serialization, id checked', () => {
    const mesh = buildMesh(DESIGN);
    const json = serializeMesh(mesh);
    expect(parseMesh(json)).toEqual(mesh);
    const tampered = json.replace('"nx":', '"nx":1');
    expect(() => parseMesh(tampered)).toThrow(/does not match meshId/);
  });

  it('two solves give bitwise-identical results', () => {
    const a = solveDesign(DESIGN);
    const b = solveDesign(DESIGN);
    expect(bits(b.displacements)).toBe(bits(a.displacements));
    expect(bits(b.gaussStresses.map((s) => s.vonMises))).toBe(
      bits(a.gaussStresses.map((s) => s.vonMises)),
    );
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('the SVG is deterministic', () => {
    expect(geometrySvg(DESIGN)).toBe(geometrySvg({ ...DESIGN }));
  });
});
