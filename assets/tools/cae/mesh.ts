// The mesh step of the CAE study: runs a Gmsh mesh script (./mesh-script.ts) once, in a directory
// named by the mesh's immutable id (the geometry's id, the settings, the script and the Gmsh
// version; ./revision-dir.ts), and returns the files (`.msh`, Abaqus `.inp`), the parsed mesh,
// and Gmsh's quality figures. Input files (the CAD revision's STEP) are copied in beside the
// script, which refers to them by name: the id does not depend on where they were.
import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAbaqusMesh, type PlaneMesh } from './abaqus-mesh.js';
import { runGmshScript } from './gmsh-run.js';
import { parseMeshQuality, type MeshQuality } from './mesh-quality.js';
import { MESH_INP, MESH_MSH, meshScript, type MeshScriptParts } from './mesh-script.js';
import { revisionDir } from './revision-dir.js';
import { gmshVersion } from './versions.js';

/** What Gmsh printed while meshing, kept beside the mesh (its quality is read from it). */
const GMSH_LOG = 'gmsh.log';

/** A mesh revision: its id, files, content and quality. */
export interface MeshRevision {
  readonly id: string;
  readonly gmshVersion: string;
  readonly dir: string;
  readonly msh: string;
  readonly inp: string;
  readonly mesh: PlaneMesh;
  readonly quality: MeshQuality;
  /** Wall time of this call, ms (Gmsh's run when it built the mesh; ~0 when it existed). */
  readonly ms: number;
}

/**
 * Meshes under `root/<id>/`, where the id hashes `identity` (what the mesh is of and how: the
 * CAD revision id and the settings), the script and the Gmsh version. `inputs` maps file names
 * the script reads to the files to copy there.
 */
export async function generateMesh(
  identity: unknown,
  parts: MeshScriptParts,
  root: string,
  inputs: Readonly<Record<string, string>> = {},
): Promise<MeshRevision> {
  const version = await gmshVersion();
  const script = meshScript(parts);
  const id = `mesh-${createHash('sha256')
    .update(JSON.stringify([identity, version, script]))
    .digest('hex')
    .slice(0, 16)}`;
  const started = Date.now();
  const { dir } = await revisionDir(root, id, async (draft) => {
    for (const [name, from] of Object.entries(inputs)) await copyFile(from, path.join(draft, name));
    const output = await runGmshScript(draft, 'mesh.geo', script);
    await writeFile(path.join(draft, GMSH_LOG), output);
  });
  const ms = Date.now() - started;
  // The quality is parsed from the log Gmsh printed when it built the mesh.
  const output = await readFile(path.join(dir, GMSH_LOG), 'utf8');
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
