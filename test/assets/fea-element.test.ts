// Unit checks of the numerical building blocks: Q8 shape functions, the element stiffness
// (symmetry, rigid-body modes, patch test), the consistent tip load and the band Cholesky.
import { describe, expect, it } from 'vitest';
import {
  elementDofs,
  internalForces,
  assembleStiffness,
  numberEquations,
} from '../../assets/tools/fea/assembly.js';
import {
  BandedMatrix,
  SingularMatrixError,
  choleskyInPlace,
  choleskySolve,
} from '../../assets/tools/fea/banded-cholesky.js';
import {
  ELEMENT_DOFS,
  elementStiffness,
  planeStressD,
  stressAt,
} from '../../assets/tools/fea/element.js';
import { tipShearLoads } from '../../assets/tools/fea/loads.js';
import { GAUSS_3X3, Q8_ETA, Q8_XI, q8Shape } from '../../assets/tools/fea/shape-q8.js';
import { buildMesh } from '../../assets/tools/fea/index.js';

/** A distorted (non-rectangular, straight-sided) Q8 element with midside nodes at mid-edges. */
const CORNERS_X = [0, 2, 2.3, -0.2];
const CORNERS_Y = [0, 0.2, 1.5, 1.1];
const XS = [
  ...CORNERS_X,
  ...[0, 1, 2, 3].map((i) => (CORNERS_X[i]! + CORNERS_X[(i + 1) % 4]!) / 2),
];
const YS = [
  ...CORNERS_Y,
  ...[0, 1, 2, 3].map((i) => (CORNERS_Y[i]! + CORNERS_Y[(i + 1) % 4]!) / 2),
];
const D = planeStressD(200e9, 0.3);

describe('Q8 shape functions', () => {
  it('are 1 at their own node and 0 at the others (Kronecker delta)', () => {
    for (let j = 0; j < 8; j++) {
      const { n } = q8Shape(Q8_XI[j]!, Q8_ETA[j]!);
      for (let i = 0; i < 8; i++) expect(n[i]).toBeCloseTo(i === j ? 1 : 0, 14);
    }
  });

  it('sum to one, with derivatives summing to zero, anywhere in the element', () => {
    for (const { xi, eta } of GAUSS_3X3) {
      const { n, dXi, dEta } = q8Shape(xi * 0.9, eta * 0.7);
      expect(n.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      expect(dXi.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 14);
      expect(dEta.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 14);
    }
  });
});

describe('Q8 element stiffness', () => {
  const ke = elementStiffness(XS, YS, D, 0.01);
  const scale = Math.max(...ke.map(Math.abs));

  it('is symmetric', () => {
    for (let a = 0; a < ELEMENT_DOFS; a++) {
      for (let b = 0; b < a; b++) {
        expect(Math.abs(ke[a * 16 + b]! - ke[b * 16 + a]!) / scale).toBeLessThan(1e-14);
      }
    }
  });

  it('gives no force for the three rigid-body modes', () => {
    const modes = [
      (_x: number, _y: number) => [1, 0],
      (_x: number, _y: number) => [0, 1],
      (x: number, y: number) => [-y, x], // small rotation
    ];
    for (const mode of modes) {
      const u = XS.flatMap((x, i) => mode(x, YS[i]!));
      for (let a = 0; a < ELEMENT_DOFS; a++) {
        const f = u.reduce((s, ub, b) => s + ke[a * 16 + b]! * ub, 0);
        expect(Math.abs(f) / scale).toBeLessThan(1e-12);
      }
    }
  });

  it('reproduces a constant strain state exactly (single-element patch test)', () => {
    const [exx, eyy, gxy] = [1e-4, -3e-5, 2e-5];
    const u = XS.flatMap((x, i) => [exx * x + (gxy / 2) * YS[i]!, eyy * YS[i]! + (gxy / 2) * x]);
    const s = stressAt(XS, YS, D, u, 0.3, -0.6);
    expect(s.sxx).toBeCloseTo(D[0]! * exx + D[1]! * eyy, 0);
    expect(s.syy).toBeCloseTo(D[3]! * exx + D[4]! * eyy, 0);
    expect(s.txy).toBeCloseTo(D[8]! * gxy, 0);
  });

  it('passes the patch test on a mesh: a linear field leaves interior nodes force-free', () => {
    const mesh = buildMesh(
      { lengthM: 0.4, heightM: 0.1, thicknessM: 0.01 },
      { elementsThroughHeight: 3, maxAspectRatio: 1.5 },
    );
    const eqs = numberEquations(mesh.nodes.length, []);
    const { elementK } = assembleStiffness(mesh, D, 0.01, eqs);
    const u = Float64Array.from(mesh.nodes.flatMap((p) => [2e-4 * p.x + 1e-4 * p.y, -1e-4 * p.y]));
    const f = internalForces(mesh, elementK, u);
    const boundary = (x: number, y: number): boolean =>
      x === 0 || Math.abs(x - 0.4) < 1e-12 || Math.abs(Math.abs(y) - 0.05) < 1e-12;
    const fScale = Math.max(...f.map(Math.abs));
    mesh.nodes.forEach((p, node) => {
      if (boundary(p.x, p.y)) return;
      expect(Math.abs(f[2 * node]!) / fScale).toBeLessThan(1e-10);
      expect(Math.abs(f[2 * node + 1]!) / fScale).toBeLessThan(1e-10);
    });
  });

  it('maps element nodes to global DOFs pairwise', () => {
    expect(Array.from(elementDofs([3, 0, 1, 2, 4, 5, 6, 7]).slice(0, 4))).toEqual([6, 7, 0, 1]);
  });
});

describe('consistent tip load', () => {
  it('sums to -P along y with the resultant on the beam axis', () => {
    const mesh = buildMesh(
      { lengthM: 1, heightM: 0.1, thicknessM: 0.02 },
      { elementsThroughHeight: 3, maxAspectRatio: 2 },
    );
    const f = tipShearLoads(mesh, 1234);
    let fx = 0;
    let fy = 0;
    let momentAboutTipCentre = 0;
    mesh.nodes.forEach((p, node) => {
      fx += f[2 * node]!;
      fy += f[2 * node + 1]!;
      momentAboutTipCentre += -p.y * f[2 * node]! + (p.x - 1) * f[2 * node + 1]!;
    });
    expect(fx).toBe(0);
    expect(fy).toBeCloseTo(-1234, 9);
    expect(momentAboutTipCentre).toBeCloseTo(0, 9);
  });
});

describe('band Cholesky', () => {
  /** A diagonally dominant SPD band matrix of size n, half-bandwidth bw. */
  function spd(n: number, bw: number): BandedMatrix {
    const a = new BandedMatrix(n, bw);
    for (let i = 0; i < n; i++) {
      a.add(i, i, 4 * bw + 1 + (i % 3));
      for (let j = Math.max(0, i - bw); j < i; j++) a.add(i, j, -1 + ((i * 7 + j * 3) % 5) / 10);
    }
    return a;
  }

  it('solves an SPD band system to round-off', () => {
    const a = spd(50, 4);
    const x = Array.from({ length: 50 }, (_, i) => Math.sin(i) + 2);
    const b = x.map((_, i) => x.reduce((s, xj, j) => s + a.get(i, j) * xj, 0));
    choleskyInPlace(a);
    const solved = choleskySolve(a, b);
    solved.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 12));
  });

  it('reports a singular matrix with the failing equation', () => {
    const a = new BandedMatrix(3, 1);
    // [[1, 1, 0], [1, 1, 0], [0, 0, 1]]: rows 0 and 1 are equal.
    a.add(0, 0, 1);
    a.add(1, 0, 1);
    a.add(1, 1, 1);
    a.add(2, 2, 1);
    expect(() => choleskyInPlace(a)).toThrow(SingularMatrixError);
    try {
      choleskyInPlace(spd(1, 0));
      const b = new BandedMatrix(2, 1);
      b.add(0, 0, 1);
      b.add(1, 0, 2);
      b.add(1, 1, 1); // indefinite: eigenvalues 3 and -1
      choleskyInPlace(b);
    } catch (error) {
      expect(error).toBeInstanceOf(SingularMatrixError);
      expect((error as SingularMatrixError).equation).toBe(1);
      expect((error as Error).message).toMatch(/singular or not positive definite.*equation 1/);
      return;
    }
    throw new Error('expected an indefinite matrix to be rejected');
  });

  it('refuses entries outside the band', () => {
    expect(() => new BandedMatrix(5, 1).add(3, 0, 1)).toThrow(/outside bandwidth 1/);
  });
});
