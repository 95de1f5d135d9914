// What a tick launches and holds back, rule by rule (eager, on-cron, freshness) and where they
// meet: table-driven on hand-made status reports, activity, backoff and cron launch records at
// an injected instant.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  sourceAsset,
  staticPartitions,
  type AssetKey,
} from '../../src/definitions/index.js';
import { formatAssetPartition } from '../../src/graph/index.js';
import type {
  ActivityFlags,
  PartitionStatus,
  StaleCause,
  StatusReport,
} from '../../src/planner/index.js';
import type { BackoffState } from '../../src/automation/backoff.js';
import type { CronLaunch } from '../../src/automation/cron-rule.js';
import { selectCandidates } from '../../src/automation/select-candidates.js';
import { graphOf } from '../support/engine.js';

const HOUR = 3_600_000;
const now = new Date('2025-06-10T12:00:00Z');
const todayAt6 = new Date('2025-06-10T06:00:00Z');
const yesterdayAt6 = new Date('2025-06-09T06:00:00Z');

// raw -> clean (eager) -> metrics (freshness, maxLag 6h) <- feed (maxLag 1h, not automated)
//                                                         <- reading (a source, maxLag 1h)
// raw -> daily[d01, d02] (on-cron at 06:00 UTC) -> digest (eager)
const number = (key: string, deps: Record<string, never> = {}, options: object = {}) =>
  asset({ key, deps, schema: z.number(), codeVersion: '1', compute: () => 1, ...options });
const raw = number('raw');
const clean = number('clean', { raw } as never, { automation: 'eager' });
const feed = number('feed', {}, { freshness: { maxLag: '1h' } });
const reading = sourceAsset({
  key: 'reading',
  schema: z.number(),
  observe: () => 1,
  freshness: { maxLag: '1h' },
});
const metrics = number('metrics', { clean, feed, reading } as never, {
  automation: 'freshness',
  freshness: { maxLag: '6h' },
});
const daily = number('daily', { raw } as never, {
  automation: { onCron: '0 6 * * *' },
  partitions: staticPartitions(['d01', 'd02']),
});
const digest = number('digest', { daily: allPartitions(daily) } as never, {
  automation: 'eager',
});
const graph = graphOf([raw, clean, feed, reading, metrics, daily, digest]);
const key = (name: string) => graph.node(name).key;
const automated = graph.order.filter((k) => graph.node(k).definition.automation !== undefined);

const code: StaleCause = { category: 'code', reason: 'code changed', previous: '1', current: '2' };
const upstreamOf = (dependency: string, status: 'missing' | 'stale' | 'blocked'): StaleCause => ({
  category: 'upstream',
  reason: `${dependency} is ${status}`,
  dependency: key(dependency),
  dependencyStatus: status,
  partitions: [],
  count: 1,
});
/** Materialized `hours` before now; stale with `causes`, else fresh. */
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
/** The `check` cause of blocking check `name` failing on the latest materialization. */
const checkFailed = (name: string): StaleCause => ({
  category: 'check',
  reason: `blocking check ${name} failed on materialization 1`,
  dependency: key('clean'),
  check: name,
  materializationId: 1,
  description: null,
});
/** Nothing changed, but a blocking check failed on the latest materialization. */
const blocked = (name: string): PartitionStatus => {
  const status = hoursAgo(1);
  if (status.status !== 'fresh') throw new Error('expected a fresh status');
  return { status: 'blocked', latest: status.latest, causes: [checkFailed(name)] };
};

/** Every partition fresh and 10 minutes old unless overridden (`asset[partition]` -> status). */
function reportOf(overrides: Record<string, PartitionStatus>): StatusReport {
  const statuses = new Map<AssetKey, Map<string, PartitionStatus>>();
  const partitionSets = new Map();
  for (const node of graph.nodes()) {
    const keys = node.definition.partitions ? ['d01', 'd02'] : [''];
    partitionSets.set(node.key, { keys, partitioned: keys[0] !== '' });
    statuses.set(
      node.key,
      new Map(
        keys.map((p) => [p, overrides[formatAssetPartition(node.key, p)] ?? hoursAgo(1 / 6)]),
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

/** `asset[partition]` -> value, as the maps the selection reads. */
function byPartition<T>(entries: Record<string, T>): Map<AssetKey, Map<string, T>> {
  const result = new Map<AssetKey, Map<string, T>>();
  for (const [name, value] of Object.entries(entries)) {
    const [, asset, partition = ''] = /^([^[]+)(?:\[(.+)\])?$/.exec(name)!;
    let partitions = result.get(key(asset!));
    if (partitions === undefined) result.set(key(asset!), (partitions = new Map()));
    partitions.set(partition, value);
  }
  return result;
}
const flat = <T>(entries: Record<string, T>) =>
  new Map(
    [...byPartition(entries)].flatMap(([k, parts]) =>
      [...parts].map(([p, v]) => [`${k}\u0000${p}`, v] as const),
    ),
  );

const running: ActivityFlags = { running: true, failed: false };
const failed: ActivityFlags = { running: false, failed: true };

interface Case {
  name: string;
  statuses?: Record<string, PartitionStatus>;
  activity?: Record<string, ActivityFlags>;
  backoff?: Record<string, BackoffState>;
  cronLaunches?: Record<string, CronLaunch>;
  lookaheadMs?: number;
  /** `key[p] rule: reason`, with ` (refresh)` for partitions only a forced run rebuilds. */
  launch: string[];
  held?: string[];
}

const cronTick = '(cron tick 2025-06-10 06:00 UTC)';
const cases: Case[] = [
  { name: 'everything fresh and recent: nothing to do', launch: [] },
  {
    name: 'eager: a stale partition is launched',
    statuses: { clean: hoursAgo(1, code) },
    launch: ['clean eager: code changed'],
  },
  {
    name: 'eager: waits for an upstream asset that is not automated',
    statuses: { raw: missing, clean: hoursAgo(1, upstreamOf('raw', 'missing')) },
    launch: [],
    held: ['clean: waiting for raw (missing, not automated)'],
  },
  {
    name: 'on-cron: stale since before the latest tick, never launched for it: launched once',
    statuses: { 'daily[d01]': hoursAgo(6.5, code), 'daily[d02]': hoursAgo(5.5, code) },
    launch: [`daily[d01] on-cron: code changed ${cronTick}`],
  },
  {
    name: 'on-cron: missing partitions are launched for the latest tick',
    statuses: { 'daily[d01]': missing, 'daily[d02]': missing },
    launch: [
      `daily[d01] on-cron: never materialized ${cronTick}`,
      `daily[d02] on-cron: never materialized ${cronTick}`,
    ],
  },
  {
    name: 'on-cron: already launched for this tick (a canceled step too): not again',
    statuses: { 'daily[d01]': missing, 'daily[d02]': hoursAgo(7, code) },
    cronLaunches: {
      'daily[d01]': { tick: todayAt6, runId: 4, stepStatus: 'running' },
      'daily[d02]': { tick: todayAt6, runId: 4, stepStatus: 'canceled' },
    },
    launch: [],
  },
  {
    name: 'on-cron: launched for the previous tick only: launched for this one',
    statuses: { 'daily[d02]': hoursAgo(7, code) },
    cronLaunches: { 'daily[d02]': { tick: yesterdayAt6, runId: 2, stepStatus: 'succeeded' } },
    launch: [`daily[d02] on-cron: code changed ${cronTick}`],
  },
  {
    name: 'on-cron: a launch for this tick that failed backs off; one that was skipped goes again',
    statuses: { 'daily[d01]': hoursAgo(7, code), 'daily[d02]': hoursAgo(7, code) },
    cronLaunches: {
      'daily[d01]': { tick: todayAt6, runId: 4, stepStatus: 'failed' },
      'daily[d02]': { tick: todayAt6, runId: 4, stepStatus: 'skipped' },
    },
    activity: { 'daily[d01]': failed },
    launch: [`daily[d02] on-cron: code changed ${cronTick}`],
    held: ['daily[d01]: failed; retrying in 1m'],
  },
  {
    name: 'on-cron: waits for its upstream like eager',
    statuses: {
      raw: missing,
      'daily[d01]': { status: 'missing', causes: [upstreamOf('raw', 'missing')] },
    },
    launch: [],
    held: ['daily[d01]: waiting for raw (missing, not automated)'],
  },
  {
    name: 'on-cron: rebuilt since the tick, so an eager dependant waits for the next one',
    statuses: {
      'daily[d01]': hoursAgo(5, code),
      digest: hoursAgo(5, upstreamOf('daily', 'stale')),
    },
    launch: [],
    held: ['digest: waiting for daily (stale, not due by its on-cron policy)'],
  },
  {
    name: 'freshness: overdue with everything upstream fresh: itself, forced',
    statuses: { metrics: hoursAgo(6.2) },
    launch: ['metrics freshness: overdue by 12m (refresh)'],
  },
  {
    name: 'freshness: due within the lookahead',
    statuses: { metrics: hoursAgo(5.95) },
    lookaheadMs: 5 * 60_000,
    launch: ['metrics freshness: due in 3m (maxLag 6h) (refresh)'],
  },
  {
    name: 'freshness: not yet due beyond the lookahead',
    statuses: { metrics: hoursAgo(5.95) },
    lookaheadMs: 60_000,
    launch: [],
  },
  {
    name: 'freshness: never materialized',
    statuses: { metrics: missing },
    launch: ['metrics freshness: never materialized'],
  },
  {
    name: 'freshness: the requirement reaches a stale upstream that is not automated, and an eager one keeps its rule',
    statuses: {
      raw: hoursAgo(7, code),
      clean: hoursAgo(7, upstreamOf('raw', 'stale')),
      metrics: hoursAgo(6.2, upstreamOf('clean', 'stale')),
    },
    launch: [
      'raw freshness: stale (code changed); needed for the freshness of metrics (overdue by 12m)',
      'clean eager: raw is stale',
      'metrics freshness: overdue by 12m; stale (upstream clean is stale)',
    ],
  },
  {
    name: 'freshness not due: the eager asset waits for its non-automated upstream',
    statuses: { raw: hoursAgo(7, code), clean: hoursAgo(7, upstreamOf('raw', 'stale')) },
    launch: [],
    held: ['clean: waiting for raw (stale, not automated)'],
  },
  {
    name: 'freshness: an upstream overdue against its own policy is refreshed too',
    statuses: { feed: hoursAgo(1.5), metrics: hoursAgo(6.2) },
    launch: [
      'feed freshness: overdue by 30m; needed for the freshness of metrics (overdue by 12m) (refresh)',
      'metrics freshness: overdue by 12m (refresh)',
    ],
  },
  {
    name: 'freshness: an overdue source is observed by the daemon, not launched',
    statuses: { reading: hoursAgo(1.5), metrics: hoursAgo(6.2) },
    launch: ['metrics freshness: overdue by 12m (refresh)'],
  },
  {
    name: 'freshness: the requirement waits for a source never observed',
    statuses: { reading: missing, metrics: hoursAgo(6.2, upstreamOf('reading', 'missing')) },
    launch: [],
    held: ['metrics: waiting for reading (missing, a source asset never observed)'],
  },
  {
    name: 'freshness: a required upstream already running holds its dependants',
    statuses: { feed: hoursAgo(1.5), metrics: hoursAgo(6.2) },
    activity: { feed: running },
    launch: [],
    held: ['feed: already running', 'metrics: waiting for feed (held back)'],
  },
  {
    name: 'freshness: a stale required upstream backing off holds its dependants',
    statuses: {
      raw: hoursAgo(7, code),
      clean: hoursAgo(7, upstreamOf('raw', 'stale')),
      metrics: hoursAgo(6.2, upstreamOf('clean', 'stale')),
    },
    activity: { raw: failed },
    backoff: { raw: { failures: 1, retryAfter: new Date(now.getTime() + 30_000) } },
    launch: [],
    held: [
      'raw: failed 1 time(s); retrying in 30s',
      'clean: waiting for raw (stale, held back)',
      'metrics: waiting for clean (stale, held back)',
    ],
  },
  {
    name: 'eager: a blocked partition is not rebuilt (it would fail its check again)',
    statuses: { clean: blocked('no_nulls') },
    launch: [],
    held: ['clean: blocked: blocking check no_nulls failed on materialization 1'],
  },
  {
    name: 'eager: a stale partition whose check failed is rebuilt (its inputs changed)',
    statuses: {
      clean: hoursAgo(1, checkFailed('no_nulls'), code),
    },
    launch: ['clean eager: blocking check no_nulls failed on materialization 1'],
  },
  {
    name: 'freshness: what reads a blocked partition waits, even overdue',
    statuses: {
      clean: blocked('no_nulls'),
      metrics: hoursAgo(7, upstreamOf('clean', 'blocked')),
    },
    launch: [],
    held: [
      'clean: blocked: blocking check no_nulls failed on materialization 1',
      'metrics: waiting for clean (blocked by a failing blocking check)',
    ],
  },
  {
    name: 'freshness: already running',
    statuses: { metrics: hoursAgo(6.2) },
    activity: { metrics: running },
    launch: [],
    held: ['metrics: already running'],
  },
];

describe('selectCandidates', () => {
  it.each(cases)('$name', (c) => {
    const selection = selectCandidates({
      report: reportOf(c.statuses ?? {}),
      automated,
      activity: byPartition(c.activity ?? {}),
      backoff: flat(c.backoff ?? {}),
      cronLaunches: flat(c.cronLaunches ?? {}),
      lookaheadMs: () => c.lookaheadMs ?? 30_000,
      now,
    });
    expect(
      selection.launch.map(
        (item) =>
          `${formatAssetPartition(item.key, item.partition)} ${item.rule}: ${item.reason}${item.refresh ? ' (refresh)' : ''}`,
      ),
    ).toEqual(c.launch);
    expect(
      selection.held.map(
        (item) => `${formatAssetPartition(item.key, item.partition)}: ${item.reason}`,
      ),
    ).toEqual(c.held ?? []);
    expect(selection.evaluated).toBe(5);
  });

  it('records the cron tick an on-cron launch serves', () => {
    const selection = selectCandidates({
      report: reportOf({ 'daily[d01]': missing }),
      automated,
      activity: new Map(),
      backoff: new Map(),
      cronLaunches: new Map(),
      lookaheadMs: () => 0,
      now,
    });
    expect(selection.launch.map((item) => item.cronTick)).toEqual([todayAt6]);
  });
});
