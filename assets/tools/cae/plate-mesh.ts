// Meshing the plate's quarter section (./cad.ts) with second-order plane-stress elements and a
// size field refined at the hole, where the stress concentrates.
//
// Element choice: 6-node triangles (CPS6) by default. The peak stress sits on the curved hole
// edge and falls off over about one radius; quadratic elements follow the arc with curved edges
// (Gmsh places the midside nodes on the B-rep) and carry a linear stress field, so the peak
// converges with a few elements across the gradient, and an unstructured triangle mesh grades
// from fine at the hole to coarse at the ends with no distorted element (8-node quads need
// recombination, which leaves some skewed quads in the graded zone; they are offered for
// comparison).
import { generateMesh, type MeshRevision } from './mesh.js';
import type { ElementKind } from './mesh-script.js';
import { refinedAt } from './mesh-script.js';
import type { CadRevision } from './cad.js';

/** How finely to mesh the plate. */
export interface PlateMeshSettings {
  readonly kind: ElementKind;
  /** Element size on the hole edge, mm. */
  readonly sizeAtHoleMm: number;
  /** Element size far from the hole, mm. */
  readonly sizeMaxMm: number;
  /** Distance from the hole over which the size grows to sizeMaxMm, mm. */
  readonly refineDistanceMm: number;
}

/** Meshes the CAD revision's quarter section under `root`. */
export function meshPlate(
  cad: CadRevision,
  settings: PlateMeshSettings,
  root: string,
): Promise<MeshRevision> {
  const r = cad.plate.holeDiameterMm / 2;
  const margin = r * 1e-3;
  return generateMesh(
    { cad: cad.id, settings },
    {
      geometry: ['Merge "section.step";'],
      sizing: refinedAt(
        [-margin, -margin, r + margin, r + margin],
        settings.sizeAtHoleMm,
        settings.sizeMaxMm,
        settings.refineDistanceMm,
      ),
      kind: settings.kind,
    },
    root,
    { 'section.step': cad.sectionStep },
  );
}
