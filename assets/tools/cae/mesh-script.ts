// The Gmsh script of a mesh: the geometry (a merged STEP, or built in the script), its sizing (a
// size field refined where the stress concentrates, or a structured grid), second-order elements
// of the chosen kind, the quality plugin (its summary lines are parsed: ./mesh-quality.ts), and
// the mesh saved twice: Gmsh's own `.msh` and an Abaqus `.inp` (nodes and elements) that the
// CalculiX deck includes. Only the physical surface is saved, so the `.inp` holds the 2D
// elements alone (no line or point elements of the boundary).

/** Second-order plane-stress elements: 6-node triangles (CPS6) or 8-node quadrilaterals (CPS8). */
export type ElementKind = 'tri6' | 'quad8';

/** The file names a mesh script saves. */
export const MESH_MSH = 'mesh.msh';
export const MESH_INP = 'mesh.inp';

/** What a mesh script is made of. */
export interface MeshScriptParts {
  /** Statements that create (or `Merge`) the geometry, OpenCASCADE kernel. */
  readonly geometry: readonly string[];
  /** Size fields, or transfinite constraints. */
  readonly sizing: readonly string[];
  readonly kind: ElementKind;
}

/** The whole script. */
export function meshScript(parts: MeshScriptParts): string {
  const quads =
    parts.kind === 'quad8'
      ? [
          'Mesh.RecombineAll = 1;',
          'Mesh.Algorithm = 6; // frontal-Delaunay, then Blossom recombination',
          'Mesh.SecondOrderIncomplete = 1; // 8-node serendipity quads',
        ]
      : ['Mesh.Algorithm = 6; // frontal-Delaunay'];
  return [
    'SetFactory("OpenCASCADE");',
    ...parts.geometry,
    ...parts.sizing,
    ...quads,
    'Mesh.ElementOrder = 2;',
    'Physical Surface("PART") = Surface{:};',
    'Mesh 2;',
    'Plugin(AnalyseMeshQuality).JacobianDeterminant = 1;',
    'Plugin(AnalyseMeshQuality).ICNMeasure = 1;',
    'Plugin(AnalyseMeshQuality).CreateView = 0;',
    'Plugin(AnalyseMeshQuality).Run;',
    `Save "${MESH_MSH}";`,
    `Save "${MESH_INP}";`,
    '',
  ].join('\n');
}

/**
 * A size field refined at the curves inside a box (a hole, a fillet): `sizeMinMm` on them,
 * growing linearly to `sizeMaxMm` at `distanceMm` from them. Sizes from the geometry's points and
 * curvature are off, so the field alone decides.
 */
export function refinedAt(
  box: readonly [number, number, number, number],
  sizeMinMm: number,
  sizeMaxMm: number,
  distanceMm: number,
): string[] {
  const [xmin, ymin, xmax, ymax] = box;
  return [
    `refined() = Curve In BoundingBox {${xmin}, ${ymin}, -1, ${xmax}, ${ymax}, 1};`,
    'If (#refined() == 0)',
    '  Error("no curve to refine in the bounding box");',
    'EndIf',
    'Field[1] = Distance;',
    'Field[1].CurvesList = {refined()};',
    'Field[1].NumPointsPerCurve = 200;',
    'Field[2] = Threshold;',
    'Field[2].InField = 1;',
    `Field[2].SizeMin = ${sizeMinMm};`,
    `Field[2].SizeMax = ${sizeMaxMm};`,
    'Field[2].DistMin = 0;',
    `Field[2].DistMax = ${distanceMm};`,
    'Background Field = 2;',
    'Mesh.MeshSizeExtendFromBoundary = 0;',
    'Mesh.MeshSizeFromPoints = 0;',
    'Mesh.MeshSizeFromCurvature = 0;',
  ];
}
