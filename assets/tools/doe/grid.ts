// Strata of a Latin hypercube: which of n equal slices of [min, max) a value falls in, and the
// power-of-two grid the nested sampling works on. Shared by the sampler and the validation so
// both agree on every boundary, bit for bit.

/** The stratum (0..n-1) of `value` when [min, max) is cut into `n` equal half-open slices. */
export function stratumOf(value: number, min: number, max: number, n: number): number {
  // Not clamped: a value outside [min, max) yields -1 or >= n, which the sampler relies on.
  return Math.floor(((value - min) / (max - min)) * n);
}

/** The smallest power of two >= `count` (1 for count <= 1): the grid point `count` is placed on. */
export function gridSizeFor(count: number): number {
  let size = 1;
  while (size < count) size *= 2;
  return size;
}
