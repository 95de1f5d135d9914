// Schemas of the selection route.
import { z } from 'zod';
import { named } from './registry.js';

/** GET /api/selection. */
export const SelectionResponse = named(
  'Selection',
  z.object({
    keys: z.array(z.string()).meta({ description: 'selected asset keys, in topological order' }),
    partitions: z.record(z.string(), z.array(z.string())).meta({
      description: 'partition restrictions of key[p1,p2] terms: asset -> partitions selected',
    }),
  }),
);
