// GET /api/materializations/{id}: everything recorded about one materialization (inputs, tool
// calls, artifacts, run, attempt, host, git commit) and what depends on it (direct consumers).
import { z } from 'zod';
import { formatAssetPartition } from '../../graph/index.js';
import { loadLineage, loadProvenance, resolveMaterialization } from '../../provenance/index.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { ProvenanceResponse } from '../schemas/materialization-schemas.js';

/** The `{id}` path parameter of materialization routes. */
export const materializationParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'expected a materialization id (a positive integer)')
    .transform(Number)
    .meta({ description: 'the materialization id' }),
});

const getMaterialization = defineRoute({
  method: 'get',
  path: '/api/materializations/{id}',
  operationId: 'getMaterialization',
  tag: 'materializations',
  summary: 'The provenance of one materialization and its direct consumers',
  params: materializationParams,
  responses: [
    { status: 200, description: 'the provenance', schema: ProvenanceResponse },
    { status: 400, description: 'malformed id', schema: ErrorResponse },
    { status: 404, description: 'unknown materialization', schema: ErrorResponse },
  ],
  async handle({ params, c, server }) {
    const provenance = await loadProvenance(server.db, params.id);
    const [downstream, latest] = await Promise.all([
      loadLineage(server.db, { materializationId: params.id, direction: 'downstream', depth: 1 }),
      resolveMaterialization(
        server.db,
        undefined,
        formatAssetPartition(provenance.assetKey, provenance.partitionKey ?? ''),
      ),
    ]);
    const byId = new Map(downstream.nodes.map((node) => [node.materializationId, node]));
    const consumers = downstream.edges
      .filter((edge) => edge.from === params.id)
      .map((edge) => {
        const node = byId.get(edge.to)!;
        return {
          materializationId: node.materializationId,
          assetKey: node.assetKey,
          partition: node.partitionKey,
          inputName: edge.inputName,
          runId: node.runId,
          materializedAt: node.materializedAt,
        };
      });
    const { partitionKey, inputs, artifacts, ...rest } = provenance;
    return c.json({
      ...rest,
      partition: partitionKey,
      isLatest: latest.materializationId === provenance.materializationId,
      inputs: inputs.map(({ partitionKey: partition, ...input }) => ({ ...input, partition })),
      artifacts: artifacts.map((artifact) => ({
        ...artifact,
        url: `/api/artifacts/${artifact.sha256}`,
      })),
      consumers,
    });
  },
});

/** The materialization routes. */
export const materializationRoutes: readonly ApiRoute[] = [getMaterialization];
