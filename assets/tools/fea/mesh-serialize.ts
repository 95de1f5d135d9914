// Compact JSON form of a Q8 mesh for storage as an artifact (flat coordinate and connectivity
// arrays), and the inverse, which checks the content against the stored mesh id.
import { computeMeshId, meshContentJson, type Mesh } from './mesh.js';

/** The mesh as compact JSON: the hashed content plus its `meshId`. */
export function serializeMesh(mesh: Mesh): string {
  return JSON.stringify({ meshId: mesh.meshId, ...meshContentJson(mesh) });
}

/** Reads a number array field of a parsed mesh document. */
function numbers(doc: Record<string, unknown>, field: string): number[] {
  const value = doc[field];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`mesh JSON: ${field} must be an array of finite numbers`);
  }
  return value as number[];
}

/** Groups a flat array into rows of `size`. */
function chunk(flat: number[], size: number, field: string): number[][] {
  if (flat.length % size !== 0)
    throw new Error(`mesh JSON: ${field} length is not a multiple of ${size}`);
  return Array.from({ length: flat.length / size }, (_, i) => flat.slice(i * size, (i + 1) * size));
}

/** Parses {@link serializeMesh} output; throws if it is malformed or its id does not match. */
export function parseMesh(json: string): Mesh {
  const doc = JSON.parse(json) as Record<string, unknown>;
  if (doc.format !== 'strata.fea.q8-mesh/1') {
    throw new Error(`mesh JSON: unsupported format ${JSON.stringify(doc.format)}`);
  }
  const nodes = chunk(numbers(doc, 'nodes'), 2, 'nodes').map(([x, y]) => ({
    x: x ?? 0,
    y: y ?? 0,
  }));
  const mesh: Omit<Mesh, 'meshId'> = {
    geometry: doc.geometry as Mesh['geometry'],
    geometryId: String(doc.geometryId),
    density: doc.density as Mesh['density'],
    nx: Number(doc.nx),
    ny: Number(doc.ny),
    nodes,
    elements: chunk(numbers(doc, 'elements'), 8, 'elements'),
    rootNodes: numbers(doc, 'rootNodes'),
    tipEdges: chunk(numbers(doc, 'tipEdges'), 3, 'tipEdges') as [number, number, number][],
  };
  const meshId = computeMeshId(mesh);
  if (meshId !== doc.meshId) {
    throw new Error(
      `mesh JSON: content hash ${meshId} does not match meshId ${String(doc.meshId)}`,
    );
  }
  const count = nodes.length;
  const bad = [...mesh.elements.flat(), ...mesh.rootNodes].find((id) => !(id >= 0 && id < count));
  if (bad !== undefined) throw new Error(`mesh JSON: node id ${bad} out of range 0..${count - 1}`);
  return { ...mesh, meshId };
}
