// The FEA numerical core of the cantilever study: materials, parametric geometry, structured Q8
// mesher, plane-stress solver and the Timoshenko beam-theory reference. Plain library code; the
// MCP tool servers wrap these functions.
export {
  MATERIALS,
  getMaterial,
  materialKeys,
  resolveMaterial,
  type Material,
} from './materials.js';
export { FeaInputError } from './validate.js';
export {
  canonicalGeometry,
  geometryId,
  validateGeometry,
  type CantileverGeometry,
} from './geometry.js';
export { geometrySvg } from './geometry-svg.js';
export {
  DEFAULT_MESH_DENSITY,
  buildMesh,
  computeMeshId,
  meshDivisions,
  validateDensity,
  type Mesh,
  type MeshDensity,
} from './mesh.js';
export { parseMesh, serializeMesh } from './mesh-serialize.js';
export { solveCantilever, solveDesign, type CantileverDesign, type SolveInput } from './solve.js';
export { BENDING_WINDOW, ROOT_ZONE_HEIGHTS, findNode, type FeaResult } from './results.js';
export type { GaussPointStress, StressState } from './stress.js';
export {
  SHEAR_COEFFICIENT_RECTANGLE,
  bendingStress,
  secondMomentOfArea,
  timoshenkoTipDeflection,
  type BeamTheoryInput,
} from './beam-theory.js';
