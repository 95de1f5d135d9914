// The design points of a plan (docs/plans.md): a pure function of the plan and its study's space,
// so the plan's id fixes them. Latin hypercube (each continuous variable from its own seeded
// stream, one point per stratum, categorical levels in balanced shuffled blocks), full factorial
// (evenly spaced levels; a continuous variable without levels is held at the middle of its
// bounds) or an explicit list. A point's key is its content: `d-` and 12 hex digits of the sha256
// of its canonical JSON, so two plans that sample the same point share its partition.
import { canonicalJson, sha256Hex } from '../util/canonical-json.js';
import type { ExperimentPlan } from './plan-schema.js';
import { seededRandom, shuffled } from './seeded-random.js';
import type { StudySpace } from './study-space.js';

/** A value of one variable at a design point. */
export type DesignValue = number | string;

/** One design point of a plan. */
export interface PlannedDesignPoint {
  /** `d-` and 12 hex digits of the sha256 of the canonical JSON of `values`. */
  readonly key: string;
  /** A value for every variable of the study, by name. */
  readonly values: Readonly<Record<string, DesignValue>>;
}

/** Significant digits sampled values are rounded to: short, exact decimals in ids and tables. */
export const DESIGN_VALUE_DIGITS = 6;

/** The key of a design point with these values. */
export function designPointKey(values: Readonly<Record<string, DesignValue>>): string {
  return `d-${sha256Hex(canonicalJson(values)).slice(0, 12)}`;
}

function rounded(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number(value.toPrecision(DESIGN_VALUE_DIGITS))));
}

/** The bounds each continuous variable is sampled in: the plan's where given, else the study's. */
function boundsOf(plan: ExperimentPlan, space: StudySpace) {
  return Object.keys(space.variables)
    .sort()
    .map((name) => ({ name, ...(plan.variables[name] ?? space.variables[name]!) }));
}

function levelsOf(plan: ExperimentPlan, space: StudySpace) {
  return Object.keys(space.levels)
    .sort()
    .map((name) => ({ name, levels: plan.levels[name] ?? space.levels[name]! }));
}

function latinHypercube(
  plan: ExperimentPlan,
  space: StudySpace,
  samples: number,
  seed: number,
): Record<string, DesignValue>[] {
  const points = Array.from({ length: samples }, () => ({}) as Record<string, DesignValue>);
  for (const { name, min, max } of boundsOf(plan, space)) {
    const random = seededRandom(seed, name);
    const strata = shuffled(
      Array.from({ length: samples }, (_, i) => i),
      random,
    );
    strata.forEach((stratum, i) => {
      const value = min + ((stratum + random.next()) / samples) * (max - min);
      points[i]![name] = rounded(value, min, max);
    });
  }
  for (const { name, levels } of levelsOf(plan, space)) {
    const random = seededRandom(seed, name);
    let block: string[] = [];
    for (let i = 0; i < samples; i++) {
      if (block.length === 0) block = shuffled(levels, random);
      points[i]![name] = block.shift()!;
    }
  }
  return points;
}

function fullFactorial(
  plan: ExperimentPlan,
  space: StudySpace,
  counts: Readonly<Record<string, number>>,
): Record<string, DesignValue>[] {
  const axes: { name: string; values: DesignValue[] }[] = [
    ...boundsOf(plan, space).map(({ name, min, max }) => {
      const count = counts[name];
      const values =
        count === undefined
          ? [rounded((min + max) / 2, min, max)]
          : Array.from({ length: count }, (_, i) =>
              rounded(min + (i / (count - 1)) * (max - min), min, max),
            );
      return { name, values };
    }),
    ...levelsOf(plan, space).map(({ name, levels }) => ({ name, values: [...levels] })),
  ];
  let points: Record<string, DesignValue>[] = [{}];
  for (const axis of axes)
    points = points.flatMap((point) =>
      axis.values.map((value) => ({ ...point, [axis.name]: value })),
    );
  return points;
}

/**
 * The design points of `plan` in its study's `space`, in the order the DOE gives them; a point
 * listed twice appears once. The plan must have passed validation (its variables are the
 * study's, its bounds within the study's).
 */
export function planDesignPoints(plan: ExperimentPlan, space: StudySpace): PlannedDesignPoint[] {
  const { doe } = plan;
  const values =
    doe.kind === 'latin_hypercube'
      ? latinHypercube(plan, space, doe.samples, doe.seed)
      : doe.kind === 'full_factorial'
        ? fullFactorial(plan, space, doe.levels)
        : doe.points;
  const seen = new Set<string>();
  const points: PlannedDesignPoint[] = [];
  for (const point of values) {
    const key = designPointKey(point);
    if (seen.has(key)) continue;
    seen.add(key);
    points.push({ key, values: point });
  }
  return points;
}
