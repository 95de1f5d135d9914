// The JSON of assets as the API shows them: graph nodes and edges, and the full definition of
// one asset (its output schema as JSON Schema, with a fallback when it cannot be represented).
import { z } from 'zod';
import type {
  AnyAssetDefinition,
  AutomationPolicy,
  DimensionPartitions,
  ObservationPolicy,
  PartitionsDefinition,
  PartitionMapping,
} from '../../definitions/index.js';
import { layeredLayout, type AssetGraph, type AssetNode } from '../../graph/index.js';
import type { StatusTotals } from '../../planner/index.js';
import { durationInWords } from '../../util/duration-text.js';
import type { AssetStatusJson } from './asset-status.js';
import { assetCheckJson } from './check-json.js';

/** A partition set that may be a dimension, as JSON. */
function dimensionJson(partitions: DimensionPartitions) {
  switch (partitions.kind) {
    case 'static':
      return { kind: 'static' as const, keys: [...partitions.keys] };
    case 'dynamic':
      return { kind: 'dynamic' as const, name: partitions.name };
    case 'time-window': {
      const { granularity, cron, start, end, timezone, endOffset } = partitions;
      const kind = 'time-window' as const;
      return {
        kind,
        granularity,
        cron: cron ?? null,
        start,
        end: end ?? null,
        timezone,
        endOffset,
      };
    }
  }
}

/** How an asset is partitioned, without the producer's function source. */
export function partitionsJson(partitions: PartitionsDefinition | undefined) {
  if (partitions === undefined) return null;
  switch (partitions.kind) {
    case 'produced':
      return { kind: 'produced' as const, producer: partitions.producer.key as string };
    case 'multi':
      return {
        kind: 'multi' as const,
        dimensions: partitions.dimensions.map((d) => ({
          name: d.name,
          partitions: dimensionJson(d.partitions),
        })),
      };
    default:
      return dimensionJson(partitions);
  }
}

/** An automation policy with its meaning in words (schema AutomationPolicy), null without one. */
export function automationJson(policy: AutomationPolicy | undefined) {
  if (policy === undefined) return null;
  switch (policy.kind) {
    case 'eager':
      return {
        kind: policy.kind,
        cron: null,
        timezone: null,
        description: 'rebuilt by the automation daemon whenever a partition is missing or stale',
      };
    case 'on-cron':
      return {
        kind: policy.kind,
        cron: policy.cron,
        timezone: policy.timezone,
        description: `rebuilt by the automation daemon at each tick of ${policy.cron} (${policy.timezone}), once per tick, the partitions then missing or stale`,
      };
    case 'freshness':
      return {
        kind: policy.kind,
        cron: null,
        timezone: null,
        description:
          'rebuilt by the automation daemon before its freshness policy fails, with what that requires upstream',
      };
  }
}

/** One node of the asset graph (schema AssetNode), placed by the graph's layered layout. */
export function assetNodeJson(graph: AssetGraph, node: AssetNode, status: AssetStatusJson) {
  const definition = node.definition;
  const { layer, row } = layeredLayout(graph).positions.get(node.key)!;
  return {
    key: node.key as string,
    group: definition.group,
    description: definition.description ?? null,
    owners: [...definition.owners],
    tags: { ...definition.tags },
    partitioned: definition.partitions !== undefined,
    partitions: partitionsJson(definition.partitions),
    dependencies: node.dependencies.map((dep) => ({
      inputName: dep.inputName,
      key: dep.key as string,
      mapping: dep.mapping,
    })),
    dependants: [...node.dependants] as string[],
    partitionProducer: (node.partitionProducer as string | undefined) ?? null,
    order: node.order,
    layout: { layer, row },
    status,
    automation: automationJson(definition.automation),
    source: sourceJson(definition.observation),
  };
}

/** How a source asset is observed (schema SourceObservation), null for a computed asset. */
function sourceJson(observation: ObservationPolicy | undefined) {
  if (observation === undefined) return null;
  const { everyMs } = observation;
  return {
    observeEveryMs: everyMs ?? null,
    description:
      everyMs === undefined
        ? 'observed at every tick of the automation daemon, and before every run that reads it'
        : `observed by the automation daemon at most every ${durationInWords(everyMs)}, and before every run that reads it`,
  };
}

/** Every edge of the graph: data dependencies, then partition-producer edges. */
export function assetEdgesJson(graph: AssetGraph) {
  const edges: {
    from: string;
    to: string;
    kind: 'data' | 'partitions';
    inputName: string | null;
    mapping: PartitionMapping | null;
  }[] = [];
  for (const key of graph.order) {
    const node = graph.node(key);
    for (const dep of node.dependencies)
      edges.push({
        from: dep.key,
        to: key,
        kind: 'data',
        inputName: dep.inputName,
        mapping: dep.mapping,
      });
    const producer = node.partitionProducer;
    if (producer !== undefined && !node.dependencies.some((dep) => dep.key === producer))
      edges.push({ from: producer, to: key, kind: 'partitions', inputName: null, mapping: null });
  }
  return edges;
}

/** The output schema as JSON Schema, or null with the reason when zod cannot represent it. */
export function outputSchemaJson(definition: AnyAssetDefinition): {
  schema: unknown;
  schemaError: string | null;
} {
  try {
    return {
      schema: z.toJSONSchema(definition.schema as z.ZodType, {
        io: 'output',
        unrepresentable: 'any',
      }),
      schemaError: null,
    };
  } catch (error) {
    return { schema: null, schemaError: error instanceof Error ? error.message : String(error) };
  }
}

/** The definition fields of one asset beyond its node. */
export function definitionJson(graph: AssetGraph, definition: AnyAssetDefinition) {
  return {
    codeVersion: definition.codeVersion,
    codeVersionSource: definition.codeVersionSource,
    retry: { ...definition.retry },
    timeoutMs: definition.timeoutMs ?? null,
    pool: definition.pool ?? null,
    ...outputSchemaJson(definition),
    partitionsOf: [...graph.partitionedBy(definition.key)] as string[],
    checks: graph.checksOf(definition.key).map(assetCheckJson),
  };
}

/** The graph's totals as GET /api/assets and GET /api/graph answer them. */
export function graphTotalsJson(graph: AssetGraph, totals: StatusTotals) {
  const { fresh, stale, missing, blocked, running, failed, total } = totals.partitions;
  return {
    assets: graph.size,
    fresh,
    stale,
    missing,
    blocked,
    running,
    failed,
    partitions: total,
    freshness: totals.freshness,
  };
}
