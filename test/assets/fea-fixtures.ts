// Shared designs and helpers for the FEA tests: cantilevers spanning L/h from 5 to 20 over the
// three materials, and the matching Timoshenko beam-theory reference.
import {
  getMaterial,
  type BeamTheoryInput,
  type CantileverDesign,
} from '../../assets/tools/fea/index.js';

/** Designs spanning slenderness, materials, thicknesses and loads (SI units). */
export const DESIGNS: readonly (CantileverDesign & { readonly name: string })[] = [
  {
    name: 'steel L/h=5',
    lengthM: 0.5,
    heightM: 0.1,
    thicknessM: 0.02,
    material: 'steel',
    tipLoadN: 5000,
  },
  {
    name: 'ti L/h=5',
    lengthM: 0.3,
    heightM: 0.06,
    thicknessM: 0.01,
    material: 'titanium-ti-6al-4v',
    tipLoadN: 800,
  },
  {
    name: 'al L/h=10',
    lengthM: 1.0,
    heightM: 0.1,
    thicknessM: 0.05,
    material: 'aluminium-6061-t6',
    tipLoadN: 2000,
  },
  {
    name: 'al L/h=12',
    lengthM: 0.6,
    heightM: 0.05,
    thicknessM: 0.01,
    material: 'aluminium-6061-t6',
    tipLoadN: 200,
  },
  {
    name: 'ti L/h=15',
    lengthM: 1.2,
    heightM: 0.08,
    thicknessM: 0.03,
    material: 'titanium-ti-6al-4v',
    tipLoadN: 3000,
  },
  {
    name: 'steel L/h=20',
    lengthM: 2.0,
    heightM: 0.1,
    thicknessM: 0.04,
    material: 'steel',
    tipLoadN: 1000,
  },
];

/** The beam-theory input of a design (its material's E and nu). */
export function theoryInput(design: CantileverDesign): BeamTheoryInput {
  const material = getMaterial(design.material);
  return {
    ...design,
    youngsModulusPa: material.youngsModulusPa,
    poissonRatio: material.poissonRatio,
  };
}

/** Relative error of `value` against `reference`. */
export function relativeError(value: number, reference: number): number {
  return Math.abs(value - reference) / Math.abs(reference);
}
