// GET /api/selection: resolves the CLI's selection syntax against the graph, so the UI selects
// exactly what `strata materialize SELECTION` would; a bad selection is a 400 that names the
// column and suggests the closest name.
import { z } from 'zod';
import { resolveSelection, type ResolvedSelection } from '../../graph/index.js';
import { toApiError } from '../error-response.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { SelectionResponse } from '../schemas/selection-schemas.js';

/** Longer selections are refused, as by POST /api/runs: no one types them. */
const MAX_SELECTION_LENGTH = 10_000;

const resolveSelectionRoute = defineRoute({
  method: 'get',
  path: '/api/selection',
  operationId: 'resolveSelection',
  tag: 'assets',
  summary: 'The assets and partitions a selection stands for',
  description:
    'The selection syntax of the CLI: `key`, `prefix/*`, `+key` (with everything upstream), ' +
    '`2+key`, `key+`, `group:name`, `tag:k=v`, `owner:x`, `key[p1,p2]`, joined with commas. ' +
    'Empty or omitted: every asset. Keys come in topological order; `partitions` lists the ' +
    'restrictions of `key[...]` terms (an asset absent from it is not restricted).',
  query: z.strictObject({
    q: z
      .string()
      .max(MAX_SELECTION_LENGTH)
      .optional()
      .meta({ description: 'the selection, e.g. +pareto_front,group:cad' }),
  }),
  responses: [
    { status: 200, description: 'the selected assets', schema: SelectionResponse },
    {
      status: 400,
      description: 'a bad selection: the message names the column, the hint the closest name',
      schema: ErrorResponse,
    },
  ],
  handle({ query, c, server }) {
    let selection: ResolvedSelection;
    try {
      selection = resolveSelection(server.graph, query.q);
    } catch (error) {
      throw toApiError(error, 'q');
    }
    return c.json({
      keys: [...selection.keys] as string[],
      partitions: Object.fromEntries(
        [...selection.partitions].map(([key, partitions]) => [key, [...partitions]]),
      ),
    });
  },
});

/** The selection routes. */
export const selectionRoutes: readonly ApiRoute[] = [resolveSelectionRoute];
