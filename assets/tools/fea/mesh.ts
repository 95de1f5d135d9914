// Structured mesh of 8-node serendipity quadrilaterals (Q8) over the cantilever rectangle.
// Nodes are numbered column by column (along the short direction, the height), so the nodes of
// any element lie within 3*ny + 5 consecutive numbers: the half-bandwidth is 6*ny + 9 DOFs,
// whatever the length.
import { canonicalGeometry, geometryId, type CantileverGeometry } from './geometry.js';
import { canonicalJson, sha256Hex } from './hash.js';
import { FeaInputError, integerAtLeast, positiveNumber } from './validate.js';

/** The mesh-density setting: elements through the height and the largest element aspect. */
export interface MeshDensity {
  /** ny, the number of elements through the height h (integer >= 1). */
  readonly elementsThroughHeight: number;
  /** Largest element length/height ratio; nx = ceil((L/h) * ny / maxAspectRatio). */
  readonly maxAspectRatio: number;
}

/**
 * The default density: 4 Q8 elements through the height (their quadratic displacement field
 * then captures the cubic shear warping of the section well) and elements at most twice as
 * long as high (Q8 loses accuracy past aspect ~4). Measured: tip deflection within 0.8% of
 * Timoshenko beam theory for L/h from 5 to 20 (test/assets/fea-beam-theory.test.ts asserts 2%),
 * mid-span bending stress within 0.01%, about 10 ms per solve at L/h = 20 (1,120 equations).
 */
export const DEFAULT_MESH_DENSITY: MeshDensity = Object.freeze({
  elementsThroughHeight: 4,
  maxAspectRatio: 2,
});

/** Guard against accidental huge meshes (a typo in the density) that would exhaust memory. */
const MAX_ELEMENTS = 200_000;

/** A structured Q8 mesh. Node ids index `nodes`; coordinates are in metres. */
export interface Mesh {
  readonly geometry: CantileverGeometry;
  readonly geometryId: string;
  readonly density: MeshDensity;
  /** Elements along the length. */
  readonly nx: number;
  /** Elements through the height. */
  readonly ny: number;
  readonly nodes: readonly { readonly x: number; readonly y: number }[];
  /** 8 node ids each: corners counter-clockwise from bottom-left, then midsides b, r, t, l. */
  readonly elements: readonly (readonly number[])[];
  /** The clamped root: every node at x = 0, bottom to top. */
  readonly rootNodes: readonly number[];
  /** The loaded tip edges at x = L, each [bottom, midside, top], bottom to top. */
  readonly tipEdges: readonly (readonly [number, number, number])[];
  /** sha256 of the mesh content ({@link computeMeshId}). */
  readonly meshId: string;
}

/** Checks a mesh density, throwing a `FeaInputError` naming the bad field. */
export function validateDensity(density: MeshDensity): MeshDensity {
  if (typeof density !== 'object' || density === null) {
    throw new FeaInputError('density', 'density must be an object with elementsThroughHeight');
  }
  return {
    elementsThroughHeight: integerAtLeast(
      'elementsThroughHeight',
      density.elementsThroughHeight,
      1,
    ),
    maxAspectRatio: positiveNumber('maxAspectRatio', density.maxAspectRatio),
  };
}

/** Number of nodes in one corner column plus one midside column: the column-pair stride. */
function stride(ny: number): number {
  return 3 * ny + 2;
}

/** Node id at grid column c (0..2nx) and grid row r (0..2ny); odd columns hold even rows only. */
function nodeId(ny: number, c: number, r: number): number {
  const base = Math.floor(c / 2) * stride(ny) + (c % 2 === 1 ? 2 * ny + 1 : 0);
  return base + (c % 2 === 1 ? r / 2 : r);
}

/** Element counts (nx along the length, ny through the height) for a geometry and density. */
export function meshDivisions(
  geometry: CantileverGeometry,
  density: MeshDensity,
): { nx: number; ny: number } {
  const ny = density.elementsThroughHeight;
  const nx = Math.max(
    1,
    Math.ceil(((geometry.lengthM / geometry.heightM) * ny) / density.maxAspectRatio),
  );
  if (nx * ny > MAX_ELEMENTS) {
    throw new FeaInputError(
      'elementsThroughHeight',
      `elementsThroughHeight: the mesh would have ${nx * ny} elements (limit ${MAX_ELEMENTS})`,
    );
  }
  return { nx, ny };
}

/** Builds the structured Q8 mesh of the cantilever for a mesh density. */
export function buildMesh(
  params: CantileverGeometry,
  density: MeshDensity = DEFAULT_MESH_DENSITY,
): Mesh {
  const geometry = canonicalGeometry(params);
  const d = validateDensity(density);
  const { nx, ny } = meshDivisions(geometry, d);
  const { lengthM: L, heightM: h } = geometry;

  const nodes: { x: number; y: number }[] = [];
  for (let c = 0; c <= 2 * nx; c++) {
    const x = (L * c) / (2 * nx);
    for (let r = 0; r <= 2 * ny; r += c % 2 === 1 ? 2 : 1) {
      nodes.push({ x, y: -h / 2 + (h * r) / (2 * ny) });
    }
  }

  const elements: number[][] = [];
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const [c0, c1, c2, r0, r1, r2] = [2 * i, 2 * i + 1, 2 * i + 2, 2 * j, 2 * j + 1, 2 * j + 2];
      const at = (c: number, r: number): number => nodeId(ny, c, r);
      const corners = [at(c0, r0), at(c2, r0), at(c2, r2), at(c0, r2)]; // counter-clockwise
      const midsides = [at(c1, r0), at(c2, r1), at(c1, r2), at(c0, r1)]; // bottom, right, top, left
      elements.push([...corners, ...midsides]);
    }
  }

  const rootNodes = Array.from({ length: 2 * ny + 1 }, (_, r) => nodeId(ny, 0, r));
  const tipEdges = Array.from({ length: ny }, (_, j): [number, number, number] => [
    nodeId(ny, 2 * nx, 2 * j),
    nodeId(ny, 2 * nx, 2 * j + 1),
    nodeId(ny, 2 * nx, 2 * j + 2),
  ]);

  const content = {
    geometry,
    geometryId: geometryId(geometry),
    density: d,
    nx,
    ny,
    nodes,
    elements,
    rootNodes,
    tipEdges,
  };
  return { ...content, meshId: computeMeshId(content) };
}

/** The mesh id: sha256 (hex) of the canonical JSON of {@link meshContentJson}. */
export function computeMeshId(mesh: Omit<Mesh, 'meshId'>): string {
  return sha256Hex(canonicalJson(meshContentJson(mesh)));
}

/** The hashed content of a mesh: everything but the id, as flat arrays. */
export function meshContentJson(mesh: Omit<Mesh, 'meshId'>): {
  [k: string]: string | number | number[] | { [k: string]: number };
} {
  return {
    format: 'strata.fea.q8-mesh/1',
    geometryId: mesh.geometryId,
    geometry: { ...mesh.geometry },
    density: { ...mesh.density },
    nx: mesh.nx,
    ny: mesh.ny,
    nodes: mesh.nodes.flatMap((p) => [p.x, p.y]),
    elements: mesh.elements.flat(),
    rootNodes: [...mesh.rootNodes],
    tipEdges: mesh.tipEdges.flat(),
  };
}
