// Opens a STEP file again with Gmsh (OpenCASCADE's reader, as other CAD tools read it) and meshes
// it coarsely with tetrahedra: a closed, valid solid gives its volumes and a 3D mesh, a broken
// export gives a Gmsh error. The check behind "the revision's STEP opens in any CAD tool".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGmshScript } from './gmsh-run.js';

/** What Gmsh found in a STEP file. */
export interface StepCheck {
  readonly volumes: number;
  readonly nodes: number;
  readonly elements: number;
}

/** Re-imports `stepFile` and meshes it with elements of at most `sizeMm`. */
export async function checkStepSolid(stepFile: string, sizeMm: number): Promise<StepCheck> {
  const dir = await mkdtemp(path.join(tmpdir(), 'strata-step-check-'));
  try {
    const output = await runGmshScript(
      dir,
      'check.geo',
      [
        'SetFactory("OpenCASCADE");',
        `Merge "${path.resolve(stepFile)}";`,
        'v() = Volume{:};',
        'Printf("STEP volumes: %g", #v());',
        `Mesh.MeshSizeMax = ${sizeMm};`,
        'Mesh 3;',
        '',
      ].join('\n'),
    );
    const volumes = output.match(/STEP volumes: (\d+)/)?.[1];
    const counts = [...output.matchAll(/Info\s*:\s*(\d+) nodes (\d+) elements/g)].at(-1);
    if (volumes === undefined || counts === undefined) {
      throw new Error(`gmsh printed no volume count or mesh statistics for ${stepFile}`);
    }
    return { volumes: Number(volumes), nodes: Number(counts[1]), elements: Number(counts[2]) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
