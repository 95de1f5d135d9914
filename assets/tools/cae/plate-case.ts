// The load case of the plate with a hole, as a CalculiX deck on the quarter-section mesh:
// symmetry (ux = 0 on x = 0, uy = 0 on y = 0) and a uniform tension `stressMpa` along x on the
// end x = L/2, as consistent nodal forces. Plane stress, thickness t.
import type { PlaneMesh } from './abaqus-mesh.js';
import { calculixDeck, type ElasticMaterial } from './ccx-deck.js';
import { edgeLoads, near, nodesWhere } from './edge-loads.js';
import { validatePlate, type PlateWithHole } from './plate-geometry.js';

/** Structural steel, as in the default study (E = 210 GPa, nu = 0.3), in MPa. */
export const STEEL: ElasticMaterial = {
  name: 'STEEL',
  youngsModulusMpa: 210_000,
  poissonRatio: 0.3,
};

/** The deck of the plate in tension. */
export function plateTensionDeck(
  plate: PlateWithHole,
  mesh: PlaneMesh,
  stressMpa: number,
  material: ElasticMaterial = STEEL,
): string {
  const { lengthMm: L, widthMm: W, thicknessMm: t } = validatePlate(plate);
  const tolerance = 1e-6 * Math.max(L, W);
  return calculixDeck({
    title: `plate with hole L=${L} W=${W} d=${plate.holeDiameterMm} t=${t} mm, tension ${stressMpa} MPa`,
    mesh,
    material,
    thicknessMm: t,
    restraints: [
      { name: 'SYMX', nodes: nodesWhere(mesh, (p) => near(p.x, 0, tolerance)), dofs: [1] },
      { name: 'SYMY', nodes: nodesWhere(mesh, (p) => near(p.y, 0, tolerance)), dofs: [2] },
    ],
    forces: edgeLoads(
      mesh,
      (p) => near(p.x, L / 2, tolerance),
      () => ({ tx: stressMpa, ty: 0 }),
      t,
    ),
  });
}
