// The status tools: `status` (assets, or one asset's partitions, with what is missing or stale
// and why) pages the planner's status document; `why` answers with the planner's why document
// of one asset partition, the same as `strata why --json` but listing at most
// MAX_LISTED_ROOT_CAUSES root causes (rootCausesOmitted counts the rest).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AssetKey } from '../definitions/index.js';
import { resolveSelection, type ResolvedSelection } from '../graph/index.js';
import {
  countableAssets,
  statusWithVerdicts,
  MAX_LISTED_ROOT_CAUSES,
  plainFreshness,
  STALE_CATEGORY_ORDER,
  statusDocument,
  whyDocument,
  type AssetStatusView,
  type PartitionStatusView,
  type StaleCause,
  type StatusDocument,
} from '../planner/index.js';
import { assetNodeOf, parseAssetPartition } from '../provenance/index.js';
import type { ReadToolsContext } from './read-tools.js';
import {
  answer,
  badArgument,
  blamed,
  guarded,
  nextOffset,
  pageArguments,
  withoutNulls,
  type ToolResult,
  READ_ONLY,
} from './tool-results.js';

/** At most this many groups of causes are listed per asset. */
const MAX_CAUSE_GROUPS = 5;

const statusInput = z.strictObject({
  selection: z
    .string()
    .min(1)
    .max(2_000)
    .optional()
    .describe(
      "assets in the CLI's selection syntax: key, prefix/*, +key (with upstream), key+ " +
        '(downstream), group:name, key[p1,p2]; terms joined by commas. Default: every asset',
    ),
  asset: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('one asset key: page over its partitions, each with its causes, instead of assets'),
  status: z
    .enum(['fresh', 'stale', 'missing', 'blocked'])
    .optional()
    .describe('only assets (or partitions) with this status'),
  ...pageArguments,
});

/** Registers `status` and `why` on `server`. */
export function registerStatusTools(server: McpServer, context: ReadToolsContext): void {
  const { graph, db } = context;
  server.registerTool(
    'status',
    {
      description:
        'Which assets are fresh, stale, missing or blocked (a blocking check failed on the latest ' +
        'materialization), and why: per asset its partition counts, check verdicts, last ' +
        'materialization, main cause and causes grouped; with `asset`, that asset’s partitions ' +
        'with their causes. Paginated (offset, limit; `next` is the following offset or null).',
      inputSchema: statusInput,
      annotations: READ_ONLY,
    },
    async (args) =>
      guarded(async () => {
        if (args.asset !== undefined && args.selection !== undefined)
          throw badArgument(
            'asset',
            'give either asset or selection, not both',
            'asset pages over the partitions of one asset, selection over assets',
          );
        const selection = await blamed(args.asset === undefined ? 'selection' : 'asset', () =>
          args.asset === undefined
            ? resolveSelection(graph, args.selection)
            : oneAsset(assetNodeOf(graph, args.asset).key),
        );
        // One asset is paged over every partition; a selection is summarized per asset.
        const { report, verdicts } = await statusWithVerdicts(
          db,
          graph,
          selection.keys,
          context.now(),
          args.asset === undefined ? { bulk: countableAssets(selection) } : {},
        );
        const document = statusDocument(report, selection, verdicts);
        return args.asset === undefined
          ? assetsPage(document, args)
          : partitionsPage(document.assets[0]!, document, args);
      }),
  );

  server.registerTool(
    'why',
    {
      description:
        'Why one asset partition is stale or missing: its status, latest materialization, ' +
        'direct causes, root causes (walked upstream to their origins; at most ' +
        `${MAX_LISTED_ROOT_CAUSES}, rootCausesOmitted counts the rest) and freshness against ` +
        'its policy with what to rebuild. The same document as `strata why --json`.',
      inputSchema: z.strictObject({
        asset: z
          .string()
          .min(1)
          .max(300)
          .describe('KEY, or KEY[PARTITION] for a partitioned asset: metrics[d03]'),
      }),
      annotations: READ_ONLY,
    },
    async ({ asset }) =>
      guarded(async () => {
        const target = await blamed('asset', () => parseAssetPartition(asset));
        const node = await blamed('asset', () => assetNodeOf(graph, target.key));
        const { report, verdicts } = await statusWithVerdicts(db, graph, [node.key], context.now());
        return answer(
          await blamed('asset', () =>
            whyDocument(
              report,
              node.key,
              target.partition,
              MAX_LISTED_ROOT_CAUSES,
              verdicts?.get(node.key)?.get(target.partition),
            ),
          ),
        );
      }),
  );
}

/** The selection of one asset, all its partitions. */
function oneAsset(key: AssetKey): ResolvedSelection {
  return { keys: [key], partitions: new Map(), text: key };
}

type PageArgs = z.infer<typeof statusInput>;

function assetsPage(document: StatusDocument, args: PageArgs): ToolResult {
  const assets = document.assets.filter(
    (a) => args.status === undefined || a.status === args.status,
  );
  const { freshness, ...totals } = document.totals;
  const policies = freshness.pass + freshness.warn + freshness.fail;
  return answer({
    selection: document.selection,
    evaluatedAt: document.evaluatedAt,
    totals: policies === 0 ? totals : document.totals,
    assets: assets.slice(args.offset, args.offset + args.limit).map(assetEntry),
    total: assets.length,
    next: nextOffset(args.offset, args.limit, assets.length),
  });
}

function partitionsPage(asset: AssetStatusView, document: StatusDocument, args: PageArgs) {
  const partitions = asset.partitions.filter(
    (p) => args.status === undefined || p.status === args.status,
  );
  return answer({
    evaluatedAt: document.evaluatedAt,
    ...assetEntry(asset),
    partitions: partitions.slice(args.offset, args.offset + args.limit).map(partitionEntry),
    total: partitions.length,
    next: nextOffset(args.offset, args.limit, partitions.length),
  });
}

/** An asset without its partitions, its causes grouped over them. */
function assetEntry(asset: AssetStatusView) {
  const { partitions: _partitions, freshness, ...rest } = asset;
  const causes = causeGroups(asset);
  return {
    ...withoutNulls(rest),
    ...(freshness === null ? {} : { freshness: withoutNulls(freshness) }),
    ...(causes.length === 0 ? {} : { causes }),
  };
}

function partitionEntry(partition: PartitionStatusView) {
  const { causes, freshness, ...rest } = partition;
  return {
    ...withoutNulls(rest),
    ...(causes.length === 0 ? {} : { causes: causes.map(shortCause) }),
    ...(freshness === null ? {} : { freshness: withoutNulls(plainFreshness(freshness)) }),
  };
}

/** A cause in words, with its category and the dependency it is about. */
function shortCause(cause: StaleCause) {
  return {
    category: cause.category,
    ...('dependency' in cause ? { dependency: cause.dependency } : {}),
    reason: cause.reason,
  };
}

/** The causes of an asset's partitions grouped by category and dependency, most common first. */
function causeGroups(asset: AssetStatusView) {
  const groups = new Map<string, ReturnType<typeof shortCause> & { partitions: number }>();
  for (const partition of asset.partitions) {
    for (const cause of partition.causes) {
      const id = `${cause.category}\u0000${'dependency' in cause ? cause.dependency : ''}`;
      const group = groups.get(id);
      if (group) group.partitions++;
      else groups.set(id, { ...shortCause(cause), partitions: 1 });
    }
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        STALE_CATEGORY_ORDER.indexOf(a.category) - STALE_CATEGORY_ORDER.indexOf(b.category) ||
        b.partitions - a.partitions,
    )
    .slice(0, MAX_CAUSE_GROUPS)
    .map(({ partitions, ...cause }) => (asset.partitioned ? { ...cause, partitions } : cause));
}
