// The seeded generator: the published xoshiro128** sequence, reproducible named streams.
import { describe, expect, it } from 'vitest';
import { createPrng, xoshiro128ss } from '../../assets/tools/doe/prng.js';

function draws(prng: { nextUint32(): number }, count: number): number[] {
  return Array.from({ length: count }, () => prng.nextUint32());
}

describe('xoshiro128**', () => {
  it('matches the reference output for state [1, 2, 3, 4]', () => {
    expect(draws(xoshiro128ss([1, 2, 3, 4]), 4)).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('refuses the all-zero state', () => {
    expect(() => xoshiro128ss([0, 0, 0, 0])).toThrow(RangeError);
  });
});

describe('createPrng', () => {
  it('is reproducible for the same seed and stream', () => {
    expect(draws(createPrng(42, 'length_m'), 8)).toEqual(draws(createPrng(42, 'length_m'), 8));
  });

  it.each<[number, string, number, string]>([
    [42, 'length_m', 43, 'length_m'],
    [42, 'length_m', 42, 'height_m'],
    [1, 'x', -1, 'x'],
    [0, 'x', 2 ** 32, 'x'],
  ])('differs between (%d, %s) and (%d, %s)', (seedA, streamA, seedB, streamB) => {
    expect(draws(createPrng(seedA, streamA), 4)).not.toEqual(draws(createPrng(seedB, streamB), 4));
  });

  it('draws floats in [0, 1) and integers in [0, n) with a plausible spread', () => {
    const prng = createPrng(7, 'spread');
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 5000; i++) {
      const u = prng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = prng.nextInt(5);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    // 1000 expected per bucket; 5 standard deviations is about 150.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createPrng(0.5, 'x')).toThrow(RangeError);
    expect(() => createPrng(2 ** 53, 'x')).toThrow(RangeError);
  });
});
