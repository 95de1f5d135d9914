// The plate with a central hole, the bracket of the CAE study: a rectangular plate of length L
// (along the load, x) and width W (across it, y), thickness t, with a through hole of diameter
// d at its centre, in millimetres (the unit of STEP files and of the CAD tools that open them).
// Loaded in tension along x, it is the textbook stress-concentration case (./kt-reference.ts).
import { createHash } from 'node:crypto';

/** The plate's parameters, in mm. */
export interface PlateWithHole {
  readonly lengthMm: number;
  readonly widthMm: number;
  readonly holeDiameterMm: number;
  readonly thicknessMm: number;
}

/** Bumped when the meaning of the parameters or the geometry built from them changes. */
const PLATE_SCHEMA = 'strata.cae.plate-with-hole/1';

/** Checks the plate, throwing an error naming the first bad parameter. */
export function validatePlate(plate: PlateWithHole): PlateWithHole {
  for (const field of ['lengthMm', 'widthMm', 'holeDiameterMm', 'thicknessMm'] as const) {
    const value = plate[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`${field} must be a positive finite number (got ${String(value)})`);
    }
  }
  if (plate.holeDiameterMm >= plate.widthMm) {
    throw new RangeError(
      `holeDiameterMm (${plate.holeDiameterMm}) must be smaller than widthMm (${plate.widthMm})`,
    );
  }
  if (plate.holeDiameterMm >= plate.lengthMm) {
    throw new RangeError(
      `holeDiameterMm (${plate.holeDiameterMm}) must be smaller than lengthMm (${plate.lengthMm})`,
    );
  }
  return plate;
}

/**
 * The immutable revision id of the plate built by Gmsh `gmshVersion`: the parameters and the
 * program that turned them into a B-rep (another Gmsh may build another B-rep).
 */
export function plateRevisionId(plate: PlateWithHole, gmshVersion: string): string {
  const { lengthMm, widthMm, holeDiameterMm, thicknessMm } = validatePlate(plate);
  const text = JSON.stringify([
    PLATE_SCHEMA,
    gmshVersion,
    lengthMm,
    widthMm,
    holeDiameterMm,
    thicknessMm,
  ]);
  return `cad-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}
