// The published stress concentration factor of a finite-width plate with a central circular hole
// in uniaxial tension, the reference the CalculiX result is checked against:
//
//   Kt_n = 3 - 3.14 (d/W) + 3.667 (d/W)^2 - 1.527 (d/W)^3,   0 <= d/W <= 1,
//
// referred to the net-section stress sigma_net = sigma W / (W - d) (sigma the far-field stress
// on the gross section), a fit to Howland's (1930) solution: W. D. Pilkey and D. F. Pilkey,
// Peterson's Stress Concentration Factors, 3rd ed., Wiley 2008, chart 4.1, eq. (4.1). It holds
// for a plate long enough that the ends do not disturb the field at the hole, in plane stress.

/** Kt_n of the finite-width plate for hole diameter d and width W (any one unit). */
export function ktNetFiniteWidthPlate(holeDiameter: number, width: number): number {
  const r = holeDiameter / width;
  if (!(r > 0 && r < 1)) throw new RangeError(`d/W must be in (0, 1) (got ${r})`);
  return 3 - 3.14 * r + 3.667 * r ** 2 - 1.527 * r ** 3;
}

/** The net-section stress of a far-field stress `sigma` on the gross section. */
export function netSectionStress(sigma: number, holeDiameter: number, width: number): number {
  return (sigma * width) / (width - holeDiameter);
}
