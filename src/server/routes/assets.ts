// Asset routes: the graph with statuses, one asset's definition and causes, its partitions and
// its materialization history. Keys contain '/', so they travel URL-encoded as one path segment
// (`/api/assets/sim%2Fmesh`).
import { z } from 'zod';
import { partitionKeyProblem, type AssetKey } from '../../definitions/index.js';
import { layeredLayout, UNPARTITIONED } from '../../graph/index.js';
import {
  activityOf,
  computeStatus,
  evaluateFreshness,
  loadPartitionActivity,
  resolvePartitionSets,
  statusOf,
  summarizeAssets,
} from '../../planner/index.js';
import { assetNodeOf } from '../../provenance/index.js';
import { closest } from '../../util/closest.js';
import { ApiError } from '../api-error.js';
import { toApiError } from '../error-response.js';
import { decodeCursor, DEFAULT_PAGE_LIMIT, pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type ApiRoute } from '../route-spec.js';
import {
  AssetDetailResponse,
  AssetGraphResponse,
  MaterializationPage,
  PartitionPage,
} from '../schemas/asset-schemas.js';
import { ErrorResponse } from '../schemas/common-schemas.js';
import { FreshnessState } from '../schemas/freshness-schemas.js';
import type { ServerContext } from '../server-context.js';
import {
  assetEdgesJson,
  graphTotalsJson,
  assetNodeJson,
  definitionJson,
} from '../views/asset-json.js';
import {
  assetRootCauses,
  assetStatus,
  assetStatusJson,
  causeSummaries,
  partitionJson,
  rootCauseJson,
} from '../views/asset-status.js';
import { loadHistory } from '../views/history-query.js';
import { checkVerdicts } from '../views/check-json.js';

const keyParams = z.object({
  key: z.string().min(1).max(200).meta({
    description: "the asset key, URL-encoded as one segment ('/' as %2F): sim%2Fmesh",
  }),
});

const notFound = { status: 404, description: 'unknown asset', schema: ErrorResponse } as const;
const badInput = { status: 400, description: 'invalid parameter', schema: ErrorResponse } as const;

/** The graph node of a key from the path, as a 404 naming the closest key when unknown. */
function nodeOf(server: ServerContext, key: string) {
  try {
    return assetNodeOf(server.graph, key);
  } catch (error) {
    throw toApiError(error, 'key');
  }
}

const listAssets = defineRoute({
  method: 'get',
  path: '/api/assets',
  operationId: 'listAssets',
  tag: 'assets',
  summary: 'The asset graph with the status of every asset',
  description:
    'Nodes in topological order with their definitions, dependencies, status summaries with ' +
    'live run state (one set-based status evaluation of every asset, done again only when the ' +
    'latest materializations or dynamic partitions changed; one query of running and failed ' +
    'steps) and positions in a layered layout, and the edges between them. The graph page ' +
    'reads the slimmer GET /api/graph.',
  responses: [{ status: 200, description: 'the asset graph', schema: AssetGraphResponse }],
  async handle({ c, server }) {
    const { graph } = server;
    const [report, activity] = await Promise.all([
      server.statuses.report(server.now()),
      loadPartitionActivity(server.db),
    ]);
    const { assets, totals } = summarizeAssets(report, graph.order, { activity });
    const nodes = assets.map((summary) =>
      assetNodeJson(graph, graph.node(summary.key), assetStatusJson(summary)),
    );
    const layout = layeredLayout(graph);
    return c.json({
      evaluatedAt: report.evaluatedAt,
      nodes,
      edges: assetEdgesJson(graph),
      layout: { layers: layout.layers.length, maxRows: layout.maxRows },
      totals: graphTotalsJson(graph, totals),
    });
  },
});

const getAsset = defineRoute({
  method: 'get',
  path: '/api/assets/{key}',
  operationId: 'getAsset',
  tag: 'assets',
  summary: 'One asset: definition, status, causes in words and root causes',
  params: keyParams,
  responses: [{ status: 200, description: 'the asset', schema: AssetDetailResponse }, notFound],
  async handle({ params, c, server }) {
    const node = nodeOf(server, params.key);
    const [report, activity, verdicts] = await Promise.all([
      computeStatus(server.db, server.graph, [node.key], server.now()),
      loadPartitionActivity(server.db, [node.key]),
      checkVerdicts(server, node.key),
    ]);
    const partitioned = node.definition.partitions !== undefined;
    const one = partitioned ? undefined : statusOf(report, node.key, UNPARTITIONED);
    const { roots, truncated, omitted } = assetRootCauses(report, node.key);
    return c.json({
      ...assetNodeJson(server.graph, node, assetStatus(report, node.key, activity)),
      ...definitionJson(server.graph, node.definition),
      partition:
        one === undefined
          ? null
          : partitionJson(
              false,
              UNPARTITIONED,
              one,
              activityOf(activity, node.key, UNPARTITIONED),
              evaluateFreshness(report, node.key)?.partitions.get(UNPARTITIONED) ?? null,
              verdicts.get(UNPARTITIONED),
            ),
      causes: causeSummaries(report, node.key),
      rootCauses: roots.map((root) => rootCauseJson(report, root)),
      rootCausesTruncated: truncated,
      rootCausesOmitted: omitted,
    });
  },
});

const listPartitions = defineRoute({
  method: 'get',
  path: '/api/assets/{key}/partitions',
  operationId: 'listPartitions',
  tag: 'assets',
  summary: 'The partitions of an asset with their status and latest materialization',
  description:
    'In the natural order of the partition set (an unpartitioned asset has one entry with ' +
    'partition null), each with its live run state (`activity`) and its freshness against the ' +
    "asset's policy (null without one) and the latest verdict of each check on its latest " +
    'materialization; `status` keeps only partitions with that status (fresh, stale, missing, ' +
    'blocked) or activity (running, failed), `freshness` those in that freshness state, ' +
    '`checks=failing` those a check failed on.',
  params: keyParams,
  query: z.strictObject({
    status: z.enum(['fresh', 'stale', 'missing', 'blocked', 'running', 'failed']).optional(),
    freshness: FreshnessState.optional(),
    checks: z.enum(['failing']).optional(),
    ...pageQuery,
  }),
  responses: [
    { status: 200, description: 'a page of partitions', schema: PartitionPage },
    badInput,
    notFound,
  ],
  async handle({ params, query, c, server }) {
    const node = nodeOf(server, params.key);
    const [report, activity, verdicts] = await Promise.all([
      computeStatus(server.db, server.graph, [node.key], server.now()),
      loadPartitionActivity(server.db, [node.key]),
      checkVerdicts(server, node.key),
    ]);
    const partitioned = node.definition.partitions !== undefined;
    const after = decodeCursor(query.cursor, 'after', 'string');
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const freshness = evaluateFreshness(report, node.key);
    if (query.freshness !== undefined && freshness === null) {
      throw new ApiError(
        400,
        `invalid query parameter freshness: asset ${node.key} has no freshness policy`,
        { field: 'freshness', hint: 'omit freshness for an asset without a policy' },
      );
    }
    const entries = [...(report.statuses.get(node.key) ?? [])];
    let start = 0;
    if (after !== undefined) {
      const index = entries.findIndex(([partition]) => partition === after);
      if (index < 0) {
        throw new ApiError(
          400,
          `invalid query parameter cursor: partition ${after} no longer exists`,
          {
            field: 'cursor',
            hint: 'the partition set changed; start again without a cursor',
          },
        );
      }
      start = index + 1;
    }
    const rows: { key: string; json: ReturnType<typeof partitionJson> }[] = [];
    for (let i = start; i < entries.length && rows.length <= limit; i++) {
      const [partition, status] = entries[i]!;
      const partitionActivity = activityOf(activity, node.key, partition);
      const wanted = query.status;
      if (wanted !== undefined && wanted !== status.status && wanted !== partitionActivity)
        continue;
      const partitionFreshness = freshness?.partitions.get(partition) ?? null;
      if (query.freshness !== undefined && partitionFreshness?.state !== query.freshness) continue;
      const json = partitionJson(
        partitioned,
        partition,
        status,
        partitionActivity,
        partitionFreshness,
        verdicts.get(partition),
      );
      if (query.checks === 'failing' && !json.checks.some((c) => !c.passed)) continue;
      rows.push({ key: partition, json });
    }
    const page = pageOf(rows, limit, (last) => ({ after: last.key }));
    return c.json({ items: page.items.map((row) => row.json), nextCursor: page.nextCursor });
  },
});

const listMaterializations = defineRoute({
  method: 'get',
  path: '/api/assets/{key}/materializations',
  operationId: 'listAssetMaterializations',
  tag: 'assets',
  summary: 'The materialization history of an asset, newest first, with metadata',
  description:
    'Every materialization ever recorded (of one partition with `partition`), for history ' +
    'tables and plots of numeric metadata over time.',
  params: keyParams,
  query: z.strictObject({
    partition: z.string().min(1).max(128).optional(),
    ...pageQuery,
  }),
  responses: [
    { status: 200, description: 'a page of materializations', schema: MaterializationPage },
    badInput,
    { status: 404, description: 'unknown asset or partition', schema: ErrorResponse },
  ],
  async handle({ params, query, c, server }) {
    const node = nodeOf(server, params.key);
    const partition = await checkPartition(server, node.key, query.partition);
    const beforeId = decodeCursor(query.cursor, 'before', 'number');
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await loadHistory(server.db, {
      assetKey: node.key,
      partition: node.definition.partitions === undefined ? UNPARTITIONED : partition,
      beforeId,
      limit: limit + 1,
    });
    if (rows.length === 0 && partition !== undefined && beforeId === undefined)
      await requireKnownPartition(server, node.key, partition);
    return c.json(pageOf(rows, limit, (last) => ({ before: last.materializationId })));
  },
});

/** Validates the `partition` parameter against the asset's kind. */
async function checkPartition(
  server: ServerContext,
  key: AssetKey,
  partition: string | undefined,
): Promise<string | undefined> {
  if (partition === undefined) return undefined;
  if (server.graph.node(key).definition.partitions === undefined) {
    throw new ApiError(400, `invalid query parameter partition: asset ${key} is not partitioned`, {
      field: 'partition',
      hint: 'omit partition for an unpartitioned asset',
    });
  }
  const problem = partitionKeyProblem(partition);
  if (problem !== undefined)
    throw new ApiError(400, `invalid query parameter partition: ${problem}`, {
      field: 'partition',
    });
  return partition;
}

/** 404 (with the closest partition) unless `partition` is in the asset's current set. */
async function requireKnownPartition(
  server: ServerContext,
  key: AssetKey,
  partition: string,
): Promise<void> {
  const sets = await resolvePartitionSets(server.db, server.graph, [key]);
  const keys = sets.get(key)?.keys ?? [];
  if (keys.includes(partition)) return;
  const match = closest(partition, keys);
  throw new ApiError(404, `asset ${key} has no partition ${JSON.stringify(partition)}`, {
    field: 'partition',
    ...(match === undefined ? {} : { hint: `did you mean ${match}?` }),
  });
}

/** The asset routes, in the order of the OpenAPI document. */
export const assetRoutes: readonly ApiRoute[] = [
  listAssets,
  getAsset,
  listPartitions,
  listMaterializations,
];
