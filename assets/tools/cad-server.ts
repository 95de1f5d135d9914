// The CAD tool server (MCP over stdio, or Streamable HTTP with --http): turns design parameters
// into an immutable geometry revision of the 2D cantilever bracket: a revision id derived from
// the geometry, the geometry as JSON and a drawing (SVG) a person can open, both stored as
// artifacts.
import { artifactRefSchema } from 'strata';
import { z } from 'zod';
import { storeArtifact } from './artifact-ref.js';
import { canonicalGeometry, geometryId, geometrySvg, validateGeometry } from './fea/index.js';
import { serveTools, tool } from './tool-server-kit.js';

/** Bumped when the geometry this server builds from the same parameters changes. */
export const CAD_VERSION = '1.0.0';

await serveTools('cad', CAD_VERSION, [
  tool({
    name: 'make_geometry',
    description: 'Build the cantilever geometry revision for a design point',
    input: { length_m: z.number(), height_m: z.number(), thickness_m: z.number() },
    output: { id: z.string(), geometry: artifactRefSchema, drawing: artifactRefSchema },
    run: async (args, artifacts) => {
      const geometry = canonicalGeometry(
        validateGeometry({
          lengthM: args.length_m,
          heightM: args.height_m,
          thicknessM: args.thickness_m,
        }),
      );
      const id = `cad-${geometryId(geometry).slice(0, 16)}`;
      return {
        id,
        geometry: await storeArtifact(
          artifacts,
          `${id}.json`,
          JSON.stringify(geometry),
          'application/json',
        ),
        drawing: await storeArtifact(
          artifacts,
          `${id}.svg`,
          geometrySvg(geometry),
          'image/svg+xml',
        ),
      };
    },
  }),
]);
