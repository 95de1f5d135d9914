// The Q8 plane-stress element: the constitutive matrix D, the strain-displacement matrix B at a
// natural point, the 16x16 element stiffness by 3x3 Gauss quadrature and the stress at a point.
// Element DOFs are ordered [u1, v1, u2, v2, ..., u8, v8].
import { GAUSS_3X3, q8Shape } from './shape-q8.js';

/** Degrees of freedom of one Q8 element: 8 nodes x (u, v). */
export const ELEMENT_DOFS = 16;

/**
 * Plane-stress constitutive matrix, sigma = D epsilon with sigma = [sxx, syy, txy] and
 * engineering strain epsilon = [exx, eyy, gxy]:
 *   D = E / (1 - nu^2) [[1, nu, 0], [nu, 1, 0], [0, 0, (1 - nu) / 2]]
 * Returned row-major (9 entries).
 */
export function planeStressD(youngsModulusPa: number, poissonRatio: number): Float64Array {
  const c = youngsModulusPa / (1 - poissonRatio * poissonRatio);
  return Float64Array.of(
    c,
    c * poissonRatio,
    0,
    c * poissonRatio,
    c,
    0,
    0,
    0,
    (c * (1 - poissonRatio)) / 2,
  );
}

/** B (3 x 16, row-major) and the Jacobian determinant at one natural point of an element. */
export interface StrainAt {
  readonly b: Float64Array;
  readonly detJ: number;
  /** Global coordinates of the point. */
  readonly x: number;
  readonly y: number;
}

/**
 * Strain-displacement matrix at (xi, eta) for element node coordinates `xs`, `ys`:
 * J = [[dx/dxi, dy/dxi], [dx/deta, dy/deta]], [dN/dx, dN/dy] = J^-1 [dN/dxi, dN/deta], and
 * B rows are exx = du/dx, eyy = dv/dy, gxy = du/dy + dv/dx.
 */
export function strainAt(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  xi: number,
  eta: number,
): StrainAt {
  const { n, dXi, dEta } = q8Shape(xi, eta);
  let j11 = 0;
  let j12 = 0;
  let j21 = 0;
  let j22 = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < 8; i++) {
    const xi_ = xs[i] as number;
    const yi = ys[i] as number;
    j11 += (dXi[i] as number) * xi_;
    j12 += (dXi[i] as number) * yi;
    j21 += (dEta[i] as number) * xi_;
    j22 += (dEta[i] as number) * yi;
    x += (n[i] as number) * xi_;
    y += (n[i] as number) * yi;
  }
  const detJ = j11 * j22 - j12 * j21;
  if (!(detJ > 0)) {
    throw new Error(`element Jacobian is not positive (${detJ}): distorted or clockwise element`);
  }
  const b = new Float64Array(3 * ELEMENT_DOFS);
  for (let i = 0; i < 8; i++) {
    const dx = (j22 * (dXi[i] as number) - j12 * (dEta[i] as number)) / detJ;
    const dy = (-j21 * (dXi[i] as number) + j11 * (dEta[i] as number)) / detJ;
    b[2 * i] = dx; // exx from u_i
    b[ELEMENT_DOFS + 2 * i + 1] = dy; // eyy from v_i
    b[2 * ELEMENT_DOFS + 2 * i] = dy; // gxy from u_i
    b[2 * ELEMENT_DOFS + 2 * i + 1] = dx; // gxy from v_i
  }
  return { b, detJ, x, y };
}

/** Element stiffness Ke = sum over 3x3 Gauss points of B^T D B det(J) w t (16 x 16, row-major). */
export function elementStiffness(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  d: Float64Array,
  thicknessM: number,
): Float64Array {
  const ke = new Float64Array(ELEMENT_DOFS * ELEMENT_DOFS);
  const db = new Float64Array(3 * ELEMENT_DOFS);
  for (const gp of GAUSS_3X3) {
    const { b, detJ } = strainAt(xs, ys, gp.xi, gp.eta);
    const factor = detJ * gp.w * thicknessM;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < ELEMENT_DOFS; c++) {
        let s = 0;
        for (let k = 0; k < 3; k++)
          s += (d[3 * r + k] as number) * (b[k * ELEMENT_DOFS + c] as number);
        db[r * ELEMENT_DOFS + c] = s * factor;
      }
    }
    for (let a = 0; a < ELEMENT_DOFS; a++) {
      for (let c = 0; c < ELEMENT_DOFS; c++) {
        let s = 0;
        for (let k = 0; k < 3; k++)
          s += (b[k * ELEMENT_DOFS + a] as number) * (db[k * ELEMENT_DOFS + c] as number);
        ke[a * ELEMENT_DOFS + c] = (ke[a * ELEMENT_DOFS + c] as number) + s;
      }
    }
  }
  return ke;
}

/** Plane stress [sxx, syy, txy] = D B ue at (xi, eta), with the point's global coordinates. */
export function stressAt(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  d: Float64Array,
  ue: ArrayLike<number>,
  xi: number,
  eta: number,
): { sxx: number; syy: number; txy: number; x: number; y: number } {
  const { b, x, y } = strainAt(xs, ys, xi, eta);
  const strain = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    let s = 0;
    for (let c = 0; c < ELEMENT_DOFS; c++)
      s += (b[k * ELEMENT_DOFS + c] as number) * (ue[c] as number);
    strain[k] = s;
  }
  const [exx = 0, eyy = 0, gxy = 0] = strain;
  return {
    sxx: (d[0] as number) * exx + (d[1] as number) * eyy,
    syy: (d[3] as number) * exx + (d[4] as number) * eyy,
    txy: (d[8] as number) * gxy,
    x,
    y,
  };
}

/** Plane-stress von Mises stress: sqrt(sxx^2 - sxx syy + syy^2 + 3 txy^2). */
export function vonMises(sxx: number, syy: number, txy: number): number {
  return Math.sqrt(sxx * sxx - sxx * syy + syy * syy + 3 * txy * txy);
}
