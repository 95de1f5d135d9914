// The arguments the plate study gives the `cae` tools for one design, in the tools' units (mm,
// MPa): the plate, its mesh sizes (scaled from the design space's `mesh`), the far-field tension
// and the solver's material. Shared by the study's assets (./study.ts) and by anything that
// calls the tools the same way without strata (bench/cae-study.ts's baseline).
import type { Material } from '../tools/fea/materials.js';
import type { PlateDesign, PlateSpace } from './plate-space.js';

/** Pa per MPa. */
export const PA_PER_MPA = 1e6;

/** The tool arguments of a design's plate (mm). */
export function plateParams(point: PlateDesign) {
  return {
    length_mm: point.length_mm,
    width_mm: point.width_mm,
    hole_diameter_mm: point.hole_diameter_mm,
    thickness_mm: point.thickness_mm,
  };
}

/** The far-field tension on the gross section, MPa (N / mm^2). */
export function tensionMpa(point: PlateDesign): number {
  return (point.load_kn * 1000) / (point.width_mm * point.thickness_mm);
}

/** The element sizes of a design, scaled from the design space's `mesh` (mm). */
export function meshSettingsOf(mesh: PlateSpace['mesh'], point: PlateDesign) {
  return {
    kind: 'tri6' as const,
    size_at_hole_mm: Number(
      ((mesh.size_at_hole_over_radius * point.hole_diameter_mm) / 2).toPrecision(6),
    ),
    size_max_mm: Number((mesh.size_max_over_width * point.width_mm).toPrecision(6)),
    refine_distance_mm: Number((mesh.refine_distance_over_width * point.width_mm).toPrecision(6)),
  };
}

/** solve.submit's material: the design's material name, E and nu (MPa). */
export function solverMaterial(name: string, material: Material) {
  return {
    name,
    youngs_modulus_mpa: material.youngsModulusPa / PA_PER_MPA,
    poisson_ratio: material.poissonRatio,
  };
}
