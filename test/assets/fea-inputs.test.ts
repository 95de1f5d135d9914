// Bad inputs fail with a FeaInputError whose message and `field` name the offending parameter;
// a model without supports fails with a clear singular-matrix error.
import { describe, expect, it } from 'vitest';
import {
  FeaInputError,
  buildMesh,
  geometryId,
  geometrySvg,
  getMaterial,
  solveCantilever,
  solveDesign,
  type CantileverDesign,
} from '../../assets/tools/fea/index.js';

const GOOD: CantileverDesign = {
  lengthM: 1,
  heightM: 0.1,
  thicknessM: 0.05,
  material: 'steel',
  tipLoadN: 1000,
};

/** Runs `fn`, expecting a FeaInputError for `field` whose message matches `message`. */
function expectInputError(fn: () => unknown, field: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FeaInputError);
  expect((caught as FeaInputError).field).toBe(field);
  expect((caught as FeaInputError).message).toMatch(message);
}

describe('input validation', () => {
  it.each([
    ['lengthM', 0],
    ['lengthM', -1],
    ['heightM', 0],
    ['heightM', -0.1],
    ['thicknessM', 0],
    ['thicknessM', -0.05],
    ['lengthM', NaN],
    ['heightM', Infinity],
    ['thicknessM', NaN],
  ])('%s = %s is rejected by the geometry, mesher and solver', (field, value) => {
    const bad = { ...GOOD, [field]: value };
    const message = new RegExp(`^${field} must be a positive finite number \\(got ${value}\\)`);
    expectInputError(() => geometryId(bad), field, message);
    expectInputError(() => geometrySvg(bad), field, message);
    expectInputError(() => buildMesh(bad), field, message);
    expectInputError(() => solveDesign(bad), field, message);
  });

  it('a non-numeric value is named and quoted', () => {
    const bad = { ...GOOD, heightM: '0.1' as unknown as number };
    expectInputError(() => geometryId(bad), 'heightM', /heightM .*\(got "0.1"\)/);
  });

  it('an unknown material names itself and lists the known ones', () => {
    const known = 'aluminium-6061-t6, steel, titanium-ti-6al-4v';
    const message = new RegExp(`unknown material "unobtainium"; known materials: ${known}$`);
    expectInputError(() => getMaterial('unobtainium'), 'material', message);
    expectInputError(() => solveDesign({ ...GOOD, material: 'unobtainium' }), 'material', message);
    expectInputError(() => getMaterial('toString'), 'material', /unknown material "toString"/);
  });

  it.each([0, -2, 0.5, NaN])('elementsThroughHeight = %s is rejected', (value) => {
    expectInputError(
      () => buildMesh(GOOD, { elementsThroughHeight: value, maxAspectRatio: 2 }),
      'elementsThroughHeight',
      /^elementsThroughHeight must be an integer >= 1/,
    );
  });

  it('a non-positive aspect ratio and a runaway mesh size are rejected', () => {
    expectInputError(
      () => buildMesh(GOOD, { elementsThroughHeight: 4, maxAspectRatio: 0 }),
      'maxAspectRatio',
      /^maxAspectRatio must be a positive finite number/,
    );
    expectInputError(
      () => buildMesh(GOOD, { elementsThroughHeight: 1000, maxAspectRatio: 1 }),
      'elementsThroughHeight',
      /would have 10000000 elements/,
    );
  });

  it.each([0, -5, NaN])('tipLoadN = %s is rejected', (value) => {
    expectInputError(
      () => solveDesign({ ...GOOD, tipLoadN: value }),
      'tipLoadN',
      /^tipLoadN must be/,
    );
  });

  it('a custom material with an impossible Poisson ratio is rejected', () => {
    const material = { ...getMaterial('steel'), poissonRatio: 0.5 };
    expectInputError(
      () => solveCantilever({ mesh: buildMesh(GOOD), material, tipLoadN: 1 }),
      'material.poissonRatio',
      /strictly between -1 and 0.5 \(got 0.5\)/,
    );
  });

  it('an unrestrained model is reported as singular, naming the node and DOF', () => {
    const mesh = buildMesh(GOOD);
    expect(() =>
      solveCantilever({ mesh, material: 'steel', tipLoadN: 1, restrainedNodes: [] }),
    ).toThrow(
      /stiffness matrix is singular or not positive definite at node \d+ .* u[xy]; the model is/,
    );
    // Pinning a single node still leaves the rotation about it free.
    expect(() =>
      solveCantilever({ mesh, material: 'steel', tipLoadN: 1, restrainedNodes: [0] }),
    ).toThrow(/singular/);
  });
});
