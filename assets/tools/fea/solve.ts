// Linear-elastic plane-stress finite-element solve of the 2D cantilever.
//
// Formulation
// - Domain: the rectangle [0, L] x [-h/2, h/2], thickness t, meshed with 8-node serendipity
//   quadrilaterals (Q8, mesh.ts); unknowns are the nodal displacements (u, v).
// - Element: plane-stress D = E/(1 - nu^2) [[1, nu, 0], [nu, 1, 0], [0, 0, (1 - nu)/2]],
//   Ke = integral of B^T D B t dA by 3x3 Gauss quadrature (element.ts, shape-q8.ts). Q8 with
//   full integration represents bending without shear locking.
// - Boundary conditions: clamped root, u = v = 0 at every node on x = 0 (those DOFs are left out
//   of the system, assembly.ts). The clamp also stops the section from warping, so the stress
//   field near the root corners is singular and its maximum grows with mesh refinement.
// - Load: total force P downward at x = L as the parabolic shear traction of Timoshenko's
//   elasticity solution, with consistent nodal loads (loads.ts).
// - System: K u = f, K symmetric positive definite in banded storage (nodes numbered through
//   the height keep the half-bandwidth at 6 ny + 9 DOFs), solved by band Cholesky L L^T
//   (banded-cholesky.ts); a non-positive pivot is reported as a singular (unrestrained) model.
// - Results (results.ts): displacements; tip deflection at the tip mid-height node and averaged
//   over the tip edge; stresses at Gauss points and nodal-averaged; root reactions (equilibrium
//   check); mass = rho L h t; safety factor = yield / max von Mises, where the max is taken over
//   the nodal-averaged field outside the singular root zone x < min(h, L/2) (Saint-Venant: the
//   clamp's disturbance decays within about one section height). Beam theory puts the largest
//   bending stress at the root, so this max is that of x = h: M = P (L - h) instead of P L.
import { assembleStiffness, internalForces, numberEquations } from './assembly.js';
import { SingularMatrixError, choleskyInPlace, choleskySolve } from './banded-cholesky.js';
import { planeStressD } from './element.js';
import { tipShearLoads } from './loads.js';
import { resolveMaterial, type Material } from './materials.js';
import { DEFAULT_MESH_DENSITY, buildMesh, type Mesh, type MeshDensity } from './mesh.js';
import type { CantileverGeometry } from './geometry.js';
import { summarize, type FeaResult } from './results.js';
import { recoverStresses } from './stress.js';
import { positiveNumber } from './validate.js';

/** What the solver needs: a mesh, a material (key or object) and the total tip load. */
export interface SolveInput {
  readonly mesh: Mesh;
  readonly material: string | Material;
  /** Total tip load P (N, > 0), acting downward (-y). */
  readonly tipLoadN: number;
  /** Nodes with u = v = 0; the mesh's root nodes by default. */
  readonly restrainedNodes?: readonly number[];
}

/** One design point: geometry, material key and tip load. */
export interface CantileverDesign extends CantileverGeometry {
  readonly material: string;
  readonly tipLoadN: number;
}

/** Solves the plane-stress cantilever on a mesh; throws on bad input or a singular model. */
export function solveCantilever(input: SolveInput): FeaResult {
  const { mesh } = input;
  const material = resolveMaterial(input.material);
  const tipLoadN = positiveNumber('tipLoadN', input.tipLoadN);
  const restrained = input.restrainedNodes ?? mesh.rootNodes;
  const d = planeStressD(material.youngsModulusPa, material.poissonRatio);
  const eqs = numberEquations(mesh.nodes.length, restrained);
  const { k, elementK } = assembleStiffness(mesh, d, mesh.geometry.thicknessM, eqs);
  const f = tipShearLoads(mesh, tipLoadN);

  const rhs = new Float64Array(eqs.count);
  eqs.eq.forEach((e, dof) => {
    if (e >= 0) rhs[e] = f[dof] as number;
  });
  try {
    choleskyInPlace(k);
  } catch (error) {
    if (!(error instanceof SingularMatrixError)) throw error;
    const dof = eqs.eq.indexOf(error.equation);
    const node = Math.floor(dof / 2);
    const p = mesh.nodes[node];
    throw new Error(
      `FE solve failed: the stiffness matrix is singular or not positive definite at node ${node}` +
        ` (x=${p?.x}, y=${p?.y}) ${dof % 2 === 0 ? 'ux' : 'uy'}; the model is not restrained` +
        ` against rigid-body motion (${restrained.length} restrained nodes)`,
      { cause: error },
    );
  }
  const x = choleskySolve(k, rhs);

  const u = new Float64Array(2 * mesh.nodes.length);
  eqs.eq.forEach((e, dof) => {
    if (e >= 0) u[dof] = x[e] as number;
  });
  const fInternal = internalForces(mesh, elementK, u);
  const stresses = recoverStresses(mesh, d, u);
  return summarize({
    mesh,
    material,
    tipLoadN,
    restrained,
    u,
    f,
    fInternal,
    stresses,
    eqs,
    bandwidth: k.bw,
  });
}

/** Meshes a design with the given density (default {@link DEFAULT_MESH_DENSITY}) and solves it. */
export function solveDesign(
  design: CantileverDesign,
  density: MeshDensity = DEFAULT_MESH_DENSITY,
): FeaResult {
  const mesh = buildMesh(design, density);
  return solveCantilever({ mesh, material: design.material, tipLoadN: design.tipLoadN });
}
