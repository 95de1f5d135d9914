// The CAD step of the CAE study: Gmsh's OpenCASCADE kernel builds the plate's B-rep from its
// parameters and exports it as STEP (the part, and the quarter section the mesher reads), in a
// directory of the revision's own, recording the Gmsh version that built it.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runGmshScript } from './gmsh-run.js';
import { PART_STEP, SECTION_STEP, partScript, sectionScript } from './plate-geo.js';
import { plateRevisionId, validatePlate, type PlateWithHole } from './plate-geometry.js';
import { gmshVersion } from './versions.js';

/** A CAD revision: its immutable id and its files. */
export interface CadRevision {
  readonly id: string;
  readonly plate: PlateWithHole;
  readonly gmshVersion: string;
  readonly dir: string;
  /** The solid, as STEP. */
  readonly partStep: string;
  /** The quarter mid-plane section the mesher meshes, as STEP. */
  readonly sectionStep: string;
}

/** Builds the plate's revision under `root/<id>/` (rebuilding the files if they exist). */
export async function buildPlateCad(plate: PlateWithHole, root: string): Promise<CadRevision> {
  validatePlate(plate);
  const version = await gmshVersion();
  const id = plateRevisionId(plate, version);
  const dir = path.join(root, id);
  await mkdir(dir, { recursive: true });
  await runGmshScript(dir, 'part.geo', partScript(plate));
  await runGmshScript(dir, 'section.geo', sectionScript(plate));
  return {
    id,
    plate,
    gmshVersion: version,
    dir,
    partStep: path.join(dir, PART_STEP),
    sectionStep: path.join(dir, SECTION_STEP),
  };
}
