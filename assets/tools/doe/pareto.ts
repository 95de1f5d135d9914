// Pareto analysis of the study: the designs not dominated in (mass, tip deflection), both
// minimised, and the recommended design, the lightest that meets the limits. Pure and
// deterministic: ties are broken by mass, then deflection, then key (code-unit order).

/** A design's objectives, as the metrics asset reports them. */
export interface ParetoPoint {
  readonly key: string;
  readonly massKg: number;
  readonly tipDeflectionM: number;
  /** `false` drops the design from the analysis (e.g. its solve failed); absent means true. */
  readonly feasible?: boolean | undefined;
  /** Yield strength over peak von Mises stress; checked by `recommend` when present. */
  readonly safetyFactor?: number | undefined;
}

/** The acceptance limits `recommend` applies (the design space's `limits`). */
export interface RecommendLimits {
  readonly max_tip_deflection_m: number;
  /** Defaults to 1 (no yield). */
  readonly min_safety_factor?: number | undefined;
}

/** The outcome of `recommend`: a design and why, or null and why not. */
export type Recommendation<T extends ParetoPoint> =
  | { readonly design: T; readonly reason: string }
  | { readonly design: null; readonly reason: string };

/** Used when the limits give no minimum safety factor: the design must not yield. */
const DEFAULT_MIN_SAFETY_FACTOR = 1;

/** Significant digits of numbers in reasons: readable, and plenty to tell designs apart. */
const REASON_DIGITS = 4;

/** A number for a reason: `12.48`, not `12.481648884480558`. */
function num(value: number | undefined): string {
  return value === undefined ? 'none' : String(Number(value.toPrecision(REASON_DIGITS)));
}

/** Orders by mass, then deflection, then key: the deterministic order of all results. */
export function compareDesigns(a: ParetoPoint, b: ParetoPoint): number {
  if (a.massKg !== b.massKg) return a.massKg - b.massKg;
  if (a.tipDeflectionM !== b.tipDeflectionM) return a.tipDeflectionM - b.tipDeflectionM;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** True if `a` is no worse than `b` in both objectives and better in at least one. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  return (
    a.massKg <= b.massKg &&
    a.tipDeflectionM <= b.tipDeflectionM &&
    (a.massKg < b.massKg || a.tipDeflectionM < b.tipDeflectionM)
  );
}

/** Rejects duplicate keys and non-finite objectives, naming the design. */
function checkPoints(points: readonly ParetoPoint[]): void {
  const seen = new Set<string>();
  for (const p of points) {
    if (seen.has(p.key)) throw new RangeError(`design ${p.key} appears twice`);
    seen.add(p.key);
    if (!Number.isFinite(p.massKg) || !Number.isFinite(p.tipDeflectionM)) {
      throw new RangeError(
        `design ${p.key}: mass (${p.massKg}) and tip deflection (${p.tipDeflectionM}) must be finite`,
      );
    }
  }
}

/**
 * The non-dominated designs (minimising mass and tip deflection), sorted by mass, then
 * deflection, then key. Designs with `feasible: false` take no part. Exact duplicates in both
 * objectives do not dominate each other, so all of them are on the front.
 */
export function paretoFront<T extends ParetoPoint>(points: readonly T[]): T[] {
  checkPoints(points);
  const sorted = points.filter((p) => p.feasible !== false).sort(compareDesigns);
  const front: T[] = [];
  let best: T | undefined; // the lightest design with the smallest deflection so far
  for (const p of sorted) {
    // Sorted by mass, every earlier design is at most as heavy, so p survives only if it
    // deflects less than all of them, or exactly duplicates the current best.
    if (
      best === undefined ||
      p.tipDeflectionM < best.tipDeflectionM ||
      (p.tipDeflectionM === best.tipDeflectionM && p.massKg === best.massKg)
    ) {
      front.push(p);
      if (best === undefined || p.tipDeflectionM < best.tipDeflectionM) best = p;
    }
  }
  return front;
}

/**
 * The lightest of `designs` whose tip deflection is within `limits.max_tip_deflection_m` and
 * whose safety factor, when given, is at least `limits.min_safety_factor` (default 1); ties go
 * to the smaller deflection, then the key. Pass the front, or all designs when safety factors
 * may rule out front designs (a dominated design can then be the lightest acceptable one).
 * Returns `design: null` with the reason when none qualifies.
 */
export function recommend<T extends ParetoPoint>(
  designs: readonly T[],
  limits: RecommendLimits,
): Recommendation<T> {
  checkPoints(designs);
  const maxDeflection = limits.max_tip_deflection_m;
  const minSafety = limits.min_safety_factor ?? DEFAULT_MIN_SAFETY_FACTOR;
  const candidates = designs.filter((p) => p.feasible !== false).sort(compareDesigns);
  if (candidates.length === 0)
    return { design: null, reason: 'no feasible designs to choose from' };

  const stiff = candidates.filter((p) => p.tipDeflectionM <= maxDeflection);
  if (stiff.length === 0) {
    const closest = [...candidates].sort(
      (a, b) => a.tipDeflectionM - b.tipDeflectionM || compareDesigns(a, b),
    )[0];
    return {
      design: null,
      reason:
        `no design meets max tip deflection ${maxDeflection} m ` +
        `(smallest: ${num(closest?.tipDeflectionM)} m, ${closest?.key})`,
    };
  }
  const strong = stiff.filter((p) => p.safetyFactor === undefined || p.safetyFactor >= minSafety);
  const chosen = strong[0];
  if (chosen === undefined) {
    const safest = [...stiff].sort(
      (a, b) => (b.safetyFactor ?? 0) - (a.safetyFactor ?? 0) || compareDesigns(a, b),
    )[0];
    return {
      design: null,
      reason:
        `${stiff.length} design(s) meet max tip deflection ${maxDeflection} m but none has ` +
        `safety factor >= ${minSafety} (best: ${num(safest?.safetyFactor)}, ${safest?.key})`,
    };
  }
  const safety =
    chosen.safetyFactor === undefined
      ? ''
      : ` and safety factor ${num(chosen.safetyFactor)} >= ${minSafety}`;
  return {
    design: chosen,
    reason:
      `lightest of ${strong.length} acceptable design(s): ${num(chosen.massKg)} kg, tip deflection ` +
      `${num(chosen.tipDeflectionM)} m <= ${maxDeflection} m${safety}`,
  };
}
