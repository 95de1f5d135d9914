// With the default mesh density, the Q8 plane-stress solution agrees with Timoshenko beam
// theory: tip deflection within 2% and the mid-span / off-root bending stress within 5%.
import { describe, expect, it } from 'vitest';
import {
  bendingStress,
  solveDesign,
  timoshenkoTipDeflection,
} from '../../assets/tools/fea/index.js';
import { DESIGNS, relativeError, theoryInput } from './fea-fixtures.js';

/** The acceptance tolerances. */
const DEFLECTION_TOLERANCE = 0.02;
const STRESS_TOLERANCE = 0.05;

describe('FE cantilever vs Timoshenko beam theory (default mesh)', () => {
  it.each(DESIGNS)('$name: tip deflection within 2%', (design) => {
    const result = solveDesign(design);
    const theory = timoshenkoTipDeflection(theoryInput(design)).totalM;
    expect(relativeError(result.tipDeflectionM, theory)).toBeLessThan(DEFLECTION_TOLERANCE);
    expect(relativeError(result.tipDeflectionMeanM, theory)).toBeLessThan(DEFLECTION_TOLERANCE);
  });

  it.each(DESIGNS)('$name: mid-span bending stress within 5%', (design) => {
    const result = solveDesign(design);
    const theory = bendingStress(theoryInput(design), design.lengthM / 2);
    // Downward tip load: hogging moment, tension on top, compression at the bottom.
    expect(relativeError(result.midSpanBendingStress.topPa, theory)).toBeLessThan(STRESS_TOLERANCE);
    expect(relativeError(result.midSpanBendingStress.bottomPa, -theory)).toBeLessThan(
      STRESS_TOLERANCE,
    );
  });

  it.each(DESIGNS)('$name: max bending stress over [0.25L, 0.75L] within 5%', (design) => {
    const { maxBendingStress } = solveDesign(design);
    expect(maxBendingStress.x).toBeCloseTo(design.lengthM / 4, 6);
    expect(Math.abs(maxBendingStress.y)).toBeCloseTo(design.heightM / 2, 9);
    const theory = bendingStress(theoryInput(design), maxBendingStress.x);
    expect(relativeError(maxBendingStress.valuePa, theory)).toBeLessThan(STRESS_TOLERANCE);
  });

  it.each(DESIGNS)(
    '$name: max von Mises outside the root zone is the beam stress at x = h',
    (design) => {
      const result = solveDesign(design);
      expect(result.rootZoneM).toBe(design.heightM);
      expect(result.maxVonMises.x).toBeGreaterThanOrEqual(design.heightM);
      // The first node column at or past x = h carries the largest moment outside the zone.
      const theory = bendingStress(theoryInput(design), result.maxVonMises.x);
      expect(relativeError(result.maxVonMises.valuePa, theory)).toBeLessThan(STRESS_TOLERANCE);
      expect(result.maxVonMisesIncludingRootPa).toBeGreaterThanOrEqual(result.maxVonMises.valuePa);
    },
  );

  it('mass and safety factor follow from the material', () => {
    const design = DESIGNS[0]!;
    const result = solveDesign(design);
    expect(result.massKg).toBeCloseTo(7850 * 0.5 * 0.1 * 0.02, 9);
    expect(result.safetyFactor).toBeCloseTo(250e6 / result.maxVonMises.valuePa, 9);
  });
});
