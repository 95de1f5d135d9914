// The CAD revisions Gmsh's OpenCASCADE kernel builds: the plate with a hole and the L-bracket
// (fillet, bolt hole) are STEP solids that open again (Gmsh re-imports each as one closed volume
// and meshes it with tetrahedra), with ids that follow the parameters and the Gmsh version, built
// once (the same files for the same id), the same bytes when built again elsewhere, and
// parameters checked with the field named.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLBracketCad,
  buildPlateCad,
  checkStepSolid,
  gmshVersion,
  lBracketRevisionId,
  validateLBracket,
  type LBracket,
} from '../../assets/tools/cae/index.js';
import { STEP_TIMESTAMP } from '../../assets/tools/cae/step-timestamp.js';
import { waitFor } from '../executor/helpers.js';
import { PLATE, scratch, skipWithoutCae } from './cae-fixtures.js';

const skip = skipWithoutCae('the CAD revision tests');

const BRACKET: LBracket = {
  legLengthMm: 80,
  legHeightMm: 60,
  thicknessMm: 8,
  widthMm: 40,
  filletRadiusMm: 6,
  boltHoleDiameterMm: 10,
};

describe.skipIf(skip)('CAD revisions (Gmsh / OpenCASCADE)', () => {
  let root: Awaited<ReturnType<typeof scratch>>;

  beforeAll(async () => {
    root = await scratch('cae-cad');
  });
  afterAll(() => root?.remove());

  it('the plate is one closed solid that opens again and meshes', async () => {
    const cad = await buildPlateCad(PLATE, root.dir);
    const check = await checkStepSolid(cad.partStep, 10);
    expect(check.volumes).toBe(1);
    expect(check.elements).toBeGreaterThan(100);
  });

  it('the L-bracket has its fillet and bolt hole, and is one closed solid', async () => {
    const cad = await buildLBracketCad(BRACKET, root.dir);
    const step = await readFile(cad.partStep, 'utf8');
    // The fillet and the hole are the cylindrical faces (a box union has none).
    expect(step.match(/CYLINDRICAL_SURFACE/g)?.length).toBeGreaterThanOrEqual(2);
    const check = await checkStepSolid(cad.partStep, 6);
    expect(check.volumes).toBe(1);
    expect(check.elements).toBeGreaterThan(100);
  });

  it('a part built again elsewhere is the same bytes (the STEP time stamp is fixed)', async () => {
    const first = await buildPlateCad(PLATE, path.join(root.dir, 'first'));
    // OpenCASCADE stamps the export to the second: a second later, the stamp would differ.
    await waitFor('the clock to pass a second', async () =>
      Date.now() - (await stat(first.partStep)).mtimeMs > 1_000 ? true : undefined,
    );
    const second = await buildPlateCad(PLATE, path.join(root.dir, 'second'));
    for (const file of ['partStep', 'sectionStep'] as const) {
      const [a, b] = await Promise.all([readFile(first[file]), readFile(second[file])]);
      expect(a.equals(b), file).toBe(true);
      expect(a.toString('utf8')).toContain(`'${STEP_TIMESTAMP}'`);
    }
  });

  it('one id, one set of files; another parameter, another id', async () => {
    const first = await buildLBracketCad(BRACKET, root.dir);
    const modified = (await stat(first.partStep)).mtimeMs;
    const again = await buildLBracketCad(BRACKET, root.dir);
    expect(again.id).toBe(first.id);
    expect((await stat(again.partStep)).mtimeMs).toBe(modified); // not rebuilt
    const version = await gmshVersion();
    expect(lBracketRevisionId({ ...BRACKET, filletRadiusMm: 8 }, version)).not.toBe(first.id);
    expect(lBracketRevisionId(BRACKET, `${version}-next`)).not.toBe(first.id);
  });

  it('rejects a bracket that cannot be built, naming the parameter', () => {
    expect(() => validateLBracket({ ...BRACKET, filletRadiusMm: 80 })).toThrow(/^filletRadiusMm/);
    expect(() => validateLBracket({ ...BRACKET, boltHoleDiameterMm: 45 })).toThrow(
      /^boltHoleDiameterMm/,
    );
    expect(() => validateLBracket({ ...BRACKET, widthMm: -1 })).toThrow(/^widthMm/);
  });
});
