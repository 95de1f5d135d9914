// GET /api/asset-statuses?run=ID: the statuses a run's progress can change (its assets and
// everything downstream of them, which a new materialization can make stale), evaluated as
// GET /api/assets evaluates them. The graph page asks for these on each progress message
// instead of fetching the whole graph (8 MiB at 10,000 assets) again.
import { z } from 'zod';
import type { AssetKey } from '../../definitions/index.js';
import { computeStatus, loadPartitionActivity, summarizeAssets } from '../../planner/index.js';
import { ApiError } from '../api-error.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import { AssetStatusesResponse } from '../schemas/asset-status-schemas.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { integerParam } from '../validation.js';
import { assetStatusJson } from '../views/asset-status.js';

const listRunAssetStatuses = defineRoute({
  method: 'get',
  path: '/api/asset-statuses',
  operationId: 'listRunAssetStatuses',
  tag: 'assets',
  summary: "The statuses of a run's assets and of everything downstream of them",
  description:
    'The assets with a step in the run, and those downstream of them, each with the status ' +
    'summary of GET /api/assets (live run state included), in topological order.',
  query: z.strictObject({
    run: integerParam(1, Number.MAX_SAFE_INTEGER).meta({ description: 'the run' }),
  }),
  responses: [
    { status: 200, description: 'the statuses', schema: AssetStatusesResponse },
    { status: 400, description: 'invalid parameter', schema: ErrorResponse },
    { status: 404, description: 'unknown run', schema: ErrorResponse },
  ],
  async handle({ query, c, server }) {
    const { graph } = server;
    const [run, steps] = await Promise.all([
      server.db
        .selectFrom('strata_internal.runs')
        .select('id')
        .where('id', '=', query.run)
        .executeTakeFirst(),
      server.db
        .selectFrom('strata_internal.steps')
        .select('asset_key')
        .distinct()
        .where('run_id', '=', query.run)
        .execute(),
    ]);
    if (run === undefined)
      throw new ApiError(404, `run ${query.run} does not exist`, { field: 'run' });
    const touched = new Set<AssetKey>();
    for (const { asset_key: key } of steps) {
      if (!graph.has(key) || touched.has(key)) continue;
      touched.add(key);
      for (const below of graph.downstream(key)) touched.add(below);
    }
    const keys = graph.sortTopologically(touched);
    const [report, activity] = await Promise.all([
      computeStatus(server.db, graph, keys, server.now()),
      loadPartitionActivity(server.db, keys),
    ]);
    const { assets } = summarizeAssets(report, keys, { activity });
    return c.json({
      evaluatedAt: report.evaluatedAt,
      run: query.run,
      items: assets.map((summary) => ({ key: summary.key, status: assetStatusJson(summary) })),
    });
  },
});

/** The routes of run-scoped asset statuses. */
export const assetStatusRoutes: readonly ApiRoute[] = [listRunAssetStatuses];
