// Freshness as a requirement: an asset partition failing (or about to fail) its policy requires
// itself and every partition upstream it reads that is missing, stale or overdue against its own
// policy, with the reasons in words. Table-driven on hand-made status reports.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  staticPartitions,
  type AssetKey,
} from '../../src/definitions/index.js';
import {
  freshnessRequirements,
  partitionsToRebuild,
  type PartitionStatus,
  type RequirementOptions,
  type StaleCause,
  type StatusReport,
} from '../../src/planner/index.js';
import { graphOf } from '../support/engine.js';

const HOUR = 3_600_000;
const designs = staticPartitions(['d01', 'd02', 'd03']);
const design = asset({
  key: 'design_space',
  schema: z.number(),
  compute: () => 1,
  freshness: { maxLag: '1d' },
});
const mesh = asset({
  key: 'mesh',
  partitions: designs,
  deps: { design },
  schema: z.number(),
  compute: () => 1,
});
const feaRun = asset({
  key: 'fea_run',
  partitions: designs,
  deps: { mesh },
  schema: z.number(),
  compute: () => 1,
});
const metrics = asset({
  key: 'metrics',
  partitions: designs,
  deps: { run: feaRun },
  schema: z.number(),
  compute: () => 1,
  freshness: { maxLag: '6h', warnAfter: '5h' },
});
const graph = graphOf([design, mesh, feaRun, metrics]);
const key = (name: string) => graph.node(name).key;
const now = new Date('2025-06-10T12:00:00Z');

const code: StaleCause = { category: 'code', reason: 'code changed', previous: '1', current: '2' };
const upstreamOf = (dependency: string, status: 'missing' | 'stale'): StaleCause => ({
  category: 'upstream',
  reason: `${dependency} is ${status}`,
  dependency: key(dependency),
  dependencyStatus: status,
  partitions: [],
  count: 1,
});
const hoursAgo = (hours: number, ...causes: StaleCause[]): PartitionStatus => {
  const latest = {
    materializationId: 1,
    codeVersion: '1',
    dataVersion: 'd',
    inputHash: 'h',
    materializedAt: new Date(now.getTime() - hours * HOUR),
  };
  return causes.length === 0 ? { status: 'fresh', latest } : { status: 'stale', latest, causes };
};
const missing: PartitionStatus = { status: 'missing', causes: [] };

/** Every partition fresh and recent unless overridden (`asset[partition]` -> status). */
function reportOf(overrides: Record<string, PartitionStatus>): StatusReport {
  const statuses = new Map<AssetKey, Map<string, PartitionStatus>>();
  const partitionSets = new Map();
  for (const node of graph.nodes()) {
    const keys = node.definition.partitions ? ['d01', 'd02', 'd03'] : [''];
    partitionSets.set(node.key, { keys, partitioned: keys[0] !== '' });
    statuses.set(
      node.key,
      new Map(
        keys.map((p) => [p, overrides[p === '' ? node.key : `${node.key}[${p}]`] ?? hoursAgo(1)]),
      ),
    );
  }
  return {
    graph,
    latest: new Map(),
    evaluatedAt: now,
    partitionSets,
    statuses,
    blockingFailures: new Map(),
  };
}

interface Case {
  name: string;
  overrides: Record<string, PartitionStatus>;
  options?: RequirementOptions;
  /** Each requirement as `target: reason`, then its rebuild list as `key[p] (status[, refresh])`. */
  expected: { reason: string; rebuild: string[] }[];
}

const cases: Case[] = [
  {
    name: 'every policy passes: nothing is required',
    overrides: {},
    expected: [],
  },
  {
    name: 'overdue with everything upstream fresh: only itself, as a refresh',
    overrides: { 'metrics[d02]': hoursAgo(6.2) },
    expected: [
      {
        reason: 'freshness of metrics[d02]: overdue by 12m',
        rebuild: ['metrics[d02] fresh refresh'],
      },
    ],
  },
  {
    name: 'overdue with a stale chain upstream: the chain too, nearest first in words',
    overrides: {
      'metrics[d03]': hoursAgo(6.2),
      'fea_run[d03]': hoursAgo(7, upstreamOf('mesh', 'stale')),
      'mesh[d03]': hoursAgo(7, code),
    },
    expected: [
      {
        reason:
          'freshness of metrics[d03]: overdue by 12m; fea_run[d03] is stale (upstream mesh is stale); mesh[d03] is stale (code changed)',
        rebuild: ['mesh[d03] stale', 'fea_run[d03] stale', 'metrics[d03] fresh refresh'],
      },
    ],
  },
  {
    name: 'stale itself and overdue: it says both; missing upstream is required',
    overrides: {
      'metrics[d01]': hoursAgo(7, upstreamOf('fea_run', 'missing')),
      'fea_run[d01]': missing,
    },
    expected: [
      {
        reason:
          'freshness of metrics[d01]: overdue by 1h; metrics[d01] is stale (upstream fea_run is missing); fea_run[d01] is missing',
        rebuild: ['fea_run[d01] missing', 'metrics[d01] stale'],
      },
    ],
  },
  {
    name: 'never materialized: itself (missing) and what it needs',
    overrides: { 'metrics[d02]': missing, 'fea_run[d02]': missing, 'mesh[d02]': missing },
    expected: [
      {
        reason:
          'freshness of metrics[d02]: never materialized; fea_run[d02] is missing; mesh[d02] is missing',
        rebuild: ['mesh[d02] missing', 'fea_run[d02] missing', 'metrics[d02] missing'],
      },
    ],
  },
  {
    name: 'an upstream asset overdue against its own policy is refreshed too, and is a requirement itself',
    overrides: { design_space: hoursAgo(30), 'metrics[d01]': hoursAgo(6.5) },
    expected: [
      {
        reason: 'freshness of design_space: overdue by 6h',
        rebuild: ['design_space fresh refresh'],
      },
      {
        reason: 'freshness of metrics[d01]: overdue by 30m; design_space is overdue by 6h',
        rebuild: ['design_space fresh refresh', 'metrics[d01] fresh refresh'],
      },
    ],
  },
  {
    name: 'a warning partition is about to fail',
    overrides: { 'metrics[d01]': hoursAgo(5.5) },
    expected: [
      {
        reason: 'freshness of metrics[d01]: due in 30m',
        rebuild: ['metrics[d01] fresh refresh'],
      },
    ],
  },
  {
    name: 'warnings can be left out',
    overrides: { 'metrics[d01]': hoursAgo(5.5) },
    options: { includeWarn: false },
    expected: [],
  },
  {
    name: 'a deadline within the lookahead is about to fail',
    overrides: { 'metrics[d01]': hoursAgo(4) },
    options: { lookaheadMs: 2 * HOUR, keys: [key('metrics')] },
    expected: [
      {
        reason: 'freshness of metrics[d01]: due in 2h',
        rebuild: ['metrics[d01] fresh refresh'],
      },
    ],
  },
  {
    name: 'only the partitions asked for',
    overrides: { 'metrics[d01]': hoursAgo(7), 'metrics[d02]': hoursAgo(8) },
    options: { partitions: new Map([[key('metrics'), ['d02']]]) },
    expected: [
      {
        reason: 'freshness of metrics[d02]: overdue by 2h',
        rebuild: ['metrics[d02] fresh refresh'],
      },
    ],
  },
];

const named = (k: string, p: string) => (p === '' ? k : `${k}[${p}]`);

describe('freshnessRequirements', () => {
  it.each(cases)('$name', ({ overrides, options, expected }) => {
    const requirements = freshnessRequirements(reportOf(overrides), options);
    expect(
      requirements.map((r) => ({
        reason: r.reason,
        rebuild: r.rebuild.map(
          (p) => `${named(p.key, p.partition)} ${p.status}${p.refresh ? ' refresh' : ''}`,
        ),
      })),
    ).toEqual(expected);
  });

  it('names at most a few upstream partitions in its reason, then a count', () => {
    const many = staticPartitions(Array.from({ length: 8 }, (_, i) => `p${i}`));
    const wide = asset({ key: 'mesh', partitions: many, schema: z.number(), compute: () => 1 });
    const summary = asset({
      key: 'summary',
      deps: { all: allPartitions(wide) },
      schema: z.number(),
      compute: () => 1,
      freshness: { maxLag: '1h' },
    });
    const g = graphOf([wide, summary]);
    const partitions = many.keys;
    const report: StatusReport = {
      graph: g,
      latest: new Map(),
      evaluatedAt: now,
      blockingFailures: new Map(),
      partitionSets: new Map([
        [g.node('mesh').key, { keys: [...partitions], partitioned: true }],
        [g.node('summary').key, { keys: [''], partitioned: false }],
      ]),
      statuses: new Map([
        [g.node('mesh').key, new Map(partitions.map((p) => [p, missing]))],
        [g.node('summary').key, new Map([['', hoursAgo(2)]])],
      ]),
    };
    const [requirement] = freshnessRequirements(report);
    expect(requirement!.reason).toBe(
      'freshness of summary: overdue by 1h; mesh[p0] is missing; mesh[p1] is missing; mesh[p2] is missing; mesh[p3] is missing; mesh[p4] is missing; and 3 more',
    );
    expect(requirement!.rebuild).toHaveLength(9);
  });

  it('merges requirements into one list of partitions to rebuild, in topological order', () => {
    const report = reportOf({
      design_space: hoursAgo(30),
      'metrics[d01]': hoursAgo(7),
      'metrics[d03]': hoursAgo(6.2),
      'fea_run[d03]': hoursAgo(7, upstreamOf('mesh', 'stale')),
      'mesh[d03]': hoursAgo(7, code),
    });
    expect(
      partitionsToRebuild(report, freshnessRequirements(report)).map((p) =>
        named(p.key, p.partition),
      ),
    ).toEqual(['design_space', 'mesh[d03]', 'fea_run[d03]', 'metrics[d01]', 'metrics[d03]']);
  });
});
