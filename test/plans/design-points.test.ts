// The design points of a plan as a pure function of the plan and its study: Latin hypercube
// strata, balanced levels, full-factorial grids, explicit points, content keys, and determinism.
import { describe, expect, it } from 'vitest';
import {
  designPointKey,
  parseExperimentPlan,
  planDesignPoints,
  type ExperimentPlan,
  type StudySpace,
} from '../../src/plans/index.js';

const space: StudySpace = {
  variables: { height_m: { min: 0.06, max: 0.2 }, thickness_m: { min: 0.01, max: 0.04 } },
  levels: { material: ['steel', 'aluminium', 'titanium'] },
};

function plan(doe: unknown, more: Record<string, unknown> = {}): ExperimentPlan {
  return parseExperimentPlan({
    version: 1,
    study: 'bracket',
    title: 't',
    rationale: 'r',
    predecessor: null,
    variables: {},
    doe,
    pipeline: 'pareto_front',
    ...more,
  });
}

describe('latin hypercube', () => {
  it.each([1, 2, 7, 12, 50])('%i samples: one point per stratum of every variable', (samples) => {
    const narrowed = plan(
      { kind: 'latin_hypercube', samples, seed: 7 },
      { variables: { height_m: { min: 0.06, max: 0.12 } } },
    );
    const points = planDesignPoints(narrowed, space);
    expect(points).toHaveLength(samples);
    const cases = [
      { name: 'height_m', min: 0.06, max: 0.12 },
      { name: 'thickness_m', min: 0.01, max: 0.04 },
    ];
    for (const { name, min, max } of cases) {
      const strata = points.map((p) =>
        Math.min(
          samples - 1,
          Math.floor((((p.values[name] as number) - min) / (max - min)) * samples),
        ),
      );
      expect(new Set(strata).size).toBe(samples);
      for (const p of points) {
        expect(p.values[name]).toBeGreaterThanOrEqual(min);
        expect(p.values[name]).toBeLessThanOrEqual(max);
      }
    }
  });

  it("balances levels to within one and keeps to the plan's levels", () => {
    const points = planDesignPoints(plan({ kind: 'latin_hypercube', samples: 10, seed: 1 }), space);
    const counts = new Map<string, number>();
    for (const p of points)
      counts.set(p.values.material as string, (counts.get(p.values.material as string) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([3, 3, 4]);
    const titanium = planDesignPoints(
      plan(
        { kind: 'latin_hypercube', samples: 4, seed: 1 },
        { levels: { material: ['titanium'] } },
      ),
      space,
    );
    expect(new Set(titanium.map((p) => p.values.material))).toEqual(new Set(['titanium']));
  });

  it('is a function of the seed: same seed same points, another seed others', () => {
    const a = planDesignPoints(plan({ kind: 'latin_hypercube', samples: 8, seed: 3 }), space);
    const b = planDesignPoints(plan({ kind: 'latin_hypercube', samples: 8, seed: 3 }), space);
    const c = planDesignPoints(plan({ kind: 'latin_hypercube', samples: 8, seed: 4 }), space);
    expect(b).toEqual(a);
    expect(c.map((p) => p.key)).not.toEqual(a.map((p) => p.key));
  });
});

describe('full factorial and explicit points', () => {
  it('crosses evenly spaced levels with every categorical level; others held at the middle', () => {
    const points = planDesignPoints(
      plan({ kind: 'full_factorial', levels: { height_m: 3 } }),
      space,
    );
    expect(points).toHaveLength(9);
    expect(new Set(points.map((p) => p.values.height_m))).toEqual(new Set([0.06, 0.13, 0.2]));
    expect(new Set(points.map((p) => p.values.thickness_m))).toEqual(new Set([0.025]));
  });

  it('keeps explicit points as given, once each', () => {
    const point = { height_m: 0.1, thickness_m: 0.02, material: 'steel' };
    const points = planDesignPoints(plan({ kind: 'points', points: [point, point] }), space);
    expect(points).toEqual([{ key: designPointKey(point), values: point }]);
  });
});

describe('content keys', () => {
  it.each([
    [{ a: 1, b: 'x' }, { b: 'x', a: 1 }, true],
    [{ a: 1, b: 'x' }, { a: 1.0000001, b: 'x' }, false],
    [{ a: 1, b: 'x' }, { a: 1, b: 'y' }, false],
  ])('%j and %j share a key: %s', (left, right, same) => {
    expect(designPointKey(left)).toMatch(/^d-[0-9a-f]{12}$/);
    expect(designPointKey(left) === designPointKey(right)).toBe(same);
  });

  it('two plans that sample the same point share its key', () => {
    const shared = { height_m: 0.1, thickness_m: 0.02, material: 'steel' };
    const a = planDesignPoints(plan({ kind: 'points', points: [shared] }), space);
    const b = planDesignPoints(
      plan({ kind: 'points', points: [{ ...shared, material: 'titanium' }, shared] }),
      space,
    );
    expect(b.map((p) => p.key)).toContain(a[0]!.key);
  });
});
