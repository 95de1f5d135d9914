// GET /api/materializations/{id}/lineage: the exact materializations upstream or downstream of
// one, to a depth (loadLineage).
import { z } from 'zod';
import { loadLineage } from '../../provenance/index.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { LineageResponse } from '../schemas/materialization-schemas.js';
import { integerParam } from '../validation.js';
import { materializationParams } from './materializations.js';

/** The deepest walk a client may ask for (the graph's depth is rarely more than a few dozen). */
const MAX_DEPTH = 10_000;

const getLineage = defineRoute({
  method: 'get',
  path: '/api/materializations/{id}/lineage',
  operationId: 'getLineage',
  tag: 'materializations',
  summary: 'The instance-level lineage of one materialization',
  description:
    'Nodes (with their distance `depth` from the root) and input edges `from` -> `to`. ' +
    'Without `depth` the whole closure is walked.',
  params: materializationParams,
  query: z.strictObject({
    direction: z.enum(['upstream', 'downstream']).optional().meta({
      description: 'upstream (inputs, default) or downstream (consumers)',
    }),
    depth: integerParam(0, MAX_DEPTH).optional().meta({
      description: 'levels to walk (1 = direct inputs or consumers); default: all',
    }),
  }),
  responses: [
    { status: 200, description: 'the lineage', schema: LineageResponse },
    { status: 400, description: 'invalid parameter', schema: ErrorResponse },
    { status: 404, description: 'unknown materialization', schema: ErrorResponse },
  ],
  async handle({ params, query, c, server }) {
    const lineage = await loadLineage(server.db, {
      materializationId: params.id,
      direction: query.direction ?? 'upstream',
      ...(query.depth === undefined ? {} : { depth: query.depth }),
    });
    return c.json({
      ...lineage,
      nodes: lineage.nodes.map(({ partitionKey, ...node }) => ({
        ...node,
        partition: partitionKey,
      })),
    });
  },
});

/** The lineage routes. */
export const lineageRoutes: readonly ApiRoute[] = [getLineage];
