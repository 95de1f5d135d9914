// The mesher tool server (MCP over stdio, or Streamable HTTP with --http): meshes a geometry
// revision with structured Q8 elements at the requested density; the mesh is stored as an
// artifact under an immutable id.
import { artifactRefSchema, type ArtifactRef } from 'strata';
import { z } from 'zod';
import { readJsonArtifact, storeArtifact } from './artifact-ref.js';
import { buildMesh, serializeMesh, type CantileverGeometry } from './fea/index.js';
import { serveTools, tool } from './tool-server-kit.js';

/** Bumped when the mesh built from the same geometry and density changes. */
export const MESHER_VERSION = '1.0.0';

await serveTools('mesher', MESHER_VERSION, [
  tool({
    name: 'mesh',
    description: 'Mesh a geometry revision with 8-node quadrilaterals',
    input: {
      geometry: artifactRefSchema,
      elements_through_height: z.number().int(),
      max_aspect_ratio: z.number(),
    },
    output: { id: z.string(), mesh: artifactRefSchema, nodes: z.number(), elements: z.number() },
    run: async (args, artifacts) => {
      const geometry = await readJsonArtifact<CantileverGeometry>(
        artifacts,
        args.geometry as ArtifactRef,
      );
      const mesh = buildMesh(geometry, {
        elementsThroughHeight: args.elements_through_height,
        maxAspectRatio: args.max_aspect_ratio,
      });
      const id = `mesh-${mesh.meshId.slice(0, 16)}`;
      return {
        id,
        mesh: await storeArtifact(artifacts, `${id}.json`, serializeMesh(mesh), 'application/json'),
        nodes: mesh.nodes.length,
        elements: mesh.elements.length,
      };
    },
  }),
]);
