// The document of GET /api/graph, in columns. The part that follows the definitions alone (keys,
// groups, layout, kinds, edges) is built and serialized once per graph; each request adds the
// status columns, so its JSON is a short stringify of integer arrays appended to a cached string.
import type { AssetGraph } from '../../graph/index.js';
import { layeredLayout } from '../../graph/index.js';
import {
  STALE_CATEGORY_ORDER,
  type AssetStatusSummary,
  type StatusTotals,
} from '../../planner/index.js';
import { graphTotalsJson } from './asset-json.js';
import { assetStatusJson } from './asset-status.js';

// New names go at the end: clients read the columns as indexes into these lists.
const STATE_NAMES = ['fresh', 'stale', 'missing', 'running', 'failed', 'empty', 'blocked'] as const;
const STATUS_NAMES = ['fresh', 'stale', 'missing', 'empty', 'blocked'] as const;

/** The definition part of each graph, as a JSON fragment (no braces), built once. */
const definitionParts = new WeakMap<AssetGraph, string>();

/** The fields that follow from the definitions, as `"keys":[…],…` (no braces). */
function definitionPart(graph: AssetGraph): string {
  const cached = definitionParts.get(graph);
  if (cached !== undefined) return cached;
  const keys = graph.order as readonly string[];
  const indexOf = new Map(keys.map((key, i) => [key, i]));
  const layout = layeredLayout(graph);
  const groupNames: string[] = [];
  const groupIndex = new Map<string, number>();
  const automationKinds: string[] = [];
  const columns = {
    group: [] as number[],
    layer: [] as number[],
    row: [] as number[],
    partitioned: [] as number[],
    source: [] as number[],
    automation: [] as number[],
  };
  const edges: number[] = [];
  const producerEdges: number[] = [];
  for (const key of graph.order) {
    const node = graph.node(key);
    const definition = node.definition;
    let group = groupIndex.get(definition.group);
    if (group === undefined) {
      group = groupNames.push(definition.group) - 1;
      groupIndex.set(definition.group, group);
    }
    const kind = definition.automation?.kind;
    let automation = kind === undefined ? -1 : automationKinds.indexOf(kind);
    if (kind !== undefined && automation < 0) automation = automationKinds.push(kind) - 1;
    const { layer, row } = layout.positions.get(key)!;
    columns.group.push(group);
    columns.layer.push(layer);
    columns.row.push(row);
    columns.partitioned.push(definition.partitions === undefined ? 0 : 1);
    columns.source.push(definition.observation === undefined ? 0 : 1);
    columns.automation.push(automation);
    const to = indexOf.get(key)!;
    for (const dep of node.dependencies) edges.push(indexOf.get(dep.key)!, to);
    const producer = node.partitionProducer;
    if (producer !== undefined && !node.dependencies.some((dep) => dep.key === producer))
      producerEdges.push(indexOf.get(producer)!, to);
  }
  const json = JSON.stringify({
    keys,
    groupNames,
    ...columns,
    automationKinds,
    edges,
    producerEdges,
    layout: { layers: layout.layers.length, maxRows: layout.maxRows },
    stateNames: STATE_NAMES,
    statusNames: STATUS_NAMES,
    causeNames: STALE_CATEGORY_ORDER,
  });
  const part = json.slice(1, -1);
  definitionParts.set(graph, part);
  return part;
}

/**
 * The JSON text of GET /api/graph without its time of evaluation and opening brace (what its
 * ETag is computed from): `summaries` in the graph's order, and their totals.
 */
export function graphColumnsJson(
  graph: AssetGraph,
  summaries: readonly AssetStatusSummary[],
  totals: StatusTotals,
): string {
  const keyIndex = new Map((graph.order as readonly string[]).map((key, i) => [key, i]));
  const reasons: string[] = [];
  const reasonIndex = new Map<string, number>();
  const status = {
    state: [] as number[],
    status: [] as number[],
    fresh: [] as number[],
    stale: [] as number[],
    missing: [] as number[],
    blocked: [] as number[],
    running: [] as number[],
    failed: [] as number[],
    total: [] as number[],
    mainCause: [] as number[],
    mainReason: [] as number[],
    awaitingProducer: [] as number[],
  };
  const freshness: { asset: number; freshness: unknown }[] = [];
  summaries.forEach((summary, asset) => {
    const counts = summary.counts;
    status.state.push(STATE_NAMES.indexOf(summary.state));
    status.status.push(STATUS_NAMES.indexOf(summary.status));
    status.fresh.push(counts.fresh);
    status.stale.push(counts.stale);
    status.missing.push(counts.missing);
    status.blocked.push(counts.blocked);
    status.running.push(counts.running);
    status.failed.push(counts.failed);
    status.total.push(counts.total);
    status.mainCause.push(
      summary.mainCause === null ? -1 : STALE_CATEGORY_ORDER.indexOf(summary.mainCause),
    );
    let reason = -1;
    if (summary.mainReason !== null) {
      reason = reasonIndex.get(summary.mainReason) ?? -1;
      if (reason < 0) {
        reason = reasons.push(summary.mainReason) - 1;
        reasonIndex.set(summary.mainReason, reason);
      }
    }
    status.mainReason.push(reason);
    status.awaitingProducer.push(
      summary.awaitingProducer === null ? -1 : (keyIndex.get(summary.awaitingProducer) ?? -1),
    );
    if (summary.freshness !== null)
      freshness.push({ asset, freshness: assetStatusJson(summary).freshness });
  });
  const dynamic = JSON.stringify({
    ...status,
    reasons,
    freshness,
    totals: graphTotalsJson(graph, totals),
  });
  return `${dynamic.slice(1, -1)},${definitionPart(graph)}}`;
}
