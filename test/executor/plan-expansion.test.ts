// planExpansion without a database, table-driven: given the run's steps of the producer, its
// targets and their fan-ins, and the keys produced, which steps are created (waiting or queued),
// skipped, wired, made to wait longer and enqueued. The graph: designs produces the partitions of
// point; score[k] reads point[k] (identity); best reads every score (all); report reads best.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  defineAssets,
  producedPartitions,
  type AssetKey,
} from '../../src/definitions/index.js';
import {
  expansionScope,
  planExpansion,
  type ExistingStep,
  type ExpansionPlan,
} from '../../src/executor/plan-expansion.js';
import {
  buildAssetGraph,
  resolveSelection,
  type ResolvedSelection,
} from '../../src/graph/index.js';
import type { StepStatus } from '../../src/store/index.js';

const designs = asset({
  key: 'designs',
  schema: z.object({ keys: z.array(z.string()) }),
  compute: () => ({ keys: [] }),
});
const byDesign = producedPartitions(designs, (value) => value.keys);
const point = asset({
  key: 'point',
  deps: { designs },
  partitions: byDesign,
  schema: z.number(),
  compute: () => 1,
});
const score = asset({
  key: 'score',
  deps: { point },
  partitions: byDesign,
  schema: z.number(),
  compute: () => 1,
});
const best = asset({
  key: 'best',
  deps: { score: allPartitions(score) },
  schema: z.number(),
  compute: () => 1,
});
const report = asset({ key: 'report', deps: { best }, schema: z.string(), compute: () => '' });
const graph = buildAssetGraph(defineAssets([designs, point, score, best, report]));
const everything = resolveSelection(graph, '*');

/** `key[partition]` or `key`. */
function label(step: { key: string; partition: string }): string {
  return step.partition === '' ? step.key : `${step.key}[${step.partition}]`;
}

/** Existing steps from `label: status` entries; ids count from 1 in order. */
function steps(entries: Record<string, StepStatus>): ExistingStep[] {
  return Object.entries(entries).map(([name, status], index) => {
    const match = /^([a-z]+)(?:\[(.+)\])?$/.exec(name)!;
    return { id: index + 1, key: match[1] as AssetKey, partition: match[2] ?? '', status };
  });
}

/** A plan in words, for comparison. */
function described(plan: ExpansionPlan, existing: readonly ExistingStep[]) {
  const byId = new Map(existing.map((step) => [step.id, step]));
  return {
    create: plan.create.map((s) => `${label(s)} ${s.status} ${s.depsRemaining}`),
    skip: plan.skip.map(label),
    edges: plan.edges.map((e) => `${label(e.upstream)} -> ${label(e.downstream)}`),
    waitLonger: plan.waitLonger.map((w) => `${label(byId.get(w.id)!)} +${w.by}`),
    ready: plan.ready.map(label),
  };
}

interface Case {
  readonly name: string;
  readonly existing: Record<string, StepStatus>;
  readonly produced: readonly string[];
  readonly selection?: ResolvedSelection;
  readonly runPartitions?: readonly string[];
  readonly expected: ReturnType<typeof described>;
}

const nothing = { create: [], skip: [], edges: [], waitLonger: [], ready: [] };

const cases: Case[] = [
  {
    name: 'new keys: steps for each target, wired to each other and to the waiting fan-in',
    existing: { designs: 'succeeded', best: 'waiting', report: 'waiting' },
    produced: ['d1', 'd2'],
    expected: {
      create: [
        'point[d1] queued 0',
        'point[d2] queued 0',
        'score[d1] waiting 1',
        'score[d2] waiting 1',
      ],
      skip: [],
      edges: [
        'score[d1] -> best',
        'score[d2] -> best',
        'point[d1] -> score[d1]',
        'point[d2] -> score[d2]',
      ],
      waitLonger: ['best +2'],
      ready: ['point[d1]', 'point[d2]'],
    },
  },
  {
    name: 'keys already present: nothing to do',
    existing: {
      designs: 'succeeded',
      'point[d1]': 'waiting',
      'score[d1]': 'waiting',
      best: 'waiting',
      report: 'waiting',
    },
    produced: ['d1'],
    expected: nothing,
  },
  {
    name: 'removed keys: pending steps of partitions no longer produced are skipped',
    existing: {
      designs: 'succeeded',
      'point[d1]': 'waiting',
      'point[d2]': 'waiting',
      'score[d1]': 'waiting',
      'score[d2]': 'queued',
      best: 'waiting',
      report: 'waiting',
    },
    produced: ['d1'],
    expected: { ...nothing, skip: ['point[d2]', 'score[d2]'] },
  },
  {
    name: 'removed keys: steps that started or ended are left alone',
    existing: {
      designs: 'succeeded',
      'point[a]': 'retrying',
      'point[b]': 'running',
      'point[c]': 'succeeded',
      'point[d]': 'failed',
      'point[e]': 'skipped',
      'point[f]': 'canceled',
      best: 'waiting',
      report: 'waiting',
    },
    produced: [],
    expected: { ...nothing, skip: ['point[a]'] },
  },
  {
    name: 'early cutoff growing the set: only the new key is added, the fan-in waits for it',
    existing: {
      designs: 'fresh',
      'point[d1]': 'waiting',
      'point[d2]': 'waiting',
      'score[d1]': 'waiting',
      'score[d2]': 'waiting',
      best: 'waiting',
      report: 'waiting',
    },
    produced: ['d1', 'd2', 'd3'],
    expected: {
      create: ['point[d3] queued 0', 'score[d3] waiting 1'],
      skip: [],
      edges: ['score[d3] -> best', 'point[d3] -> score[d3]'],
      waitLonger: ['best +1'],
      ready: ['point[d3]'],
    },
  },
  {
    name: 'fan-ins missing from the run are added, downstream of the new steps and of each other',
    existing: { designs: 'succeeded', 'point[d1]': 'waiting', 'score[d1]': 'waiting' },
    produced: ['d1', 'd2'],
    expected: {
      create: ['point[d2] queued 0', 'score[d2] waiting 1', 'best waiting 2', 'report waiting 1'],
      skip: [],
      edges: ['point[d2] -> score[d2]', 'score[d1] -> best', 'score[d2] -> best', 'best -> report'],
      waitLonger: [],
      ready: ['point[d2]'],
    },
  },
  {
    name: 'a new fan-in does not wait for a step skipped in the same expansion',
    existing: { designs: 'succeeded', 'point[d1]': 'waiting', 'score[d1]': 'waiting' },
    produced: ['d2'],
    expected: {
      create: ['point[d2] queued 0', 'score[d2] waiting 1', 'best waiting 1', 'report waiting 1'],
      skip: ['point[d1]', 'score[d1]'],
      edges: ['point[d2] -> score[d2]', 'score[d2] -> best', 'best -> report'],
      waitLonger: [],
      ready: ['point[d2]'],
    },
  },
  {
    name: 'a producer not yet finished: new steps of the partitions it produces wait for it',
    existing: { designs: 'running', best: 'waiting', report: 'waiting' },
    produced: ['d1'],
    expected: {
      create: ['point[d1] waiting 1', 'score[d1] waiting 2'],
      skip: [],
      edges: [
        'score[d1] -> best',
        'designs -> point[d1]',
        'designs -> score[d1]',
        'point[d1] -> score[d1]',
      ],
      waitLonger: ['best +1'],
      ready: [],
    },
  },
  {
    name: "the run's partitions restrict the targets",
    existing: { designs: 'succeeded', best: 'waiting', report: 'waiting' },
    produced: ['d1', 'd2'],
    runPartitions: ['d2'],
    expected: {
      create: ['point[d2] queued 0', 'score[d2] waiting 1'],
      skip: [],
      edges: ['score[d2] -> best', 'point[d2] -> score[d2]'],
      waitLonger: ['best +1'],
      ready: ['point[d2]'],
    },
  },
  {
    name: "a selection's partitions restrict its asset over the run's",
    existing: { designs: 'succeeded', best: 'waiting', report: 'waiting' },
    produced: ['d1', 'd2'],
    runPartitions: ['d2'],
    selection: { ...everything, partitions: new Map([['point' as AssetKey, ['d1']]]) },
    expected: {
      create: ['point[d1] queued 0', 'score[d2] queued 0'],
      skip: [],
      edges: ['score[d2] -> best'],
      waitLonger: ['best +1'],
      ready: ['point[d1]', 'score[d2]'],
    },
  },
  {
    name: 'targets not selected: nothing to do',
    existing: { designs: 'succeeded' },
    produced: ['d1'],
    selection: resolveSelection(graph, 'designs'),
    expected: nothing,
  },
];

describe('planExpansion', () => {
  it.each(cases)('$name', (c) => {
    const existing = steps(c.existing);
    const plan = planExpansion({
      graph,
      producer: 'designs' as AssetKey,
      producerPartition: '',
      selection: c.selection ?? everything,
      runPartitions: c.runPartitions ?? [],
      producedKeys: c.produced,
      existing,
    });
    expect(described(plan, existing)).toEqual(c.expected);
    // Edges to or from existing steps name them by id; new steps get theirs when inserted.
    for (const edge of plan.edges) {
      for (const end of [edge.upstream, edge.downstream]) {
        const found = existing.find((s) => s.key === end.key && s.partition === end.partition);
        expect(end.id).toBe(found?.id ?? null);
      }
    }
  });

  it('reads the producer, its selected targets and their selected fan-ins', () => {
    expect(expansionScope(graph, 'designs' as AssetKey, everything)).toEqual({
      targets: ['point', 'score'],
      fanIns: ['best', 'report'],
      assets: ['designs', 'point', 'score', 'best', 'report'],
    });
    expect(
      expansionScope(graph, 'designs' as AssetKey, resolveSelection(graph, 'designs,point')),
    ).toEqual({ targets: ['point'], fanIns: [], assets: ['designs', 'point'] });
  });
});
