// The schema of GET /api/asset-statuses: the statuses a run's progress can change, so a page
// showing the whole graph updates what changed instead of fetching the graph again.
import { z } from 'zod';
import { named } from './registry.js';
import { AssetStatusSummary } from './asset-schemas.js';
import { Timestamp } from './common-schemas.js';

export const AssetStatusesResponse = named(
  'AssetStatusesResponse',
  z.object({
    evaluatedAt: Timestamp,
    run: z.number().int().meta({ description: 'the run whose assets these are' }),
    items: z.array(
      z.object({
        key: z.string(),
        status: AssetStatusSummary,
      }),
    ),
  }),
  "the statuses of a run's assets and of everything downstream of them",
);
