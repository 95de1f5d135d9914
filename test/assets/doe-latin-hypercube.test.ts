// Design points: an exact Latin hypercube at 16 (and every power of two), points that never
// change when `samples` grows, good coverage in between, reproducibility, bounds and balanced
// materials.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  VARIABLE_DECIMALS,
  VARIABLE_NAMES,
  parseDesignSpace,
  type DesignSpace,
  type VariableName,
} from '../../assets/tools/doe/design-space.js';
import { gridSizeFor, stratumOf } from '../../assets/tools/doe/grid.js';
import {
  assignMaterials,
  designKey,
  designPoints,
  type DesignPoint,
} from '../../assets/tools/doe/latin-hypercube.js';
import { createPrng } from '../../assets/tools/doe/prng.js';

const base = parseDesignSpace(
  readFileSync(
    new URL('../../assets/tools/doe/example-design-space.json', import.meta.url),
    'utf8',
  ),
  'example-design-space.json',
);

function space(changes: Partial<DesignSpace>): DesignSpace {
  return { ...base, ...changes };
}

/** The distinct strata of the `n`-grid that `points` occupy for variable `name`. */
function occupied(points: readonly DesignPoint[], name: VariableName, n: number): Set<number> {
  const { min, max } = base.variables[name];
  return new Set(points.map((p) => stratumOf(p[name], min, max, n)));
}

function coverage(points: readonly DesignPoint[], name: VariableName): number {
  return occupied(points, name, points.length).size / points.length;
}

describe('designPoints', () => {
  const sixteen = designPoints(base);

  it('gives 16 points keyed d01..d16', () => {
    expect(sixteen.map((p) => p.key)).toEqual(
      Array.from({ length: 16 }, (_, i) => `d${String(i + 1).padStart(2, '0')}`),
    );
    expect(sixteen.map((p) => p.index)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('(a) is an exact Latin hypercube at N = 16: one point per stratum per variable', () => {
    for (const name of VARIABLE_NAMES) {
      const { min, max } = base.variables[name];
      const width = (max - min) / 16;
      const strata = sixteen.map((p) => stratumOf(p[name], min, max, 16)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: 16 }, (_, i) => i));
      // The same, without the shared helper: sorted values fall one in each slice.
      const sorted = sixteen.map((p) => p[name]).sort((a, b) => a - b);
      sorted.forEach((v, k) => {
        expect(v).toBeGreaterThanOrEqual(min + k * width - 1e-12);
        expect(v).toBeLessThan(min + (k + 1) * width + 1e-12);
      });
    }
  });

  it.each([1, 2, 4, 8, 32, 64, 128])('is an exact Latin hypercube at N = %d too', (n) => {
    const points = designPoints(space({ samples: n, seed: 7 }));
    for (const name of VARIABLE_NAMES) expect(occupied(points, name, n).size).toBe(n);
  });

  it('(b) keeps the first 16 points bit-identical when N grows to 24', () => {
    const twentyFour = designPoints(space({ samples: 24 }));
    expect(twentyFour.slice(0, 16)).toEqual(sixteen);
    for (const [a, b] of sixteen.map((p, i) => [p, twentyFour[i]] as const)) {
      for (const name of VARIABLE_NAMES) expect(Object.is(a[name], b?.[name])).toBe(true);
    }
  });

  it('never changes existing points or keys, whatever N grows from and to', () => {
    const long = designPoints(space({ samples: 150 }));
    for (const n of [1, 3, 5, 10, 16, 17, 24, 33, 99, 100, 149]) {
      expect(designPoints(space({ samples: n }))).toEqual(long.slice(0, n));
    }
    expect(long[99]?.key).toBe('d100');
    expect(designKey(9)).toBe('d09');
    expect(designKey(10_000)).toBe('d10000');
  });

  it('(c) covers most of the N strata when N is not a power of two', () => {
    // Measured for seed 42 at N = 24: 23, 21, 22 and 21 of 24 strata (length, height,
    // thickness, load); over seeds 0..199 the mean is 89.4% and the worst 75%.
    const twentyFour = designPoints(space({ samples: 24 }));
    for (const name of VARIABLE_NAMES) {
      expect(occupied(twentyFour, name, 24).size).toBeGreaterThanOrEqual(21);
    }
    let sum = 0;
    let worst = 1;
    const seeds = 100;
    for (let seed = 0; seed < seeds; seed++) {
      const points = designPoints(space({ samples: 24, seed }));
      for (const name of VARIABLE_NAMES) {
        sum += coverage(points, name);
        worst = Math.min(worst, coverage(points, name));
      }
    }
    expect(sum / (seeds * VARIABLE_NAMES.length)).toBeGreaterThan(0.88);
    expect(worst).toBeGreaterThanOrEqual(0.75);
  });

  it('(d) same seed => same points; different seed => different points', () => {
    expect(designPoints(base)).toEqual(sixteen);
    const other = designPoints(space({ seed: 43 }));
    for (const name of VARIABLE_NAMES) {
      expect(other.map((p) => p[name])).not.toEqual(sixteen.map((p) => p[name]));
    }
  });

  it('(e) keeps every value within bounds, rounded to its precision', () => {
    for (const p of designPoints(space({ samples: 500 }))) {
      for (const name of VARIABLE_NAMES) {
        const { min, max } = base.variables[name];
        const scale = 10 ** VARIABLE_DECIMALS[name];
        expect(p[name]).toBeGreaterThanOrEqual(min);
        expect(p[name]).toBeLessThan(max);
        expect(Math.round(p[name] * scale) / scale).toBe(p[name]);
      }
    }
  });

  it('(f) balances the materials in every prefix', () => {
    const points = designPoints(space({ samples: 50 }));
    for (let n = 1; n <= points.length; n++) {
      const counts = base.materials.map(
        (m) => points.slice(0, n).filter((p) => p.material === m).length,
      );
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const counts16 = base.materials.map((m) => sixteen.filter((p) => p.material === m).length);
    expect([...counts16].sort()).toEqual([5, 5, 6]);
  });

  it('pairs the variables at random (no strong correlation)', () => {
    const points = designPoints(space({ samples: 64 }));
    for (const a of VARIABLE_NAMES) {
      for (const b of VARIABLE_NAMES) {
        if (a < b)
          expect(
            Math.abs(
              correlation(
                points.map((p) => p[a]),
                points.map((p) => p[b]),
              ),
            ),
          ).toBeLessThan(0.3);
      }
    }
  });

  it("draws each variable from its own stream: changing one variable's bounds leaves the others", () => {
    const changed = designPoints(
      space({ variables: { ...base.variables, tip_load_n: { min: 100, max: 200 } } }),
    );
    for (const name of ['length_m', 'height_m', 'thickness_m'] as const) {
      expect(changed.map((p) => p[name])).toEqual(sixteen.map((p) => p[name]));
    }
    expect(changed.map((p) => p.material)).toEqual(sixteen.map((p) => p.material));
  });

  it('handles the largest study quickly', () => {
    const started = performance.now();
    const wide = { ...base.variables, thickness_m: { min: 0.01, max: 0.05 } };
    const points = designPoints(space({ samples: 10_000, variables: wide }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(points).toHaveLength(10_000);
    for (const name of VARIABLE_NAMES) {
      const { min, max } = wide[name];
      const strata = new Set(points.slice(0, 8192).map((p) => stratumOf(p[name], min, max, 8192)));
      expect(strata.size).toBe(8192);
    }
  });
});

describe('helpers', () => {
  it('gridSizeFor is the next power of two', () => {
    expect([1, 2, 3, 4, 5, 16, 17, 24, 10_000].map(gridSizeFor)).toEqual([
      1, 2, 4, 4, 8, 16, 32, 32, 16_384,
    ]);
  });

  it('assignMaterials handles one material and refuses none', () => {
    expect(assignMaterials(3, createPrng(1, 'm'), ['steel'])).toEqual(['steel', 'steel', 'steel']);
    expect(() => assignMaterials(3, createPrng(1, 'm'), [])).toThrow(RangeError);
  });
});

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? my;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
