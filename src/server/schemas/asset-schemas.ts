// Schemas of the asset routes: the graph, one asset, its partitions and its history.
import { z } from 'zod';
import {
  LatestVersion,
  pageSchema,
  RootCause,
  StaleCategory,
  StaleCause,
  StatusName,
  Timestamp,
} from './common-schemas.js';
import { AssetFreshness, PartitionFreshness } from './freshness-schemas.js';
import { named } from './registry.js';
import { AssetCheck, CheckResult } from './check-schemas.js';

/** How a dependant's partition reads its dependency's partitions (docs/semantics.md). */
const PartitionMappingName = z.enum([
  'identity',
  'single',
  'all',
  'producer',
  'produced',
  'window',
  'windows',
]);

/** A resolved dependency of an asset. */
export const AssetDependency = named(
  'AssetDependency',
  z.object({
    inputName: z.string(),
    key: z.string(),
    mapping: PartitionMappingName,
  }),
);

const StaticPartitionsJson = z.object({ kind: z.literal('static'), keys: z.array(z.string()) });
const DynamicPartitionsJson = z.object({ kind: z.literal('dynamic'), name: z.string() });
const TimeWindowPartitionsJson = z.object({
  kind: z.literal('time-window'),
  granularity: z.enum(['hourly', 'daily', 'weekly', 'monthly', 'cron']),
  cron: z.string().nullable(),
  start: z.string().meta({ description: 'local time YYYY-MM-DDTHH:mm of the timezone' }),
  end: z.string().nullable(),
  timezone: z.string(),
  endOffset: z.number().int(),
});

/** How an asset is partitioned. */
export const PartitionsDefinition = named(
  'PartitionsDefinition',
  z.discriminatedUnion('kind', [
    StaticPartitionsJson,
    DynamicPartitionsJson,
    z.object({ kind: z.literal('produced'), producer: z.string() }),
    TimeWindowPartitionsJson,
    z.object({
      kind: z.literal('multi'),
      dimensions: z.array(
        z.object({
          name: z.string(),
          partitions: z.discriminatedUnion('kind', [
            StaticPartitionsJson,
            DynamicPartitionsJson,
            TimeWindowPartitionsJson,
          ]),
        }),
      ),
    }),
  ]),
);

/** What the UI paints an asset as. */
export const AssetState = named(
  'AssetState',
  z.enum(['running', 'failed', 'missing', 'stale', 'fresh', 'empty', 'blocked']).meta({
    description: 'running if any partition runs, else failed if any failed, else the status',
  }),
);

/** Live run state of one partition. */
export const PartitionActivity = named(
  'PartitionActivity',
  z.enum(['running', 'failed']).meta({
    description:
      'running: a step of it is queued, running or retrying in a running run; failed: its most ' +
      'recent step failed and it was not materialized since (null in a response: neither)',
  }),
);

/** Where the layered layout draws a node. */
export const NodeLayout = named(
  'NodeLayout',
  z.object({
    layer: z.number().int().meta({
      description: 'column: 0 for sources, else 1 + the largest layer of its dependencies',
    }),
    row: z.number().int().meta({ description: 'position within its layer, from 0' }),
  }),
);

/** The status of an asset over its partitions. */
export const AssetStatusSummary = named(
  'AssetStatusSummary',
  z.object({
    status: z.enum(['fresh', 'stale', 'missing', 'empty', 'blocked']).meta({
      description:
        'the worst partition status (blocked > missing > stale > fresh); empty: no partitions yet',
    }),
    state: AssetState,
    fresh: z.number().int(),
    stale: z.number().int(),
    missing: z.number().int(),
    blocked: z.number().int().meta({
      description: 'partitions whose latest materialization failed a blocking check',
    }),
    running: z.number().int().meta({
      description: 'partitions with a step queued, running or retrying in a running run',
    }),
    failed: z.number().int().meta({
      description: 'partitions whose most recent step failed and that were not materialized since',
    }),
    total: z.number().int(),
    mainCause: StaleCategory.nullable().meta({
      description: 'the most common first cause among stale partitions',
    }),
    mainReason: z
      .string()
      .nullable()
      .meta({ description: 'an example of the main cause in words' }),
    lastMaterializedAt: Timestamp.nullable(),
    awaitingProducer: z.string().nullable(),
    freshness: AssetFreshness.nullable().meta({
      description: 'against its freshness policy; null when it has none',
    }),
  }),
);

/** Whether the automation daemon rebuilds an asset (docs/automation.md). */
export const AutomationPolicy = named(
  'AutomationPolicy',
  z.object({
    kind: z.string().meta({
      description:
        'eager: whenever a partition is missing or stale; on-cron: at each tick of `cron`; ' +
        'freshness: before its freshness policy fails (docs/automation.md)',
    }),
    cron: z.string().nullable().meta({ description: 'the schedule of on-cron, else null' }),
    timezone: z
      .string()
      .nullable()
      .meta({ description: 'the IANA timezone of cron (set exactly when cron is)' }),
    description: z.string().meta({ description: 'the policy in words' }),
  }),
);

/** How a source asset is observed (docs/semantics.md, "Source assets"). */
export const SourceObservation = named(
  'SourceObservation',
  z.object({
    observeEveryMs: z
      .number()
      .nullable()
      .meta({ description: 'observed at most this often by the daemon; null: every tick' }),
    description: z.string().meta({ description: 'how it is observed, in words' }),
  }),
);

/** One node of the asset graph. */
export const AssetNode = named(
  'AssetNode',
  z.object({
    key: z.string(),
    group: z.string(),
    description: z.string().nullable(),
    owners: z.array(z.string()),
    tags: z.record(z.string(), z.string()),
    partitioned: z.boolean(),
    partitions: PartitionsDefinition.nullable(),
    dependencies: z.array(AssetDependency),
    dependants: z.array(z.string()),
    partitionProducer: z.string().nullable(),
    order: z.number().int().meta({ description: 'position in the topological order' }),
    layout: NodeLayout,
    status: AssetStatusSummary,
    automation: AutomationPolicy.nullable().meta({
      description: 'its automation policy; null: never rebuilt without someone asking',
    }),
    source: SourceObservation.nullable().meta({
      description: 'set for a source asset: observed, never computed; null for computed assets',
    }),
  }),
);

/** One edge of the asset graph: `from` feeds `to`. */
export const AssetEdge = named(
  'AssetEdge',
  z.object({
    from: z.string(),
    to: z.string(),
    kind: z.enum(['data', 'partitions']).meta({
      description: 'data: an input; partitions: `from` produces the partition keys of `to`',
    }),
    inputName: z.string().nullable(),
    mapping: PartitionMappingName.nullable(),
  }),
);

/** The size of the layered layout (GET /api/assets and GET /api/graph). */
export const GraphLayout = z.object({
  layers: z.number().int().meta({ description: 'number of layers' }),
  maxRows: z.number().int().meta({ description: 'the size of the largest layer' }),
});

/** Partition counts by state over the whole graph (GET /api/assets and GET /api/graph). */
export const GraphTotals = z.object({
  assets: z.number().int(),
  fresh: z.number().int(),
  stale: z.number().int(),
  missing: z.number().int(),
  blocked: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
  partitions: z.number().int(),
  freshness: z
    .object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() })
    .meta({ description: 'assets with a freshness policy, by freshness state' }),
});

/** GET /api/assets. */
export const AssetGraphResponse = named(
  'AssetGraph',
  z.object({
    evaluatedAt: Timestamp,
    nodes: z.array(AssetNode),
    edges: z.array(AssetEdge),
    layout: GraphLayout,
    totals: GraphTotals,
  }),
);

/** A cause shared by several partitions of an asset. */
export const CauseSummary = named(
  'CauseSummary',
  z.object({
    category: StaleCategory,
    dependency: z.string().nullable(),
    partitions: z.number().int().meta({ description: 'how many partitions have this cause' }),
    reason: z.string().meta({ description: 'the cause in words, for one of them' }),
  }),
);

/** GET /api/assets/{key}. */
export const AssetDetailResponse = named(
  'AssetDetail',
  AssetNode.extend({
    codeVersion: z.string(),
    codeVersionSource: z.enum(['declared', 'heuristic']),
    retry: z.object({
      maxAttempts: z.number().int(),
      delayMs: z.number(),
      backoff: z.enum(['fixed', 'linear', 'exponential']),
      maxDelayMs: z.number(),
      jitter: z.number(),
    }),
    timeoutMs: z.number().nullable(),
    pool: z.string().nullable(),
    schema: z
      .unknown()
      .meta({ description: 'the output schema as JSON Schema (null if unrepresentable)' }),
    schemaError: z.string().nullable(),
    partitionsOf: z.array(z.string()).meta({
      description: 'assets whose partitions this asset produces',
    }),
    checks: z.array(AssetCheck).meta({ description: 'the checks it declares, by name' }),
    partition: z
      .object({
        status: StatusName,
        activity: PartitionActivity.nullable(),
        causes: z.array(StaleCause),
        latest: LatestVersion.nullable(),
        freshness: PartitionFreshness.nullable(),
        checks: z.array(CheckResult),
      })
      .nullable()
      .meta({ description: 'unpartitioned assets: the status of the one value' }),
    causes: z.array(CauseSummary),
    rootCauses: z.array(RootCause),
    rootCausesTruncated: z.boolean(),
    rootCausesOmitted: z.number().int().meta({
      description:
        'root causes found but left out of rootCauses (the walk also stops after 100 partitions)',
    }),
  }),
);

/** One partition and its status. */
export const PartitionItem = named(
  'PartitionStatus',
  z.object({
    partition: z.string().nullable(),
    status: StatusName,
    activity: PartitionActivity.nullable(),
    causes: z.array(StaleCause),
    latest: LatestVersion.nullable(),
    freshness: PartitionFreshness.nullable().meta({
      description: "against the asset's freshness policy; null when it has none",
    }),
    checks: z.array(CheckResult).meta({
      description: 'the latest verdict of each check on its latest materialization',
    }),
  }),
);

/** GET /api/assets/{key}/partitions. */
export const PartitionPage = pageSchema('PartitionPage', PartitionItem);

/** One materialization in an asset's history. */
export const MaterializationSummary = named(
  'MaterializationSummary',
  z.object({
    materializationId: z.number().int(),
    assetKey: z.string(),
    partition: z.string().nullable(),
    runId: z.number().int().nullable(),
    codeVersion: z.string(),
    dataVersion: z.string(),
    inputHash: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    reusedFrom: z.number().int().nullable(),
    valueSize: z.number().int(),
    valueArtifact: z.string().nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp,
    durationMs: z.number().nullable(),
  }),
);

/** GET /api/assets/{key}/materializations. */
export const MaterializationPage = pageSchema('MaterializationPage', MaterializationSummary);
