// Mesh refinement: the tip-deflection error against beam theory shrinks as the mesh is refined,
// and the root reactions balance the tip load (force and moment) at every density.
import { describe, expect, it } from 'vitest';
import {
  buildMesh,
  solveCantilever,
  timoshenkoTipDeflection,
  type FeaResult,
} from '../../assets/tools/fea/index.js';
import { relativeError, theoryInput } from './fea-fixtures.js';

const DESIGN = {
  lengthM: 1.0,
  heightM: 0.1,
  thicknessM: 0.05,
  material: 'aluminium-6061-t6',
  tipLoadN: 2000,
};
/** Elements through the height, each level doubling the previous (aspect ratio fixed at 2). */
const LEVELS = [1, 2, 4, 8];
/** The equilibrium tolerance (relative). */
const EQUILIBRIUM_TOLERANCE = 1e-6;

const results: FeaResult[] = LEVELS.map((ny) =>
  solveCantilever({
    mesh: buildMesh(DESIGN, { elementsThroughHeight: ny, maxAspectRatio: 2 }),
    material: DESIGN.material,
    tipLoadN: DESIGN.tipLoadN,
  }),
);
const theory = timoshenkoTipDeflection(theoryInput(DESIGN)).totalM;
const errors = results.map((r) => relativeError(r.tipDeflectionM, theory));

describe('mesh refinement study', () => {
  it('the tip-deflection error against beam theory decreases monotonically', () => {
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]!);
    expect(Math.min(...errors)).toBe(errors.at(-1));
  });

  it('the FE solution converges: successive changes shrink', () => {
    const deflections = results.map((r) => r.tipDeflectionM);
    const changes = deflections.slice(1).map((d, i) => Math.abs(d - deflections[i]!));
    for (let i = 1; i < changes.length; i++) expect(changes[i]).toBeLessThan(changes[i - 1]!);
    // A stiffness (displacement) formulation converges from below: it is never too flexible.
    for (let i = 1; i < deflections.length; i++)
      expect(deflections[i]).toBeGreaterThan(deflections[i - 1]!);
  });

  it.each(LEVELS.map((ny, i) => [ny, results[i]!] as const))(
    'ny=%i: root reactions balance the tip load (sum -P, moment P L)',
    (_ny, result) => {
      const { fxN, fyN, momentNm } = result.reactions;
      const P = DESIGN.tipLoadN;
      // The load acts along -y, so the reactions sum to +P along y and nothing along x.
      expect(relativeError(fyN, P)).toBeLessThan(EQUILIBRIUM_TOLERANCE);
      expect(Math.abs(fxN) / P).toBeLessThan(EQUILIBRIUM_TOLERANCE);
      // Moment about the root centroid: the tip load's -P L is balanced by +P L.
      expect(relativeError(momentNm, P * DESIGN.lengthM)).toBeLessThan(EQUILIBRIUM_TOLERANCE);
    },
  );

  it('the raw max von Mises grows at the singular root; the documented max converges', () => {
    const raw = results.map((r) => r.maxVonMisesIncludingRootPa);
    for (let i = 1; i < raw.length; i++) expect(raw[i]).toBeGreaterThan(raw[i - 1]!);
    const kept = results.slice(1).map((r) => r.maxVonMises.valuePa);
    expect(relativeError(kept.at(-2)!, kept.at(-1)!)).toBeLessThan(0.01);
  });
});
