// Plate with a central hole in uniaxial tension, through the whole CAE tool chain (Gmsh's
// OpenCASCADE CAD to STEP, Gmsh's second-order mesh refined at the hole, CalculiX's static
// solve): the peak stress at the hole's edge gives a stress concentration factor within 3% of
// the published value at d/W = 0.2, 0.3 and 0.5, and refining the mesh converges it. Measured
// here: Kt_n is 1.2-1.4% above the formula at all three ratios (1.5% for the extrapolated value
// at d/W = 0.2), a steady offset that refinement does not remove, so not a discretization error
// (that one falls level after level: the refinement test); the formula is a curve fit, and the
// nodal stress is CalculiX's extrapolation from its integration points.
//
// Reference: Kt_n = 3 - 3.14 (d/W) + 3.667 (d/W)^2 - 1.527 (d/W)^3, referred to the net-section
// stress sigma W / (W - d): W. D. Pilkey and D. F. Pilkey, Peterson's Stress Concentration
// Factors, 3rd ed. (Wiley, 2008), chart 4.1, eq. (4.1), a fit to Howland's solution
// (assets/tools/cae/kt-reference.ts). For d/W = 0.2 it gives 2.5065.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CcxJobs,
  buildPlateCad,
  extractPlateQois,
  fetchRun,
  ktNetFiniteWidthPlate,
  meshPlate,
  netSectionStress,
  plateTensionDeck,
  type CadRevision,
} from '../../assets/tools/cae/index.js';
import { PLATE, PLATE_STRESS_MPA, scratch, skipWithoutCae } from './cae-fixtures.js';

/** The acceptance tolerance on Kt. */
const KT_TOLERANCE = 0.03;

const skip = skipWithoutCae('the plate-with-hole Kt tests');
const radius = PLATE.holeDiameterMm / 2;
const reference = ktNetFiniteWidthPlate(PLATE.holeDiameterMm, PLATE.widthMm);

describe.skipIf(skip)('plate with a hole: Kt from Gmsh + CalculiX vs Peterson', () => {
  let root: Awaited<ReturnType<typeof scratch>>;
  let cad: CadRevision;
  let jobs: CcxJobs;

  beforeAll(async () => {
    root = await scratch('cae-kt');
    cad = await buildPlateCad(PLATE, root.dir);
    jobs = new CcxJobs(root.dir);
  });
  afterAll(() => root?.remove());

  /** Kt_n and the run's artifacts at an element size on the hole of `sizeAtHoleMm`. */
  async function solveAt(sizeAtHoleMm: number) {
    const mesh = await meshPlate(
      cad,
      { kind: 'tri6', sizeAtHoleMm, sizeMaxMm: 10, refineDistanceMm: 30 },
      root.dir,
    );
    const { runId } = await jobs.submit(
      `kt-${mesh.id}`,
      plateTensionDeck(PLATE, mesh.mesh, PLATE_STRESS_MPA),
    );
    await jobs.wait(runId);
    const result = await fetchRun(jobs, runId);
    const qois = extractPlateQois(result, radius);
    const kt =
      qois.holeEdgePeakSxxMpa.value /
      netSectionStress(PLATE_STRESS_MPA, PLATE.holeDiameterMm, PLATE.widthMm);
    return { mesh, result, qois, kt };
  }

  it('the CAD revision is a STEP solid built by the recorded Gmsh', async () => {
    expect(cad.gmshVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const step = await readFile(cad.partStep, 'utf8');
    expect(step.startsWith('ISO-10303-21;')).toBe(true);
    expect(step).toContain('MANIFOLD_SOLID_BREP');
    expect(step).toContain('CYLINDRICAL_SURFACE'); // the hole
    expect(await readFile(cad.sectionStep, 'utf8')).toContain('ISO-10303-21;');
  });

  it('Kt at the hole within 3% of Peterson eq. 4.1 (elements of r/20 at the hole)', async () => {
    const { mesh, result, qois, kt } = await solveAt(radius / 20);
    console.log(
      `plate d/W=0.2: Kt_n ${kt.toFixed(4)} vs ${reference.toFixed(4)} (Peterson eq. 4.1), ` +
        `${mesh.mesh.elements.length} CPS6, min scaled Jacobian ${mesh.quality.minScaledJacobian}`,
    );
    expect(Math.abs(kt / reference - 1)).toBeLessThan(KT_TOLERANCE);
    // The peak is where theory puts it: on the hole, across the load (x = 0, y = r).
    expect(qois.holeEdgePeakSxxMpa.x).toBeCloseTo(0, 1);
    expect(qois.holeEdgePeakSxxMpa.y).toBeCloseTo(radius, 2);
    // The largest von Mises stress is on the hole's edge too, and nearly the peak sxx there (a
    // free edge: almost uniaxial; CalculiX's plane-stress elements are thin 3D slabs, which leave
    // a small szz at the nodes).
    const { x, y, value } = qois.maxVonMisesMpa;
    expect(Math.hypot(x, y)).toBeCloseTo(radius, 2);
    expect(Math.abs(value / qois.holeEdgePeakSxxMpa.value - 1)).toBeLessThan(0.03);
    // Gmsh's mesh is valid and well shaped; the run records its solver.
    expect(mesh.quality.elements).toBe(mesh.mesh.elements.length);
    expect(mesh.quality.minScaledJacobian).toBeGreaterThan(0.9);
    expect(result.ccxVersion).toMatch(/^\d+\.\d+/);
    // The end stretches by about sigma L / (2E) (a little more: the hole softens the plate).
    const stretch = (PLATE_STRESS_MPA * PLATE.lengthMm) / 2 / 210_000;
    expect(qois.maxDisplacementMm.value).toBeGreaterThan(stretch);
    expect(qois.maxDisplacementMm.value).toBeLessThan(1.2 * stretch);
  });

  it.each([0.3, 0.5])('d/W = %s: Kt within 3% of Peterson too', async (ratio) => {
    const plate = { ...PLATE, lengthMm: 4 * PLATE.widthMm, holeDiameterMm: ratio * PLATE.widthMm };
    const r = plate.holeDiameterMm / 2;
    const other = await buildPlateCad(plate, root.dir);
    const mesh = await meshPlate(
      other,
      { kind: 'tri6', sizeAtHoleMm: r / 20, sizeMaxMm: 10, refineDistanceMm: 3 * r },
      root.dir,
    );
    const { runId } = await jobs.submit(
      `kt-${mesh.id}`,
      plateTensionDeck(plate, mesh.mesh, PLATE_STRESS_MPA),
    );
    await jobs.wait(runId);
    const peak = extractPlateQois(await fetchRun(jobs, runId), r).holeEdgePeakSxxMpa.value;
    const kt = peak / netSectionStress(PLATE_STRESS_MPA, plate.holeDiameterMm, plate.widthMm);
    const published = ktNetFiniteWidthPlate(plate.holeDiameterMm, plate.widthMm);
    console.log(`plate d/W=${ratio}: Kt_n ${kt.toFixed(4)} vs ${published.toFixed(4)}`);
    expect(Math.abs(kt / published - 1)).toBeLessThan(KT_TOLERANCE);
  });

  it('mesh refinement at the hole converges Kt', async () => {
    const sizes = [radius / 5, radius / 10, radius / 20, radius / 40];
    const kts: number[] = [];
    for (const size of sizes) kts.push((await solveAt(size)).kt);
    // Successive changes shrink: the discretization error decreases with the element size.
    const changes = kts.slice(1).map((kt, i) => Math.abs(kt - kts[i]!));
    for (let i = 1; i < changes.length; i++) expect(changes[i]).toBeLessThan(changes[i - 1]!);
    // Richardson's extrapolation from the two finest meshes (observed order from the last three).
    const ratio = changes.at(-2)! / changes.at(-1)!;
    const limit = kts.at(-1)! + (kts.at(-1)! - kts.at(-2)!) / (ratio - 1);
    // The error against the converged value falls level after level...
    const errors = kts.map((kt) => Math.abs(kt - limit));
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]!);
    // ...and the converged value is within 3% of the published one.
    expect(Math.abs(limit / reference - 1)).toBeLessThan(KT_TOLERANCE);
    for (const kt of kts.slice(1)) expect(Math.abs(kt / reference - 1)).toBeLessThan(KT_TOLERANCE);
    console.log(
      `plate d/W=0.2 refinement (h at hole = r/5, r/10, r/20, r/40): Kt_n ` +
        `${kts.map((k) => k.toFixed(4)).join(', ')}; extrapolated ${limit.toFixed(4)}; ` +
        `Peterson ${reference.toFixed(4)} (${((limit / reference - 1) * 100).toFixed(2)}%)`,
    );
  });
});
