// Input checking shared by the geometry, mesher and solver: every error names the offending
// field, so a tool server can hand the message straight back to the user.

/** A bad input to the FEA libraries; `field` is the name of the offending parameter. */
export class FeaInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'FeaInputError';
    this.field = field;
  }
}

/** Renders a received value for an error message (`NaN`, `-1`, `"abc"`, `undefined`). */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

/** Returns `value` if it is a finite number > 0, else throws naming `field`. */
export function positiveNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new FeaInputError(
      field,
      `${field} must be a positive finite number (got ${describe(value)})`,
    );
  }
  return value;
}

/** Returns `value` if it is an integer >= `min`, else throws naming `field`. */
export function integerAtLeast(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new FeaInputError(
      field,
      `${field} must be an integer >= ${min} (got ${describe(value)})`,
    );
  }
  return value;
}

/** Returns `value` if it is a number strictly between `lo` and `hi`, else throws naming `field`. */
export function numberBetween(field: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !(value > lo && value < hi)) {
    throw new FeaInputError(
      field,
      `${field} must be a number strictly between ${lo} and ${hi} (got ${describe(value)})`,
    );
  }
  return value;
}
