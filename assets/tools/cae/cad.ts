// The CAD step of the CAE study: Gmsh's OpenCASCADE kernel builds a part's B-rep from its
// parameters and exports it as STEP (the plate: the part, and the quarter section the mesher
// reads; the L-bracket: the part), in a directory of the revision's own (built once:
// ./revision-dir.ts), recording the Gmsh version. The same part gives the same bytes every time
// (./step-timestamp.ts).
import path from 'node:path';
import { runGmshScript } from './gmsh-run.js';
import {
  lBracketRevisionId,
  lBracketScript,
  validateLBracket,
  type LBracket,
} from './l-bracket.js';
import { PART_STEP, SECTION_STEP, partScript, sectionScript } from './plate-geo.js';
import { plateRevisionId, validatePlate, type PlateWithHole } from './plate-geometry.js';
import { revisionDir } from './revision-dir.js';
import { fixStepTimestamp } from './step-timestamp.js';
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

/** The plate's revision under `root/<id>/`: built once, then the same files every time. */
export async function buildPlateCad(plate: PlateWithHole, root: string): Promise<CadRevision> {
  validatePlate(plate);
  const version = await gmshVersion();
  const id = plateRevisionId(plate, version);
  const { dir } = await revisionDir(root, id, async (draft) => {
    await runGmshScript(draft, 'part.geo', partScript(plate));
    await runGmshScript(draft, 'section.geo', sectionScript(plate));
    await fixStepTimestamp(path.join(draft, PART_STEP));
    await fixStepTimestamp(path.join(draft, SECTION_STEP));
  });
  return {
    id,
    plate,
    gmshVersion: version,
    dir,
    partStep: path.join(dir, PART_STEP),
    sectionStep: path.join(dir, SECTION_STEP),
  };
}

/** An L-bracket revision: its id and its STEP solid. */
export interface LBracketRevision {
  readonly id: string;
  readonly bracket: LBracket;
  readonly gmshVersion: string;
  readonly dir: string;
  readonly partStep: string;
}

/** Builds the L-bracket's revision under `root/<id>/`, once. */
export async function buildLBracketCad(bracket: LBracket, root: string): Promise<LBracketRevision> {
  validateLBracket(bracket);
  const version = await gmshVersion();
  const id = lBracketRevisionId(bracket, version);
  const { dir } = await revisionDir(root, id, async (draft) => {
    await runGmshScript(draft, 'part.geo', lBracketScript(bracket));
    await fixStepTimestamp(path.join(draft, PART_STEP));
  });
  return { id, bracket, gmshVersion: version, dir, partStep: path.join(dir, PART_STEP) };
}
