// Freshness semantics, table by table on a controllable clock (docs/semantics.md, "Freshness"):
// maxLag alone, warnAfter, cron deadlines in UTC and in a timezone across daylight-saving
// changes, never materialized; then an asset's state over mixed partitions.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions, type FreshnessPolicyInput } from '../../src/definitions/index.js';
import {
  evaluateFreshness,
  judgeFreshness,
  plainFreshness,
  summarizeAssets,
  type PartitionStatus,
  type StatusReport,
} from '../../src/planner/index.js';
import { graphOf } from '../support/engine.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string) => new Date(iso).getTime();

/** The policy as asset() validates it. */
function policyOf(input: FreshnessPolicyInput) {
  return asset({ key: 'p', schema: z.number(), compute: () => 1, freshness: input }).freshness!;
}

interface Case {
  name: string;
  policy: FreshnessPolicyInput;
  /** ISO time of the latest materialization, or null for never. */
  materializedAt: string | null;
  now: string;
  state: 'pass' | 'warn' | 'fail';
  deadline: string | null;
  overdueByMs: number | null;
  warnAt?: string | null;
  reason?: string;
}

const sixHours: FreshnessPolicyInput = { maxLag: '6h' };
const warned: FreshnessPolicyInput = { maxLag: '6h', warnAfter: '4h' };
const dailyBy6: FreshnessPolicyInput = { maxLag: '6h', cron: '0 6 * * *' };
const berlinBy6: FreshnessPolicyInput = {
  maxLag: '3h',
  cron: '0 6 * * *',
  timezone: 'Europe/Berlin',
};

const cases: Case[] = [
  // maxLag alone: fail once older than maxLag.
  {
    name: 'maxLag: one hour old passes, its deadline 6 h after the materialization',
    policy: sixHours,
    materializedAt: '2025-06-10T06:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'pass',
    deadline: '2025-06-10T12:00:00Z',
    overdueByMs: 0,
    warnAt: null,
    reason: 'materialized 1h ago, deadline in 5h (maxLag 6h)',
  },
  {
    name: 'maxLag: exactly maxLag old still passes',
    policy: sixHours,
    materializedAt: '2025-06-10T01:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'pass',
    deadline: '2025-06-10T07:00:00Z',
    overdueByMs: 0,
  },
  {
    name: 'maxLag: older than maxLag fails, overdue by the difference',
    policy: sixHours,
    materializedAt: '2025-06-10T00:48:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'fail',
    deadline: '2025-06-10T06:48:00Z',
    overdueByMs: 12 * MINUTE,
    reason: 'overdue by 12m: materialized 6h 12m ago, more than maxLag 6h',
  },
  {
    name: 'never materialized fails with no deadline to be overdue from',
    policy: sixHours,
    materializedAt: null,
    now: '2025-06-10T07:00:00Z',
    state: 'fail',
    deadline: null,
    overdueByMs: null,
    warnAt: null,
    reason: 'never materialized',
  },
  // warnAfter: warn once older than warnAfter, fail past maxLag.
  {
    name: 'warnAfter: younger than warnAfter passes',
    policy: warned,
    materializedAt: '2025-06-10T04:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'pass',
    deadline: '2025-06-10T10:00:00Z',
    overdueByMs: 0,
    warnAt: '2025-06-10T08:00:00Z',
  },
  {
    name: 'warnAfter: between warnAfter and maxLag warns',
    policy: warned,
    materializedAt: '2025-06-10T02:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'warn',
    deadline: '2025-06-10T08:00:00Z',
    overdueByMs: 0,
    warnAt: '2025-06-10T06:00:00Z',
    reason: 'materialized 5h ago, more than warnAfter 4h; deadline in 1h (maxLag 6h)',
  },
  {
    name: 'warnAfter: past maxLag fails',
    policy: warned,
    materializedAt: '2025-06-10T00:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'fail',
    deadline: '2025-06-10T06:00:00Z',
    overdueByMs: HOUR,
  },
  // cron: each tick is a deadline; the latest materialization must then be at most maxLag old.
  {
    name: 'cron: materialized within maxLag before the last tick passes until the next tick',
    policy: dailyBy6,
    materializedAt: '2025-06-10T01:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'pass',
    deadline: '2025-06-11T06:00:00Z',
    overdueByMs: 0,
    reason: 'materialized 2025-06-10 01:00, next deadline 2025-06-11 06:00, in 23h (UTC)',
  },
  {
    name: 'cron: exactly maxLag before the tick passes',
    policy: dailyBy6,
    materializedAt: '2025-06-10T00:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'pass',
    deadline: '2025-06-11T06:00:00Z',
    overdueByMs: 0,
  },
  {
    name: 'cron: too old at the last tick fails from the tick on',
    policy: dailyBy6,
    materializedAt: '2025-06-09T23:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'fail',
    deadline: '2025-06-10T06:00:00Z',
    overdueByMs: HOUR,
    reason:
      'overdue by 1h: the deadline 2025-06-10 06:00 needed a materialization from 2025-06-10 00:00 on (maxLag 6h), the latest is from 2025-06-09 23:00 (UTC)',
  },
  {
    name: 'cron: at the tick itself the deadline has come',
    policy: dailyBy6,
    materializedAt: '2025-06-09T23:00:00Z',
    now: '2025-06-10T06:00:00Z',
    state: 'fail',
    deadline: '2025-06-10T06:00:00Z',
    overdueByMs: 0,
    reason:
      'overdue by 0s: the deadline 2025-06-10 06:00 needed a materialization from 2025-06-10 00:00 on (maxLag 6h), the latest is from 2025-06-09 23:00 (UTC)',
  },
  {
    name: 'cron: the same materialization passes before the tick (the deadline is still ahead)',
    policy: dailyBy6,
    materializedAt: '2025-06-09T23:00:00Z',
    now: '2025-06-10T05:59:00Z',
    state: 'pass',
    deadline: '2025-06-10T06:00:00Z',
    overdueByMs: 0,
  },
  {
    name: 'cron: overdue counts from the first deadline missed, not the last tick',
    policy: dailyBy6,
    materializedAt: '2025-06-07T01:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'fail',
    deadline: '2025-06-08T06:00:00Z',
    overdueByMs: 2 * 24 * HOUR + HOUR,
  },
  {
    name: 'cron with warnAfter: more than warnAfter old at the last tick warns',
    policy: { maxLag: '24h', warnAfter: '6h', cron: '0 6 * * *' },
    materializedAt: '2025-06-09T12:00:00Z',
    now: '2025-06-10T07:00:00Z',
    state: 'warn',
    deadline: '2025-06-11T06:00:00Z',
    warnAt: '2025-06-10T06:00:00Z',
    overdueByMs: 0,
  },
  {
    name: 'cron, never materialized: fails',
    policy: dailyBy6,
    materializedAt: null,
    now: '2025-06-10T07:00:00Z',
    state: 'fail',
    deadline: null,
    overdueByMs: null,
  },
  // Europe/Berlin: 06:00 local is 05:00Z in winter (CET) and 04:00Z in summer (CEST). The
  // clocks go forward on 2025-03-30 at 02:00 and back on 2025-10-26 at 03:00.
  {
    name: 'timezone: on the day clocks go forward, the 06:00 tick is at 04:00Z (passes)',
    policy: berlinBy6,
    materializedAt: '2025-03-30T01:30:00Z',
    now: '2025-03-30T04:30:00Z',
    state: 'pass',
    deadline: '2025-03-31T04:00:00Z',
    overdueByMs: 0,
    reason:
      'materialized 2025-03-30 03:30, next deadline 2025-03-31 06:00, in 23h 30m (Europe/Berlin)',
  },
  {
    name: 'timezone: on the day clocks go forward, the 06:00 tick is at 04:00Z (fails)',
    policy: berlinBy6,
    materializedAt: '2025-03-30T00:30:00Z',
    now: '2025-03-30T04:30:00Z',
    state: 'fail',
    deadline: '2025-03-30T04:00:00Z',
    overdueByMs: 30 * MINUTE,
    reason:
      'overdue by 30m: the deadline 2025-03-30 06:00 needed a materialization from 2025-03-30 03:00 on (maxLag 3h), the latest is from 2025-03-30 01:30 (Europe/Berlin)',
  },
  {
    name: 'timezone: the day before the change the tick is at 05:00Z (not yet due at 04:30Z)',
    policy: berlinBy6,
    materializedAt: '2025-03-28T23:30:00Z',
    now: '2025-03-29T04:30:00Z',
    state: 'pass',
    deadline: '2025-03-29T05:00:00Z',
    overdueByMs: 0,
  },
  {
    name: 'timezone: on the day clocks go back, the 06:00 tick is at 05:00Z again',
    policy: berlinBy6,
    materializedAt: '2025-10-26T01:30:00Z',
    now: '2025-10-26T05:10:00Z',
    state: 'fail',
    deadline: '2025-10-26T05:00:00Z',
    overdueByMs: 10 * MINUTE,
  },
  {
    name: 'timezone: a tick in the gap (02:30 on 2025-03-30) happens at 03:00 local, 01:00Z',
    policy: { maxLag: '1h', cron: '30 2 * * *', timezone: 'Europe/Berlin' },
    materializedAt: '2025-03-29T23:00:00Z',
    now: '2025-03-30T01:30:00Z',
    state: 'fail',
    deadline: '2025-03-30T01:00:00Z',
    overdueByMs: 30 * MINUTE,
  },
];

describe('judgeFreshness', () => {
  it.each(cases)('$name', (c) => {
    const [judged] = judgeFreshness(
      policyOf(c.policy),
      [c.materializedAt === null ? null : new Date(c.materializedAt)],
      at(c.now),
    );
    expect(judged!.state).toBe(c.state);
    expect(judged!.deadline?.toISOString() ?? null).toBe(
      c.deadline === null ? null : new Date(c.deadline).toISOString(),
    );
    expect(judged!.overdueByMs).toBe(c.overdueByMs);
    if (c.warnAt !== undefined)
      expect(judged!.warnAt?.toISOString() ?? null).toBe(
        c.warnAt === null ? null : new Date(c.warnAt).toISOString(),
      );
    if (c.reason !== undefined) expect(judged!.reason).toBe(c.reason);
  });

  it('judges many partitions of a cron policy alike one by one and together', () => {
    const policy = policyOf({ maxLag: '90m', warnAfter: '1h', cron: '*/15 * * * *' });
    const now = at('2025-06-10T12:00:00Z');
    const times = Array.from({ length: 500 }, (_, i) =>
      i % 50 === 7 ? null : new Date(now - ((i * 7919) % (6 * HOUR))),
    );
    const together = judgeFreshness(policy, times, now).map(plainFreshness);
    const oneByOne = times.map((t) => plainFreshness(judgeFreshness(policy, [t], now)[0]!));
    expect(together).toEqual(oneByOne);
    expect(new Set(together.map((f) => f.state))).toEqual(new Set(['pass', 'warn', 'fail']));
  });

  it('writes the reason when read, and into JSON', () => {
    const policy = policyOf(sixHours);
    const [judged] = judgeFreshness(
      policy,
      [new Date('2025-06-10T06:00:00Z')],
      at('2025-06-10T07:00:00Z'),
    );
    expect(JSON.parse(JSON.stringify(judged))).toEqual({
      state: 'pass',
      materializedAt: '2025-06-10T06:00:00.000Z',
      deadline: '2025-06-10T12:00:00.000Z',
      warnAt: null,
      overdueByMs: 0,
      overdueBy: null,
      reason: 'materialized 1h ago, deadline in 5h (maxLag 6h)',
    });
    expect({ ...plainFreshness(judged!) }.reason).toBe(judged!.reason);
  });
});

describe('evaluateFreshness of an asset over its partitions', () => {
  const parts = asset({
    key: 'metrics',
    partitions: staticPartitions(['d01', 'd02', 'd03', 'd04']),
    schema: z.number(),
    compute: () => 1,
    freshness: { maxLag: '6h', warnAfter: '4h' },
  });
  const plain = asset({ key: 'plain', schema: z.number(), compute: () => 1 });
  const graph = graphOf([parts, plain]);
  const METRICS = graph.node('metrics').key;
  const PLAIN = graph.node('plain').key;
  const now = new Date('2025-06-10T12:00:00Z');
  const hoursAgo = (hours: number, status: 'fresh' | 'stale' = 'fresh'): PartitionStatus => {
    const latest = {
      materializationId: hours,
      codeVersion: 'c',
      dataVersion: 'd',
      inputHash: 'h',
      materializedAt: new Date(now.getTime() - hours * HOUR),
    };
    return status === 'fresh'
      ? { status, latest }
      : {
          status,
          latest,
          causes: [{ category: 'code', reason: 'x', previous: 'a', current: 'b' }],
        };
  };
  const missing: PartitionStatus = { status: 'missing', causes: [] };
  const reportOf = (partitions: Record<string, PartitionStatus>): StatusReport => ({
    graph,
    latest: new Map(),
    evaluatedAt: now,
    blockingFailures: new Map(),
    partitionSets: new Map([
      [METRICS, { keys: Object.keys(partitions), partitioned: true }],
      [PLAIN, { keys: [''], partitioned: false }],
    ]),
    statuses: new Map([
      [METRICS, new Map(Object.entries(partitions))],
      [PLAIN, new Map([['', hoursAgo(100)]])],
    ]),
  });

  const table: {
    name: string;
    partitions: Record<string, PartitionStatus>;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: 'the worst is a partition never materialized: fail, no lateness to measure',
      partitions: { d01: hoursAgo(1), d02: hoursAgo(7, 'stale'), d03: missing, d04: hoursAgo(5) },
      expected: {
        state: 'fail',
        counts: { pass: 1, warn: 1, fail: 2, neverMaterialized: 1, total: 4 },
        partition: 'd03',
        overdueByMs: null,
        overdueBy: 'never materialized',
        deadline: null,
        reason: '2 fail, 1 warn, 1 pass; d03: never materialized',
      },
    },
    {
      name: 'the most overdue partition is the worst; staleness does not matter',
      partitions: {
        d01: hoursAgo(8),
        d02: hoursAgo(7, 'stale'),
        d03: hoursAgo(9),
        d04: hoursAgo(1, 'stale'),
      },
      expected: {
        state: 'fail',
        counts: { pass: 1, warn: 0, fail: 3, neverMaterialized: 0, total: 4 },
        partition: 'd03',
        overdueByMs: 3 * HOUR,
        overdueBy: 'overdue by 3h',
        deadline: new Date(now.getTime() - 3 * HOUR),
      },
    },
    {
      name: 'warn: the partition closest to its deadline',
      partitions: { d01: hoursAgo(1), d02: hoursAgo(4.5), d03: hoursAgo(5), d04: hoursAgo(2) },
      expected: {
        state: 'warn',
        counts: { pass: 2, warn: 2, fail: 0, neverMaterialized: 0, total: 4 },
        partition: 'd03',
        overdueByMs: 0,
        overdueBy: null,
        deadline: new Date(now.getTime() + HOUR),
      },
    },
    {
      name: 'pass: the deadline is the earliest ahead',
      partitions: { d01: hoursAgo(1), d02: hoursAgo(3), d03: hoursAgo(2), d04: hoursAgo(0.5) },
      expected: {
        state: 'pass',
        counts: { pass: 4, warn: 0, fail: 0, neverMaterialized: 0, total: 4 },
        partition: 'd02',
        deadline: new Date(now.getTime() + 3 * HOUR),
      },
    },
    {
      name: 'no partitions yet: pass, nothing to judge',
      partitions: {},
      expected: {
        state: 'pass',
        counts: { pass: 0, warn: 0, fail: 0, neverMaterialized: 0, total: 0 },
        partition: null,
        deadline: null,
        reason: 'no partitions to judge yet',
      },
    },
  ];

  it.each(table)('$name', ({ partitions, expected }) => {
    const evaluation = evaluateFreshness(reportOf(partitions), METRICS)!;
    expect(evaluation.asset).toMatchObject({
      ...expected,
      policy: {
        maxLagMs: 6 * HOUR,
        warnAfterMs: 4 * HOUR,
        cron: null,
        timezone: null,
        description: 'maxLag 6h, warnAfter 4h',
      },
    });
    expect([...evaluation.partitions.keys()]).toEqual(Object.keys(partitions));
  });

  it('is null without a policy, and counts only the partitions asked for', () => {
    const report = reportOf({ d01: hoursAgo(1), d02: hoursAgo(7), d03: missing, d04: hoursAgo(5) });
    expect(evaluateFreshness(report, PLAIN)).toBeNull();
    expect(evaluateFreshness(report, METRICS, { partitions: ['d01', 'd04'] })!.asset).toMatchObject(
      { state: 'warn', counts: { pass: 1, warn: 1, fail: 0, total: 2 }, partition: 'd04' },
    );
  });

  it('is judged at another instant when asked (what a daemon looking ahead does)', () => {
    const report = reportOf({ d01: hoursAgo(1) });
    const later = new Date(now.getTime() + 6 * HOUR);
    expect(evaluateFreshness(report, METRICS, { now: later })!.asset).toMatchObject({
      state: 'fail',
      overdueByMs: HOUR,
    });
  });

  it('is part of the status summaries, with totals of assets by freshness state', () => {
    const report = reportOf({
      d01: hoursAgo(1),
      d02: hoursAgo(7),
      d03: hoursAgo(2),
      d04: hoursAgo(3),
    });
    const { assets, totals } = summarizeAssets(report, [METRICS, PLAIN]);
    expect(assets[0]!.freshness).toMatchObject({ state: 'fail', partition: 'd02' });
    expect(assets[0]!.partitions.map((p) => p.freshness?.state)).toEqual([
      'pass',
      'fail',
      'pass',
      'pass',
    ]);
    expect(assets[1]!.freshness).toBeNull();
    expect(assets[1]!.partitions[0]!.freshness).toBeNull();
    expect(totals.freshness).toEqual({ pass: 0, warn: 0, fail: 1 });
  });
});
