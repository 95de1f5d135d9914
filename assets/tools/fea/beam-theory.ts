// Timoshenko beam theory for the same end-loaded cantilever (the reference the FE solution is
// checked against): bending plus shear deflection, and the bending stress M(x) c / I.
//   I = t h^3 / 12, A = t h, G = E / (2 (1 + nu)), c = h / 2, M(x) = P (L - x)
//   tip deflection = P L^3 / (3 E I) + P L / (kappa G A)
import { validateGeometry, type CantileverGeometry } from './geometry.js';
import { positiveNumber } from './validate.js';

/**
 * Shear coefficient of a rectangular section: 5/6, the classical value that makes the shear
 * strain energy of the parabolic shear-stress distribution equal to that of the beam model
 * (Timoshenko 1921; Cowper 1966 gives 10 (1 + nu) / (12 + 11 nu), 0.850 for nu = 0.3; the shear
 * term is only ~3% of the deflection at L/h = 5, so the choice moves the total by < 0.1%).
 */
export const SHEAR_COEFFICIENT_RECTANGLE = 5 / 6;

/** A cantilever with its material constants and tip load, for the closed-form results. */
export interface BeamTheoryInput extends CantileverGeometry {
  readonly youngsModulusPa: number;
  readonly poissonRatio: number;
  readonly tipLoadN: number;
}

/** Second moment of area of the rectangle about its centroidal axis: I = t h^3 / 12. */
export function secondMomentOfArea(heightM: number, thicknessM: number): number {
  return (thicknessM * heightM ** 3) / 12;
}

/** Timoshenko tip deflection (m, in the load direction), split into bending and shear parts. */
export function timoshenkoTipDeflection(input: BeamTheoryInput): {
  bendingM: number;
  shearM: number;
  totalM: number;
} {
  const { lengthM: L, heightM: h, thicknessM: t } = validateGeometry(input);
  const E = positiveNumber('youngsModulusPa', input.youngsModulusPa);
  const P = positiveNumber('tipLoadN', input.tipLoadN);
  const G = E / (2 * (1 + input.poissonRatio));
  const bendingM = (P * L ** 3) / (3 * E * secondMomentOfArea(h, t));
  const shearM = (P * L) / (SHEAR_COEFFICIENT_RECTANGLE * G * t * h);
  return { bendingM, shearM, totalM: bendingM + shearM };
}

/** Bending stress magnitude at the outer fibre at x: M(x) c / I = P (L - x) (h / 2) / I. */
export function bendingStress(input: BeamTheoryInput, xM: number): number {
  const { lengthM: L, heightM: h, thicknessM: t } = validateGeometry(input);
  return (input.tipLoadN * (L - xM) * (h / 2)) / secondMomentOfArea(h, t);
}
