// Schemas of the search route: what the UI's global search (Ctrl/Cmd-K) finds for a text.
import { z } from 'zod';
import { PLAN_STATES } from '../../plans/index.js';
import { Timestamp } from './common-schemas.js';
import { named } from './registry.js';

/** An asset whose key matches. */
export const SearchAssetHit = named(
  'SearchAssetHit',
  z.object({
    key: z.string(),
    group: z.string(),
    match: z.enum(['exact', 'prefix', 'substring', 'fuzzy']).meta({
      description:
        'how the key matches: equal, starts with the text (or a segment does), contains it, ' +
        'or holds its characters in order',
    }),
  }),
);

/** A run whose id is the text. */
export const SearchRunHit = named(
  'SearchRunHit',
  z.object({
    runId: z.number().int(),
    status: z.enum(['running', 'succeeded', 'failed', 'canceled']),
    selection: z.string(),
    createdAt: Timestamp,
  }),
);

/** A materialization whose id is the text. */
export const SearchMaterializationHit = named(
  'SearchMaterializationHit',
  z.object({
    materializationId: z.number().int(),
    assetKey: z.string(),
    partition: z.string().nullable(),
    finishedAt: Timestamp,
  }),
);

/** A plan whose id starts with the text or whose title contains it. */
export const SearchPlanHit = named(
  'SearchPlanHit',
  z.object({
    id: z.string(),
    title: z.string(),
    state: z.enum(PLAN_STATES),
    proposedAt: Timestamp,
  }),
);

/** GET /api/search. */
export const SearchResponse = named(
  'SearchResult',
  z.object({
    query: z.string().meta({ description: 'the text searched for, trimmed' }),
    assets: z.array(SearchAssetHit).meta({ description: 'best matches first' }),
    assetMatches: z
      .number()
      .int()
      .meta({ description: 'how many assets match in all (assets holds at most limit)' }),
    runs: z.array(SearchRunHit),
    materializations: z.array(SearchMaterializationHit),
    plans: z.array(SearchPlanHit).meta({ description: 'newest first' }),
  }),
);
