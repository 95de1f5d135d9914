// The FEA solver tool server (MCP over stdio, or Streamable HTTP with --http): a linear-elastic
// plane-stress solve of a mesh under the tip load; the displacement and stress fields are stored
// as an artifact, the run gets an immutable id (mesh, material, load and solver version), and the
// summary comes back.
import { createHash } from 'node:crypto';
import { artifactRefSchema, type ArtifactRef } from 'strata';
import { z } from 'zod';
import { storeArtifact } from './artifact-ref.js';
import { parseMesh, solveCantilever } from './fea/index.js';
import { materialSchema } from './fea/material-schema.js';
import { serveTools, tool } from './tool-server-kit.js';

/** Bumped whenever the solver's numbers for the same inputs could change. */
export const SOLVER_VERSION = '1.1.0';

/** A force resultant and its moment about (0, 0), as the tool answers it. */
const equilibriumSchema = z.object({ fx_n: z.number(), fy_n: z.number(), moment_nm: z.number() });

function forces(f: { fxN: number; fyN: number; momentNm: number }) {
  return { fx_n: f.fxN, fy_n: f.fyN, moment_nm: f.momentNm };
}

await serveTools('solver', SOLVER_VERSION, [
  tool({
    name: 'solve',
    description: 'Linear-elastic plane-stress solve of a meshed cantilever under a tip load',
    input: {
      mesh: artifactRefSchema,
      // A key of the solver's handbook materials, or the properties themselves.
      material: z.union([z.string(), materialSchema]),
      tip_load_n: z.number(),
    },
    output: {
      id: z.string(),
      fields: artifactRefSchema,
      tip_deflection_m: z.number(),
      max_von_mises_pa: z.number(),
      mass_kg: z.number(),
      safety_factor: z.number(),
      equations: z.number(),
      reactions: equilibriumSchema,
      applied_load: equilibriumSchema,
    },
    run: async (args, artifacts) => {
      const mesh = parseMesh((await artifacts.read(args.mesh as ArtifactRef)).toString('utf8'));
      const result = solveCantilever({ mesh, material: args.material, tipLoadN: args.tip_load_n });
      const id = `run-${createHash('sha256')
        .update(JSON.stringify([SOLVER_VERSION, mesh.meshId, args.material, args.tip_load_n]))
        .digest('hex')
        .slice(0, 16)}`;
      const fields = JSON.stringify({
        meshId: mesh.meshId,
        displacements: result.displacements,
        nodalStresses: result.nodalStresses,
      });
      return {
        id,
        fields: await storeArtifact(artifacts, `${id}-fields.json`, fields, 'application/json'),
        tip_deflection_m: result.tipDeflectionM,
        max_von_mises_pa: result.maxVonMises.valuePa,
        mass_kg: result.massKg,
        safety_factor: result.safetyFactor,
        equations: result.equations,
        reactions: forces(result.reactions),
        applied_load: forces(result.appliedLoad),
      };
    },
  }),
]);
