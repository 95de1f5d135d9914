// GET /api/search: what the UI's global search (Ctrl/Cmd-K) finds for a text — assets by key
// (ranked: equal, prefix, substring, fuzzy; from the graph in memory), a run and a
// materialization by id, plans by id prefix or title. Every list is bounded by `limit`.
import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { SearchResponse } from '../schemas/search-schemas.js';
import { integerParam } from '../validation.js';
import { rankKeys } from '../views/key-match.js';
import { findMaterializations, findPlans, findRuns, idOf } from '../views/search-query.js';

/** Hits per kind when `limit` is not given, and the most a caller may ask for. */
const DEFAULT_LIMIT = 8;
const MAX_LIMIT = 50;

const search = defineRoute({
  method: 'get',
  path: '/api/search',
  operationId: 'search',
  tag: 'search',
  summary: 'Assets, runs, materializations and plans matching a text',
  description:
    'Assets whose key matches the text (equal, prefix of the key or a segment, substring, then ' +
    'its characters in order), best first; the run and the materialization whose id is the ' +
    'text (`42` or `#42`); plans whose id starts with the text or whose title contains it, ' +
    'newest first. At most `limit` of each kind.',
  query: z.strictObject({
    q: z
      .string()
      .trim()
      .min(1, 'expected a text to search for')
      .max(200)
      .meta({ description: 'the text: part of a key, an id, a plan title' }),
    limit: integerParam(1, MAX_LIMIT)
      .optional()
      .meta({ description: `hits per kind (default ${DEFAULT_LIMIT})` }),
  }),
  responses: [
    { status: 200, description: 'what matches', schema: SearchResponse },
    {
      status: 400,
      description: 'an empty or too long text, or a bad limit',
      schema: ErrorResponse,
    },
  ],
  async handle({ query, c, server }) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const id = idOf(query.q);
    const assets = rankKeys(server.graph.order, query.q);
    const [runs, materializations, plans] = await Promise.all([
      id === undefined ? [] : findRuns(server.db, id),
      id === undefined ? [] : findMaterializations(server.db, id),
      findPlans(server.db, query.q, limit),
    ]);
    return c.json({
      query: query.q,
      assets: assets
        .slice(0, limit)
        .map((hit) => ({ ...hit, group: server.graph.node(hit.key).definition.group })),
      assetMatches: assets.length,
      runs,
      materializations,
      plans,
    });
  },
});

/** The search route. */
export const searchRoutes: readonly ApiRoute[] = [search];
