// The default study's cantilever, for CalculiX: the rectangle [0, L] x [-h/2, h/2] (thickness t)
// meshed by Gmsh with a structured grid of 8-node plane-stress quads (CPS8, the in-house
// solver's Q8 element) at the study's mesh density, clamped at x = 0 (ux = uy = 0), loaded at
// x = L by a total force P downward distributed as the parabolic shear traction of Timoshenko's
// elasticity solution (as the in-house solver loads it: ../fea/loads.ts). The study works in
// metres, newtons and pascals; CalculiX here in mm, N and MPa.
import type { PlaneMesh } from './abaqus-mesh.js';
import { calculixDeck } from './ccx-deck.js';
import { edgeLoads, near, nodesWhere } from './edge-loads.js';
import { generateMesh, type MeshRevision } from './mesh.js';
import {
  getMaterial,
  meshDivisions,
  type CantileverDesign,
  type MeshDensity,
} from '../fea/index.js';

/** Meshes the design's rectangle with nx x ny quads (the study's divisions) under `root`. */
export async function meshCantilever(
  design: CantileverDesign,
  density: MeshDensity,
  root: string,
): Promise<MeshRevision> {
  const { nx, ny } = meshDivisions(design, density);
  const L = design.lengthM * 1000;
  const h = design.heightM * 1000;
  const revision = await generateMesh(
    { cantilever: { L, h }, nx, ny },
    {
      geometry: [`Rectangle(1) = {0, ${-h / 2}, 0, ${L}, ${h}};`],
      sizing: [
        // OpenCASCADE numbers a rectangle's curves bottom, right, top, left.
        `Transfinite Curve {1, 3} = ${nx + 1};`,
        `Transfinite Curve {2, 4} = ${ny + 1};`,
        'Transfinite Surface {1};',
      ],
      kind: 'quad8',
    },
    root,
  );
  if (revision.mesh.elements.length !== nx * ny) {
    throw new Error(
      `cantilever mesh has ${revision.mesh.elements.length} elements, not ${nx * ny}`,
    );
  }
  return revision;
}

/** The deck: clamped root, parabolic tip shear totalling P downward. */
export function cantileverDeck(design: CantileverDesign, mesh: PlaneMesh): string {
  const L = design.lengthM * 1000;
  const h = design.heightM * 1000;
  const t = design.thicknessM * 1000;
  const P = design.tipLoadN;
  const material = getMaterial(design.material);
  const tolerance = 1e-6 * L;
  return calculixDeck({
    title: `cantilever L=${L} h=${h} t=${t} mm, tip load ${P} N, ${design.material}`,
    mesh,
    material: {
      name: design.material.toUpperCase().replace(/[^A-Z0-9]/g, '_'),
      youngsModulusMpa: material.youngsModulusPa / 1e6,
      poissonRatio: material.poissonRatio,
    },
    thicknessMm: t,
    restraints: [
      { name: 'ROOT', nodes: nodesWhere(mesh, (p) => near(p.x, 0, tolerance)), dofs: [1, 2] },
    ],
    forces: edgeLoads(
      mesh,
      (p) => near(p.x, L, tolerance),
      (p) => ({ tx: 0, ty: -((3 * P) / (2 * h * t)) * (1 - (4 * p.y * p.y) / (h * h)) }),
      t,
    ),
  });
}

/** The node at the tip's mid-height (x = L, y = 0), where the tip deflection is read. */
export function tipNode(design: CantileverDesign, mesh: PlaneMesh): number {
  const L = design.lengthM * 1000;
  const [node] = nodesWhere(mesh, (p) => near(p.x, L, 1e-6 * L) && near(p.y, 0, 1e-6 * L));
  if (node === undefined) throw new Error('the cantilever mesh has no node at the tip mid-height');
  return node;
}
