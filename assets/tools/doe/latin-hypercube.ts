// Design points of a study: a nested Latin hypercube over the continuous variables plus a
// balanced assignment of materials, as a pure function of the design space.
//
// The rule. Points form one sequence; point i depends only on the seed, the design space's
// bounds and materials, and points 1..i-1 — never on `samples`. So growing `samples` appends
// points and every existing point (and its key) stays bit-identical.
//
// Continuous variables, each from its own PRNG stream (named after the variable):
// - Point i is placed on the grid G(i) = the smallest power of two >= i, which cuts the range
//   into G(i) equal strata. It goes into a stratum of that grid that no earlier point occupies,
//   at a uniformly random position inside it.
// - Since each stratum of grid 2P is half of a stratum of grid P, the first P points (one per
//   P-stratum) occupy exactly P of the 2P-strata, and points P+1..2P fill the other P. Hence
//   for every power of two P, the first P points are an exact Latin hypercube of P strata
//   (1, 2, 4, 8, 16 = the default, 32, ...): one point per stratum per variable.
// - Which empty stratum: BEST_OF_CANDIDATES empty strata are drawn at random, each with a random
//   position, and the one farthest from all earlier points wins (Mitchell's best-candidate).
//   This spreads the points of an incomplete grid, so a size between powers of two (e.g. 24 =
//   16 + 8 of the 16 that complete the 32-grid) still covers most of its own N strata; the
//   pairing across variables stays random because each variable has its own stream.
// - Values are rounded to VARIABLE_DECIMALS (1 µm, 1 mN), then nudged by one rounding step if
//   rounding moved them across a stratum boundary; strata are judged on the rounded values.
//
// Materials, from their own stream: consecutive blocks of k points (k = number of materials) each
// take a fresh random permutation of the materials, so every prefix is balanced to within one.
//
// Keys: `d` + the 1-based index padded to two digits (d01..d99, then d100..d10000). A key is a
// function of the index alone, so it never changes when `samples` grows.
import {
  VARIABLE_DECIMALS,
  VARIABLE_NAMES,
  type DesignSpace,
  type MaterialName,
  type VariableBounds,
  type VariableName,
} from './design-space.js';
import { gridSizeFor, stratumOf } from './grid.js';
import { createPrng, type Prng } from './prng.js';

/** One design point: a stable key, the continuous variables and a material. */
export interface DesignPoint {
  /** `d01`, `d02`, ...; stable when `samples` grows. */
  readonly key: string;
  /** 1-based position in the sequence. */
  readonly index: number;
  readonly length_m: number;
  readonly height_m: number;
  readonly thickness_m: number;
  readonly tip_load_n: number;
  readonly material: MaterialName;
}

/**
 * Empty strata tried per point. More spreads the points of a partial grid better; measured
 * coverage of the 24-grid at N = 24 over 400 seeds: 1 => 81%, 8 => 89%, 16 => 89.5%, 32 => 89.5%.
 */
export const BEST_OF_CANDIDATES = 16;

/** Minimum digits of the index in a key: `d01`, matching the examples in the docs. */
const KEY_DIGITS = 2;

/** Safety net for the rounding nudge; one or two steps always suffice when validation passed. */
const MAX_NUDGES = 64;

/** PRNG stream of the material assignment (variables use their own names as streams). */
const MATERIAL_STREAM = 'material';

/** The key of the design point at 1-based `index`: `d01`, ..., `d99`, `d100`, .... */
export function designKey(index: number): string {
  return `d${String(index).padStart(KEY_DIGITS, '0')}`;
}

/** The design points of a study: `space.samples` points, see the file comment for the rule. */
export function designPoints(space: DesignSpace): DesignPoint[] {
  const n = space.samples;
  const columns = Object.fromEntries(
    VARIABLE_NAMES.map((name) => [
      name,
      sampleVariable(
        n,
        createPrng(space.seed, name),
        space.variables[name],
        VARIABLE_DECIMALS[name],
      ),
    ]),
  ) as Record<VariableName, number[]>;
  const materials = assignMaterials(n, createPrng(space.seed, MATERIAL_STREAM), space.materials);
  return Array.from({ length: n }, (_, i) => ({
    key: designKey(i + 1),
    index: i + 1,
    length_m: at(columns.length_m, i),
    height_m: at(columns.height_m, i),
    thickness_m: at(columns.thickness_m, i),
    tip_load_n: at(columns.tip_load_n, i),
    material: at(materials, i),
  }));
}

function at<T>(values: readonly T[], i: number): T {
  const value = values[i];
  if (value === undefined) throw new Error(`internal: no value at index ${i}`);
  return value;
}

/**
 * The first `n` values of one variable's nested Latin-hypercube sequence over [min, max),
 * rounded to `decimals` places.
 */
export function sampleVariable(
  n: number,
  prng: Prng,
  bounds: VariableBounds,
  decimals: number,
): number[] {
  const { min, max } = bounds;
  const scale = 10 ** decimals;
  const values: number[] = [];
  const sorted: number[] = []; // normalised positions of the values, ascending
  let grid = 0;
  let empty: number[] = [];
  for (let i = 1; i <= n; i++) {
    if (i > grid) {
      grid = gridSizeFor(i);
      const occupied = new Set(values.map((v) => stratumOf(v, min, max, grid)));
      empty = Array.from({ length: grid }, (_, s) => s).filter((s) => !occupied.has(s));
    }
    let best: { slot: number; value: number; gap: number } | undefined;
    const candidates = Math.min(BEST_OF_CANDIDATES, empty.length);
    for (let c = 0; c < candidates; c++) {
      // Partial Fisher-Yates: empty[0..c] become distinct random choices.
      const j = c + prng.nextInt(empty.length - c);
      const chosen = at(empty, j);
      empty[j] = at(empty, c);
      empty[c] = chosen;
      const value = valueInStratum(chosen, grid, prng.next(), bounds, scale);
      const gap = nearestGap(sorted, (value - min) / (max - min));
      if (best === undefined || gap > best.gap) best = { slot: c, value, gap };
    }
    if (best === undefined) throw new Error(`internal: no empty stratum for point ${i}`);
    empty[best.slot] = at(empty, empty.length - 1);
    empty.pop();
    values.push(best.value);
    insertSorted(sorted, (best.value - min) / (max - min));
  }
  return values;
}

/** A value at fraction `u` of stratum `stratum` of `grid`, rounded and kept inside the stratum. */
function valueInStratum(
  stratum: number,
  grid: number,
  u: number,
  { min, max }: VariableBounds,
  scale: number,
): number {
  let ticks = Math.round((min + ((stratum + u) / grid) * (max - min)) * scale);
  for (let nudge = 0; nudge < MAX_NUDGES; nudge++) {
    const value = ticks / scale;
    const actual = stratumOf(value, min, max, grid);
    if (actual === stratum) return value;
    ticks += actual < stratum ? 1 : -1;
  }
  throw new Error(`internal: stratum ${stratum} of ${grid} over [${min}, ${max}) holds no value`);
}

/** Distance from `x` to the nearest entry of the ascending array `sorted` (Infinity if empty). */
function nearestGap(sorted: readonly number[], x: number): number {
  const i = lowerBound(sorted, x);
  const above = sorted[i];
  const below = sorted[i - 1];
  return Math.min(
    above === undefined ? Infinity : above - x,
    below === undefined ? Infinity : x - below,
  );
}

function insertSorted(sorted: number[], x: number): void {
  sorted.splice(lowerBound(sorted, x), 0, x);
}

/** First index whose entry is >= x. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(sorted, mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Materials of the first `n` points: each block of k points is a random permutation of them. */
export function assignMaterials<T>(n: number, prng: Prng, materials: readonly T[]): T[] {
  if (materials.length === 0) throw new RangeError('at least one material is needed');
  const assigned: T[] = [];
  while (assigned.length < n) {
    const block = [...materials];
    for (let i = block.length - 1; i > 0; i--) {
      const j = prng.nextInt(i + 1);
      const swap = at(block, j);
      block[j] = at(block, i);
      block[i] = swap;
    }
    assigned.push(...block.slice(0, n - assigned.length));
  }
  return assigned;
}
