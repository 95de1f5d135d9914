// Pareto front (minimise mass and tip deflection) and the recommended design: table-driven
// dominance cases with duplicates and ties, a brute-force cross-check, and recommendations with
// and without acceptable designs.
import { describe, expect, it } from 'vitest';
import {
  dominates,
  paretoFront,
  recommend,
  type ParetoPoint,
} from '../../assets/tools/doe/pareto.js';
import { createPrng } from '../../assets/tools/doe/prng.js';

/** `p('d01', 10, 0.005)`: a design with mass 10 kg and tip deflection 5 mm. */
function p(
  key: string,
  massKg: number,
  tipDeflectionM: number,
  extra: Partial<ParetoPoint> = {},
): ParetoPoint {
  return { key, massKg, tipDeflectionM, ...extra };
}

function keys(points: readonly ParetoPoint[]): string[] {
  return points.map((q) => q.key);
}

describe('paretoFront', () => {
  const cases: [string, ParetoPoint[], string[]][] = [
    ['no designs', [], []],
    ['one design', [p('a', 1, 1)], ['a']],
    [
      'a trade-off curve, all on the front',
      [p('c', 3, 1), p('a', 1, 3), p('b', 2, 2)],
      ['a', 'b', 'c'],
    ],
    ['a design worse in both', [p('a', 1, 1), p('b', 2, 2)], ['a']],
    ['same mass, larger deflection is dominated', [p('a', 1, 2), p('b', 1, 1)], ['b']],
    ['same deflection, heavier is dominated', [p('a', 2, 1), p('b', 1, 1)], ['b']],
    [
      'exact duplicates are both on the front, by key',
      [p('b', 1, 1), p('a', 1, 1), p('c', 2, 0.5)],
      ['a', 'b', 'c'],
    ],
    ['duplicates that are dominated both go', [p('x', 2, 2), p('y', 2, 2), p('a', 1, 1)], ['a']],
    [
      'a duplicate of a dominated design does not come back',
      [p('a', 1, 3), p('b', 2, 1), p('c', 3, 3), p('d', 3, 3)],
      ['a', 'b'],
    ],
    ['infeasible designs take no part', [p('a', 1, 1, { feasible: false }), p('b', 2, 2)], ['b']],
    ['feasible: true counts', [p('a', 1, 1, { feasible: true }), p('b', 2, 2)], ['a']],
    [
      'sorted by mass whatever the input order',
      [p('z', 5, 0.1), p('m', 2, 0.4), p('a', 4, 0.2), p('k', 3, 0.3), p('q', 1, 0.5)],
      ['q', 'm', 'k', 'a', 'z'],
    ],
  ];

  it.each(cases)('%s', (_name, points, expected) => {
    expect(keys(paretoFront(points))).toEqual(expected);
    expect(keys(paretoFront([...points].reverse()))).toEqual(expected);
  });

  it('agrees with a brute-force check on random sets with ties', () => {
    const prng = createPrng(3, 'pareto');
    for (let round = 0; round < 50; round++) {
      // Coarse values make equal masses, equal deflections and exact duplicates common.
      const points = Array.from({ length: 30 }, (_, i) =>
        p(`d${String(i).padStart(2, '0')}`, 1 + prng.nextInt(8), (1 + prng.nextInt(8)) / 1000),
      );
      const expected = points
        .filter((a) => !points.some((b) => dominates(b, a)))
        .sort(
          (a, b) =>
            a.massKg - b.massKg || a.tipDeflectionM - b.tipDeflectionM || (a.key < b.key ? -1 : 1),
        );
      expect(keys(paretoFront(points))).toEqual(keys(expected));
    }
  });

  it('keeps extra fields of the input type', () => {
    const front = paretoFront([{ ...p('a', 1, 1), material: 'steel' }]);
    expect(front[0]?.material).toBe('steel');
  });

  it('rejects duplicate keys and non-finite objectives, naming the design', () => {
    expect(() => paretoFront([p('a', 1, 1), p('a', 2, 2)])).toThrow('design a appears twice');
    expect(() => paretoFront([p('b', Number.NaN, 1)])).toThrow(/design b: .* must be finite/);
  });
});

describe('dominates', () => {
  it.each<[ParetoPoint, ParetoPoint, boolean]>([
    [p('a', 1, 1), p('b', 2, 2), true],
    [p('a', 1, 2), p('b', 1, 3), true],
    [p('a', 1, 1), p('b', 1, 1), false],
    [p('a', 1, 3), p('b', 2, 2), false],
    [p('a', 2, 2), p('b', 1, 1), false],
  ])('%o dominates %o: %s', (a, b, expected) => {
    expect(dominates(a, b)).toBe(expected);
  });
});

describe('recommend', () => {
  const limits = { max_tip_deflection_m: 0.01 };

  it('picks the lightest design within the deflection limit', () => {
    const front = paretoFront([
      p('a', 1, 0.05),
      p('b', 2, 0.02),
      p('c', 3, 0.008),
      p('d', 5, 0.001),
    ]);
    const result = recommend(front, limits);
    expect(result.design?.key).toBe('c');
    expect(result.reason).toBe(
      'lightest of 2 acceptable design(s): 3 kg, tip deflection 0.008 m <= 0.01 m',
    );
  });

  it('accepts a deflection exactly at the limit', () => {
    expect(recommend([p('a', 1, 0.01), p('b', 2, 0.001)], limits).design?.key).toBe('a');
  });

  it('breaks ties on mass by deflection, then key', () => {
    expect(
      recommend([p('b', 1, 0.005), p('a', 1, 0.005), p('c', 1, 0.004)], limits).design?.key,
    ).toBe('c');
    expect(recommend([p('b', 1, 0.005), p('a', 1, 0.005)], limits).design?.key).toBe('a');
  });

  it('returns null with the closest design when none is stiff enough', () => {
    const result = recommend([p('a', 1, 0.05), p('b', 2, 0.0123456)], limits);
    expect(result.design).toBeNull();
    expect(result.reason).toBe(
      'no design meets max tip deflection 0.01 m (smallest: 0.01235 m, b)',
    );
  });

  it('skips designs whose safety factor is below 1', () => {
    const designs = [
      p('a', 1, 0.005, { safetyFactor: 0.8 }),
      p('b', 2, 0.004, { safetyFactor: 1.2 }),
    ];
    const result = recommend(designs, limits);
    expect(result.design?.key).toBe('b');
    expect(result.reason).toContain('safety factor 1.2 >= 1');
  });

  it('uses min_safety_factor when given', () => {
    const designs = [
      p('a', 1, 0.005, { safetyFactor: 1.2 }),
      p('b', 2, 0.004, { safetyFactor: 2 }),
    ];
    expect(recommend(designs, { ...limits, min_safety_factor: 1.5 }).design?.key).toBe('b');
  });

  it('returns null when every stiff design would yield', () => {
    const designs = [
      p('a', 1, 0.005, { safetyFactor: 0.5 }),
      p('b', 2, 0.004, { safetyFactor: 0.9 }),
    ];
    const result = recommend(designs, limits);
    expect(result.design).toBeNull();
    expect(result.reason).toBe(
      '2 design(s) meet max tip deflection 0.01 m but none has safety factor >= 1 (best: 0.9, b)',
    );
  });

  it('can find a dominated design when safety factors rule out the front', () => {
    // c is dominated by b in mass and deflection, but b yields.
    const designs = [
      p('a', 1, 0.05, { safetyFactor: 3 }),
      p('b', 2, 0.005, { safetyFactor: 0.9 }),
      p('c', 3, 0.006, { safetyFactor: 1.1 }),
    ];
    expect(recommend(paretoFront(designs), limits).design).toBeNull();
    expect(recommend(designs, limits).design?.key).toBe('c');
  });

  it('ignores infeasible designs and reports an empty choice', () => {
    expect(recommend([p('a', 1, 0.001, { feasible: false })], limits)).toEqual({
      design: null,
      reason: 'no feasible designs to choose from',
    });
    expect(recommend([], limits).design).toBeNull();
  });
});
