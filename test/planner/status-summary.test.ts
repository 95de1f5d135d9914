// The one status-summary builder: counts, worst status, main cause and its reason, the last
// materialization, partition restrictions, and the live state from an activity report
// (running over failed over the status), checked on hand-made status reports.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions, type AssetKey } from '../../src/definitions/index.js';
import {
  summarizeAsset,
  summarizeAssets,
  type ActivityFlags,
  type ActivityReport,
  type PartitionStatus,
  type StaleCause,
  type StatusReport,
} from '../../src/planner/index.js';
import { graphOf } from '../support/engine.js';

const parts = asset({
  key: 'parts',
  partitions: staticPartitions(['p1', 'p2', 'p3', 'p4']),
  schema: z.number(),
  compute: () => 1,
});
const single = asset({ key: 'single', schema: z.number(), compute: () => 1 });
const graph = graphOf([parts, single]);
const PARTS = graph.node('parts').key;
const SINGLE = graph.node('single').key;

const latest = (id: number) => ({
  materializationId: id,
  codeVersion: 'c',
  dataVersion: 'd',
  inputHash: 'h',
  materializedAt: new Date(Date.UTC(2026, 0, id)),
});
const code: StaleCause = { category: 'code', reason: 'code changed', previous: 'a', current: 'b' };
const data: StaleCause = {
  category: 'data',
  reason: 'single changed',
  dependency: SINGLE,
  partitions: [],
  count: 1,
};
const fresh = (id: number): PartitionStatus => ({ status: 'fresh', latest: latest(id) });
const stale = (id: number, cause: StaleCause): PartitionStatus => ({
  status: 'stale',
  causes: [cause],
  latest: latest(id),
});
const missing: PartitionStatus = { status: 'missing', causes: [] };

function reportOf(
  partsStatuses: Record<string, PartitionStatus>,
  singleStatus: PartitionStatus | undefined,
): StatusReport {
  return {
    graph,
    latest: new Map(),
    evaluatedAt: new Date(0),
    blockingFailures: new Map(),
    partitionSets: new Map([
      [PARTS, { keys: Object.keys(partsStatuses), partitioned: true }],
      [SINGLE, { keys: singleStatus === undefined ? [] : [''], partitioned: false }],
    ]),
    statuses: new Map([
      [PARTS, new Map(Object.entries(partsStatuses))],
      [SINGLE, new Map(singleStatus === undefined ? [] : [['', singleStatus]])],
    ]),
  };
}

function activityOf(flags: Record<string, Partial<ActivityFlags>>): ActivityReport {
  return new Map([
    [
      PARTS,
      new Map(
        Object.entries(flags).map(([partition, f]) => [
          partition,
          { running: f.running ?? false, failed: f.failed ?? false },
        ]),
      ),
    ],
  ]);
}

const report = reportOf(
  { p1: fresh(1), p2: stale(4, data), p3: stale(2, code), p4: stale(3, data) },
  missing,
);

describe('summarizeAsset', () => {
  it('counts partitions, takes the worst status and the most common first cause', () => {
    const summary = summarizeAsset(report, PARTS);
    expect(summary).toMatchObject({
      key: 'parts',
      partitioned: true,
      status: 'stale',
      state: 'stale',
      counts: { fresh: 1, stale: 3, missing: 0, blocked: 0, total: 4, running: 0, failed: 0 },
      mainCause: 'data',
      mainReason: 'single changed',
      lastMaterializedAt: latest(4).materializedAt,
      awaitingProducer: null,
    });
    expect(summary.partitions.map((p) => [p.partition, p.status.status, p.activity])).toEqual([
      ['p1', 'fresh', null],
      ['p2', 'stale', null],
      ['p3', 'stale', null],
      ['p4', 'stale', null],
    ]);
    expect(summarizeAsset(report, SINGLE)).toMatchObject({
      partitioned: false,
      status: 'missing',
      lastMaterializedAt: null,
      mainCause: null,
      mainReason: null,
    });
  });

  it('breaks a tie between causes in category order, and says empty for no partitions', () => {
    const tie = reportOf({ p1: stale(1, data), p2: stale(2, code) }, undefined);
    expect(summarizeAsset(tie, PARTS)).toMatchObject({
      mainCause: 'code',
      mainReason: 'code changed',
    });
    expect(summarizeAsset(tie, SINGLE)).toMatchObject({ status: 'empty', state: 'empty' });
  });

  it('counts only the partitions a selection keeps', () => {
    const only = new Map([[PARTS, ['p1', 'p3']]]);
    expect(summarizeAsset(report, PARTS, { partitions: only })).toMatchObject({
      status: 'stale',
      counts: { fresh: 1, stale: 1, total: 2 },
      mainCause: 'code',
    });
  });

  it.each([
    [{}, 'stale', 0, 0],
    [{ p2: { failed: true } }, 'failed', 0, 1],
    [{ p2: { failed: true }, p3: { running: true } }, 'running', 1, 1],
    [{ p1: { running: true, failed: true } }, 'running', 1, 1],
  ] as const)('derives the state from activity %j', (flags, state, running, failed) => {
    const summary = summarizeAsset(report, PARTS, { activity: activityOf(flags) });
    expect(summary.state).toBe(state);
    expect(summary.status).toBe('stale');
    expect(summary.counts).toMatchObject({ running, failed });
    for (const partition of summary.partitions) {
      const f = (flags as Record<string, Partial<ActivityFlags>>)[partition.partition];
      expect(partition.activity).toBe(f?.running ? 'running' : f?.failed ? 'failed' : null);
    }
  });
});

describe('summarizeAssets', () => {
  it('totals assets by status and partitions by status and activity', () => {
    const { assets, totals } = summarizeAssets(report, [PARTS, SINGLE] as AssetKey[], {
      activity: activityOf({ p1: { running: true } }),
    });
    expect(assets.map((a) => [a.key, a.state])).toEqual([
      ['parts', 'running'],
      ['single', 'missing'],
    ]);
    expect(totals).toEqual({
      assets: { fresh: 0, stale: 1, missing: 1, blocked: 0, empty: 0 },
      partitions: {
        fresh: 1,
        stale: 3,
        missing: 1,
        blocked: 0,
        total: 5,
        running: 1,
        failed: 0,
      },
      freshness: { pass: 0, warn: 0, fail: 0 },
    });
  });
});
