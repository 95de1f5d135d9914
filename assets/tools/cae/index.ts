// The CAE tool layer of the second study: Gmsh (OpenCASCADE CAD, second-order meshing) and
// CalculiX (static plane-stress solves run as detached, idempotent jobs), with the parsers of
// their outputs and the quantities of interest. Plain library code run as real processes; the
// tool servers wrap these functions.
export { MissingProgramError, findProgram, minimalEnv, type CaeProgram } from './binaries.js';
export {
  caeServerVersion,
  ccxVersion,
  gmshVersion,
  installedProgramVersions,
  programVersionsOf,
  type CaeProgramVersions,
} from './versions.js';
export { GmshError } from './gmsh-run.js';
export { validatePlate, plateRevisionId, type PlateWithHole } from './plate-geometry.js';
export { buildLBracketCad, buildPlateCad, type CadRevision, type LBracketRevision } from './cad.js';
export { boltHoleX, lBracketRevisionId, validateLBracket, type LBracket } from './l-bracket.js';
export { checkStepSolid, type StepCheck } from './step-check.js';
export { meshPlate, type PlateMeshSettings } from './plate-mesh.js';
export { generateMesh, type MeshRevision } from './mesh.js';
export type { ElementKind } from './mesh-script.js';
export type { MeshQuality } from './mesh-quality.js';
export type { PlaneMesh, Point } from './abaqus-mesh.js';
export { calculixDeck, type DeckInput, type ElasticMaterial } from './ccx-deck.js';
export { STEEL, plateTensionDeck } from './plate-case.js';
export { cantileverDeck, meshCantilever, tipNode } from './cantilever-case.js';
export {
  CcxJobs,
  FinishedRunError,
  IdempotencyConflictError,
  LostRunError,
  RerunLimitError,
  signalOfExitStatus,
  type Heartbeat,
  type RunEnd,
  type RunState,
  type Submitted,
  type WaitOptions,
} from './ccx-job.js';
export { UnrestrainedModelError, fetchRun, type CcxResult } from './ccx-fetch.js';
export { CalculixError, calculixErrors } from './ccx-errors.js';
export {
  extractPlateQois,
  peak,
  vonMises,
  type NodalPeak,
  type NodalResults,
  type PlateQois,
} from './post.js';
export { parseDatDisplacements, parseFrd } from './ccx-results.js';
export { parseAbaqusMesh } from './abaqus-mesh.js';
export { ktNetFiniteWidthPlate, netSectionStress } from './kt-reference.js';
