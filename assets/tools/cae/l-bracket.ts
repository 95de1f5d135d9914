// The L-bracket: a horizontal leg (length a along x, thickness t) and a vertical leg (height b
// along z, thickness t), both of width w (along y), joined with an inner fillet of radius rf, and
// a bolt hole of diameter dh through the horizontal leg, centred on its free part. Millimetres.
// Gmsh's OpenCASCADE kernel builds it (box + box, fillet, minus a cylinder) and saves STEP.
import { createHash } from 'node:crypto';

/** The bracket's parameters, in mm. */
export interface LBracket {
  readonly legLengthMm: number;
  readonly legHeightMm: number;
  readonly thicknessMm: number;
  readonly widthMm: number;
  readonly filletRadiusMm: number;
  readonly boltHoleDiameterMm: number;
}

/** Bumped when the meaning of the parameters or the geometry built from them changes. */
const L_BRACKET_SCHEMA = 'strata.cae.l-bracket/1';

/** The x of the bolt hole's axis: the middle of the horizontal leg past the fillet. */
export function boltHoleX(b: LBracket): number {
  return (b.thicknessMm + b.filletRadiusMm + b.legLengthMm) / 2;
}

/** Checks the bracket, throwing an error naming the first bad parameter. */
export function validateLBracket(b: LBracket): LBracket {
  for (const [field, value] of Object.entries(b)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`${field} must be a positive finite number (got ${String(value)})`);
    }
  }
  const free = b.legLengthMm - b.thicknessMm - b.filletRadiusMm;
  if (free <= 0 || b.legHeightMm <= b.thicknessMm + b.filletRadiusMm) {
    throw new RangeError('filletRadiusMm: the fillet does not fit between the legs');
  }
  if (b.boltHoleDiameterMm >= Math.min(free, b.widthMm)) {
    throw new RangeError(
      `boltHoleDiameterMm (${b.boltHoleDiameterMm}) must be smaller than the free leg ` +
        `(${free}) and the width (${b.widthMm})`,
    );
  }
  return b;
}

/** The immutable revision id of the bracket built by Gmsh `gmshVersion`. */
export function lBracketRevisionId(b: LBracket, gmshVersion: string): string {
  const v = validateLBracket(b);
  const text = JSON.stringify([
    L_BRACKET_SCHEMA,
    gmshVersion,
    v.legLengthMm,
    v.legHeightMm,
    v.thicknessMm,
    v.widthMm,
    v.filletRadiusMm,
    v.boltHoleDiameterMm,
  ]);
  return `cad-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** The Gmsh script of the solid, saved as `part.step`. */
export function lBracketScript(b: LBracket): string {
  const { legLengthMm: a, legHeightMm: h, thicknessMm: t, widthMm: w } = validateLBracket(b);
  const e = 1e-3 * t;
  return [
    'SetFactory("OpenCASCADE");',
    `Box(1) = {0, 0, 0, ${a}, ${w}, ${t}};`,
    `Box(2) = {0, 0, 0, ${t}, ${w}, ${h}};`,
    'BooleanUnion(3) = { Volume{1}; Delete; }{ Volume{2}; Delete; };',
    // The inner corner: the edge along y at x = z = t.
    `inner() = Curve In BoundingBox {${t - e}, ${-e}, ${t - e}, ${t + e}, ${w + e}, ${t + e}};`,
    'If (#inner() != 1)',
    '  Error("expected one inner corner edge, found %g", #inner());',
    'EndIf',
    `filleted() = Fillet{3}{inner()}{${b.filletRadiusMm}};`,
    `Cylinder(10) = {${boltHoleX(b)}, ${w / 2}, ${-t}, 0, 0, ${3 * t}, ${b.boltHoleDiameterMm / 2}};`,
    'BooleanDifference(20) = { Volume{filleted()}; Delete; }{ Volume{10}; Delete; };',
    'Save "part.step";',
    '',
  ].join('\n');
}
