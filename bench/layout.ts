// `npm run bench -- layout`: the lineage browser's layout against elkjs's layered algorithm, in
// Node, on the 10,000-asset fixture of the UI benchmarks (and its first layers, to see how each
// grows) and on the example study (assets/). Ours: the server's layered layout, the browser's
// compound layout (every group open) and edge routes around cards; elkjs: `layered`, direction
// RIGHT, orthogonal edges, cards of the same size and the same gaps. Both drawings are measured
// alike: edge crossing points and edges passing through a card that is not one of their ends.
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import exampleDefinitions from '../assets/index.js';
import { buildAssetGraph, computeLayeredLayout, type AssetGraph } from '../src/graph/index.js';
import { edgeRouter } from '../lineage/src/graph/edge-routes.js';
import type { GraphAsset, GraphDocument } from '../lineage/src/graph/graph-data.js';
import { buildGraphModel, NODE_HEIGHT, NODE_WIDTH } from '../lineage/src/graph/graph-model.js';
import { ROW_HEIGHT, COLUMN_WIDTH } from '../lineage/src/graph/group-layout.js';
import { graphOf } from './support/engine.js';
import {
  bezierPoints,
  layoutQuality,
  type DrawnEdge,
  type LayoutQuality,
} from './support/layout-quality.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { formatNumber, summarize, type Summary } from './support/stats.js';
import { largeGraphAssets, UI_LAYERS, UI_WIDTH } from './ui-fixture.js';

// elkjs's bundle is CommonJS whose typings claim a default export: load it as what it is.
const ElkConstructor = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new () => ELK;

/** elkjs is given this long at a size; larger sizes are skipped once one takes longer. */
const ELK_BUDGET_MS = 150_000;

/** The graph document the page would decode from GET /api/graph (statuses left blank). */
function documentOf(graph: AssetGraph): { document: GraphDocument; layoutMs: number } {
  const keys = graph.order as readonly string[];
  const indexOf = new Map(keys.map((key, i) => [key, i]));
  const pairs: [string, string][] = [];
  const edges: GraphDocument['edges'][number][] = [];
  for (const key of graph.order) {
    const node = graph.node(key);
    for (const dep of node.dependencies) {
      pairs.push([dep.key, key]);
      edges.push({ from: indexOf.get(dep.key)!, to: indexOf.get(key)!, partitions: false });
    }
    const producer = node.partitionProducer;
    if (producer !== undefined && !node.dependencies.some((dep) => dep.key === producer)) {
      pairs.push([producer, key]);
      edges.push({ from: indexOf.get(producer)!, to: indexOf.get(key)!, partitions: true });
    }
  }
  const start = performance.now();
  const layout = computeLayeredLayout(keys, pairs);
  const layoutMs = performance.now() - start;
  const nodes = keys.map(
    (key): GraphAsset =>
      ({
        key,
        group: graph.node(key as never).definition.group,
        partitioned: false,
        source: false,
        automation: null,
        layout: layout.positions.get(key)!,
        status: { state: 'missing', freshness: null },
      }) as unknown as GraphAsset,
  );
  return { document: { nodes, edges } as unknown as GraphDocument, layoutMs };
}

/** Ours, timed: the server's layers, the compound layout with every group open, every route. */
function ours(graph: AssetGraph): { ms: number; routeMs: number; measure: () => OurQuality } {
  const { document, layoutMs } = documentOf(graph);
  let start = performance.now();
  const model = buildGraphModel(document);
  const modelMs = performance.now() - start;
  start = performance.now();
  const router = edgeRouter(model);
  const routes = model.edges.map((_, i) => router.route(i));
  const routeMs = performance.now() - start;
  return {
    ms: layoutMs + modelMs + routeMs,
    routeMs,
    measure() {
      const cards = model.nodes.map((n) => ({
        x: n.x,
        y: n.y,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
      }));
      const curve = (from: number, to: number): number[] => {
        // As graph-renderer.ts drew every edge before routes (a same-row skip arcs over its row).
        const a = model.nodes[from]!;
        const b = model.nodes[to]!;
        const [x1, y1, x2, y2] = [
          a.x + NODE_WIDTH,
          a.y + NODE_HEIGHT / 2,
          b.x,
          b.y + NODE_HEIGHT / 2,
        ];
        const bend = Math.max(40, (x2 - x1) / 2);
        const lift = b.layer - a.layer > 1 && Math.abs(y2 - y1) < 1 ? ROW_HEIGHT * 0.8 : 0;
        return bezierPoints(x1, y1, x1 + bend, y1 - lift, x2 - bend, y2 - lift, x2, y2);
      };
      const today = model.edges.map((e) => ({ ...e, points: curve(e.from, e.to) }));
      const routed = model.edges.map((e, i) => ({
        ...e,
        points: routes[i]?.points ?? curve(e.from, e.to),
      }));
      return { today: layoutQuality(cards, today), routed: layoutQuality(cards, routed) };
    },
  };
}

interface OurQuality {
  readonly today: LayoutQuality;
  readonly routed: LayoutQuality;
}

/** elkjs's layered layout of the same cards and edges, with the same gaps. */
async function elk(graph: AssetGraph): Promise<{ ms: number; quality: LayoutQuality }> {
  const { document } = documentOf(graph);
  const input: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': String(ROW_HEIGHT - NODE_HEIGHT),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(COLUMN_WIDTH - NODE_WIDTH),
    },
    children: document.nodes.map((_, i) => ({
      id: `n${i}`,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    })),
    edges: document.edges.map((e, i) => ({
      id: `e${i}`,
      sources: [`n${e.from}`],
      targets: [`n${e.to}`],
    })),
  };
  const engine = new ElkConstructor();
  const start = performance.now();
  const result = await engine.layout(input);
  const ms = performance.now() - start;
  const cards = (result.children ?? []).map((c) => ({
    x: c.x ?? 0,
    y: c.y ?? 0,
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
  }));
  const edges: DrawnEdge[] = ((result.edges ?? []) as ElkExtendedEdge[]).map((e, i) => {
    const points: number[] = [];
    for (const section of e.sections ?? []) {
      points.push(section.startPoint.x, section.startPoint.y);
      for (const bend of section.bendPoints ?? []) points.push(bend.x, bend.y);
      points.push(section.endPoint.x, section.endPoint.y);
    }
    return { from: document.edges[i]!.from, to: document.edges[i]!.to, points };
  });
  return { ms, quality: layoutQuality(cards, edges) };
}

function describe(quality: LayoutQuality): string {
  return `${formatNumber(quality.crossings)} crossings, ${formatNumber(quality.edgesThroughCards)} edges through ${formatNumber(quality.throughCards)} cards, area ${formatNumber(quality.area)} cards`;
}

/** The fixture's first `layers` layers (the assets of later layers dropped). */
function fixtureGraph(layers: number): AssetGraph {
  return graphOf(largeGraphAssets().slice(0, layers * UI_WIDTH));
}

export const layoutBenchmark: Benchmark = {
  name: 'layout',
  description: 'graph layout in Node: ours (layers, compound layout, routes) against elkjs layered',
  async run(context: BenchContext): Promise<BenchResult> {
    const details: string[] = [];
    const data: Record<string, unknown> = {};
    const sizes = [
      { name: 'example study (assets/)', graph: buildAssetGraph(exampleDefinitions) },
      ...[5, 10, 25, UI_LAYERS].map((layers) => ({
        name: `fixture, ${(layers * UI_WIDTH).toLocaleString('en-US')} assets`,
        graph: fixtureGraph(layers),
      })),
    ];
    // The headline: the largest graph elkjs lays out.
    let largest: { name: string; ours: Summary; elk: Summary } | undefined;
    let elkSkipped: string | undefined;
    for (const { name, graph } of sizes) {
      context.log(`${name}: ours...`);
      const quality = ours(graph).measure(); // also the warm-up
      const runs = Array.from({ length: context.reps }, () => ours(graph));
      const ourMs = summarize(runs.map((r) => r.ms));
      const routeMs = summarize(runs.map((r) => r.routeMs));
      let elkMs: Summary | undefined;
      let elkQuality: LayoutQuality | undefined;
      let elkNote = 'elkjs skipped (over budget at a smaller size)';
      if (elkSkipped === undefined) {
        context.log(`${name}: elkjs...`);
        const reps = graph.order.length > 2_000 ? 1 : context.reps;
        try {
          const elkRuns = [];
          for (let i = 0; i < reps; i++) elkRuns.push(await elk(graph));
          elkMs = summarize(elkRuns.map((r) => r.ms));
          elkQuality = elkRuns[0]!.quality;
          elkNote = `elkjs/ours time ${formatNumber(elkMs.median / ourMs.median)}x`;
          if (elkMs.median > ELK_BUDGET_MS) elkSkipped = 'over budget at a smaller size';
        } catch (error) {
          elkNote = `elkjs failed: ${error instanceof Error ? error.message : String(error)}`;
          elkSkipped = 'failed at a smaller size';
        }
      } else elkNote = `elkjs skipped (${elkSkipped})`;
      details.push(
        `${name}: ${elkNote}; ours ${formatNumber(ourMs.median)} ms (routes ${formatNumber(routeMs.median)} ms)${elkMs === undefined ? '' : `, elkjs ${formatNumber(elkMs.median)} ms`}`,
        `  ours, curves (before routes): ${describe(quality.today)}`,
        `  ours, routed:                 ${describe(quality.routed)}`,
        ...(elkQuality === undefined
          ? []
          : [`  elkjs layered, orthogonal:    ${describe(elkQuality)}`]),
      );
      context.log(details.slice(-4).join('\n'));
      data[name] = {
        ours: ourMs,
        routes: routeMs,
        elk: elkMs ?? null,
        elkNote,
        ...quality,
        elkQuality,
      };
      if (elkMs !== undefined) largest = { name, ours: ourMs, elk: elkMs };
    }
    if (largest === undefined) throw new Error('elkjs laid out no graph');
    return {
      name: 'layout',
      metric: `layout of the largest graph elkjs lays out (${largest.name}), ms`,
      unit: 'ms',
      ours: { label: 'ours: layers, compound layout, every route', summary: largest.ours },
      baseline: { label: 'elkjs layered, orthogonal routing', summary: largest.elk },
      target: { kind: 'max', value: 500 },
      details,
      data,
    };
  },
};
