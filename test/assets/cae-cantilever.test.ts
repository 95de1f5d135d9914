// The default study's cantilever solved by CalculiX (Gmsh's structured CPS8 mesh at the study's
// mesh density, clamped root, parabolic tip shear) agrees with the in-house plane-stress solver
// (assets/tools/fea) and with Timoshenko beam theory within 1% on the tip deflection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CcxJobs,
  cantileverDeck,
  fetchRun,
  meshCantilever,
  tipNode,
} from '../../assets/tools/cae/index.js';
import {
  DEFAULT_MESH_DENSITY,
  solveDesign,
  timoshenkoTipDeflection,
} from '../../assets/tools/fea/index.js';
import { scratch, skipWithoutCae } from './cae-fixtures.js';
import { DESIGNS, relativeError, theoryInput } from './fea-fixtures.js';

/** The acceptance tolerance. */
const TOLERANCE = 0.01;

const skip = skipWithoutCae('the CalculiX cantilever tests');

// The default study's design (steel, L/h = 5, where shear adds ~3%) and the most slender one.
const CASES = [DESIGNS[0]!, DESIGNS[5]!];

describe.skipIf(skip)('cantilever: CalculiX vs the in-house solver and beam theory', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let jobs: CcxJobs;

  beforeAll(async () => {
    root = await scratch('cae-cantilever');
    jobs = new CcxJobs(root.dir);
  });
  afterAll(() => root?.remove());

  it.each(CASES)('$name: tip deflection within 1% of both', async (design) => {
    const mesh = await meshCantilever(design, DEFAULT_MESH_DENSITY, root.dir);
    expect(mesh.mesh.elementType).toBe('CPS8');
    const { runId } = await jobs.submit(`cantilever-${mesh.id}`, cantileverDeck(design, mesh.mesh));
    await jobs.wait(runId);
    const result = await fetchRun(jobs, runId);
    const [, uyMm = NaN] = result.displacements.get(tipNode(design, mesh.mesh)) ?? [];
    const calculix = -uyMm / 1000; // mm down -> m, positive
    const inHouse = solveDesign(design).tipDeflectionM;
    const theory = timoshenkoTipDeflection(theoryInput(design)).totalM;
    console.log(
      `${design.name}: tip deflection CalculiX ${calculix.toExponential(5)} m, in-house ` +
        `${inHouse.toExponential(5)} m (${pct(calculix, inHouse)}), Timoshenko ` +
        `${theory.toExponential(5)} m (${pct(calculix, theory)})`,
    );
    expect(relativeError(calculix, inHouse)).toBeLessThan(TOLERANCE);
    expect(relativeError(calculix, theory)).toBeLessThan(TOLERANCE);
  });
});

function pct(value: number, reference: number): string {
  return `${((value / reference - 1) * 100).toFixed(2)}%`;
}
