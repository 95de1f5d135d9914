// The mesh step of the CAE study: runs a Gmsh mesh script (./mesh-script.ts) in a directory named
// by the mesh's immutable id (the geometry's id, the settings and the Gmsh version), and returns
// the files (`.msh`, Abaqus `.inp`), the parsed mesh, and Gmsh's quality figures.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAbaqusMesh, type PlaneMesh } from './abaqus-mesh.js';
import { runGmshScript } from './gmsh-run.js';
import { parseMeshQuality, type MeshQuality } from './mesh-quality.js';
import { MESH_INP, MESH_MSH, meshScript, type MeshScriptParts } from './mesh-script.js';
import { gmshVersion } from './versions.js';

/** A mesh revision: its id, files, content and quality. */
export interface MeshRevision {
  readonly id: string;
  readonly gmshVersion: string;
  readonly dir: string;
  readonly msh: string;
  readonly inp: string;
  readonly mesh: PlaneMesh;
  readonly quality: MeshQuality;
  /** Wall time of the Gmsh run, ms. */
  readonly ms: number;
}

/**
 * Meshes under `root/<id>/`, where the id hashes `identity` (what the mesh is of and how: the
 * CAD revision id and the settings), the script and the Gmsh version.
 */
export async function generateMesh(
  identity: unknown,
  parts: MeshScriptParts,
  root: string,
): Promise<MeshRevision> {
  const version = await gmshVersion();
  const script = meshScript(parts);
  const id = `mesh-${createHash('sha256')
    .update(JSON.stringify([identity, version, script]))
    .digest('hex')
    .slice(0, 16)}`;
  const dir = path.join(root, id);
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  const output = await runGmshScript(dir, 'mesh.geo', script);
  const ms = Date.now() - started;
  const inp = path.join(dir, MESH_INP);
  return {
    id,
    gmshVersion: version,
    dir,
    msh: path.join(dir, MESH_MSH),
    inp,
    mesh: parseAbaqusMesh(await readFile(inp, 'utf8')),
    quality: parseMeshQuality(output),
    ms,
  };
}
