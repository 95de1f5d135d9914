// Global assembly: equation numbering with the clamped DOFs eliminated, the symmetric banded
// stiffness matrix from the Q8 element matrices, and the element-wise internal forces used to
// recover reactions. Global DOF of node k: 2k (u, along x) and 2k + 1 (v, along y).
import { BandedMatrix } from './banded-cholesky.js';
import { ELEMENT_DOFS, elementStiffness } from './element.js';
import type { Mesh } from './mesh.js';

/** Equation number of every global DOF (-1 where restrained) and the number of equations. */
export interface Equations {
  readonly eq: Int32Array;
  readonly count: number;
}

/** Numbers the free DOFs in node order, skipping every DOF of the restrained nodes. */
export function numberEquations(nodeCount: number, restrainedNodes: readonly number[]): Equations {
  const eq = new Int32Array(2 * nodeCount).fill(0);
  for (const node of restrainedNodes) {
    eq[2 * node] = -1;
    eq[2 * node + 1] = -1;
  }
  let count = 0;
  for (let d = 0; d < eq.length; d++) if (eq[d] === 0) eq[d] = count++;
  return { eq, count };
}

/** Global DOFs of an element, in element DOF order [u1, v1, ..., u8, v8]. */
export function elementDofs(element: readonly number[]): Int32Array {
  const dofs = new Int32Array(ELEMENT_DOFS);
  element.forEach((node, i) => {
    dofs[2 * i] = 2 * node;
    dofs[2 * i + 1] = 2 * node + 1;
  });
  return dofs;
}

/** Node coordinates of an element as two arrays of 8. */
export function elementCoordinates(
  mesh: Mesh,
  element: readonly number[],
): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(8);
  const ys = new Float64Array(8);
  element.forEach((node, i) => {
    const p = mesh.nodes[node];
    if (!p) throw new Error(`element refers to missing node ${node}`);
    xs[i] = p.x;
    ys[i] = p.y;
  });
  return { xs, ys };
}

/** Half-bandwidth of the assembled matrix: the largest equation-number spread in an element. */
export function halfBandwidth(mesh: Mesh, eq: Int32Array): number {
  let bw = 0;
  for (const element of mesh.elements) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const d of elementDofs(element)) {
      const e = eq[d] as number;
      if (e < 0) continue;
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
    }
    if (hi >= lo) bw = Math.max(bw, hi - lo);
  }
  return bw;
}

/** The assembled banded stiffness (free DOFs only) and every element's 16x16 stiffness. */
export interface Assembled {
  readonly k: BandedMatrix;
  readonly elementK: readonly Float64Array[];
}

/** Assembles K = sum of Ke over the elements into banded storage (lower band only). */
export function assembleStiffness(
  mesh: Mesh,
  d: Float64Array,
  thicknessM: number,
  eqs: Equations,
): Assembled {
  const k = new BandedMatrix(eqs.count, halfBandwidth(mesh, eqs.eq));
  const elementK: Float64Array[] = [];
  for (const element of mesh.elements) {
    const { xs, ys } = elementCoordinates(mesh, element);
    const ke = elementStiffness(xs, ys, d, thicknessM);
    elementK.push(ke);
    const dofs = elementDofs(element);
    for (let a = 0; a < ELEMENT_DOFS; a++) {
      const i = eqs.eq[dofs[a] as number] as number;
      if (i < 0) continue;
      for (let b = 0; b < ELEMENT_DOFS; b++) {
        const j = eqs.eq[dofs[b] as number] as number;
        if (j < 0 || j > i) continue; // lower triangle only; the upper is its mirror
        k.add(i, j, ke[a * ELEMENT_DOFS + b] as number);
      }
    }
  }
  return { k, elementK };
}

/** Internal nodal forces f = sum of Ke ue over all global DOFs (reactions where restrained). */
export function internalForces(
  mesh: Mesh,
  elementK: readonly Float64Array[],
  u: Float64Array,
): Float64Array {
  const f = new Float64Array(2 * mesh.nodes.length);
  mesh.elements.forEach((element, e) => {
    const ke = elementK[e] as Float64Array;
    const dofs = elementDofs(element);
    for (let a = 0; a < ELEMENT_DOFS; a++) {
      let s = 0;
      for (let b = 0; b < ELEMENT_DOFS; b++)
        s += (ke[a * ELEMENT_DOFS + b] as number) * (u[dofs[b] as number] as number);
      const da = dofs[a] as number;
      f[da] = (f[da] as number) + s;
    }
  });
  return f;
}
