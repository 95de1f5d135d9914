// The parametric 2D cantilever: a rectangle of length L and height h (thickness t out of plane),
// clamped at the root x = 0, loaded at the tip x = L. The beam axis is y = 0, so the section
// spans y in [-h/2, h/2]. The geometry id is an immutable revision id derived from the geometry;
// the drawing is in geometry-svg.ts.
import { canonicalJson, sha256Hex } from './hash.js';
import { positiveNumber } from './validate.js';

/** The parameters of the cantilever geometry (metres). */
export interface CantileverGeometry {
  readonly lengthM: number;
  readonly heightM: number;
  readonly thicknessM: number;
}

/**
 * Significant digits kept when hashing: absorbs last-bit floating-point noise (0.1 + 0.2 vs
 * 0.3) so equal designs share one revision, while staying far finer than any real tolerance.
 */
const ID_SIGNIFICANT_DIGITS = 12;

/** Bumped when the meaning of the parameters changes, so old revision ids are not reused. */
const GEOMETRY_SCHEMA = 'strata.fea.cantilever-2d/1';

/** Checks the geometry, throwing a `FeaInputError` naming the first bad field. */
export function validateGeometry(params: CantileverGeometry): CantileverGeometry {
  if (typeof params !== 'object' || params === null) {
    throw new TypeError('geometry must be an object with lengthM, heightM and thicknessM');
  }
  return {
    lengthM: positiveNumber('lengthM', params.lengthM),
    heightM: positiveNumber('heightM', params.heightM),
    thicknessM: positiveNumber('thicknessM', params.thicknessM),
  };
}

/** Rounds to {@link ID_SIGNIFICANT_DIGITS} significant digits. */
function rounded(value: number): number {
  return Number(value.toPrecision(ID_SIGNIFICANT_DIGITS));
}

/** The validated geometry with every parameter rounded as it is hashed. */
export function canonicalGeometry(params: CantileverGeometry): CantileverGeometry {
  const g = validateGeometry(params);
  return {
    lengthM: rounded(g.lengthM),
    heightM: rounded(g.heightM),
    thicknessM: rounded(g.thicknessM),
  };
}

/** The immutable revision id: sha256 (hex) of the canonical JSON of the rounded parameters. */
export function geometryId(params: CantileverGeometry): string {
  const g = canonicalGeometry(params);
  return sha256Hex(
    canonicalJson({
      schema: GEOMETRY_SCHEMA,
      lengthM: g.lengthM,
      heightM: g.heightM,
      thicknessM: g.thicknessM,
    }),
  );
}
