// Status and plans of a small graph of time-window and multi-dimensional partitions on a real
// PostgreSQL: yesterday's window (offset), a monthly rollup of days (within), every region of a
// day (per dimension); what a run computes, and what an older window's new value makes stale.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  asset,
  byDimension,
  dailyPartitions,
  monthlyPartitions,
  multiPartitions,
  staticPartitions,
  timeWindowOffset,
  timeWindowsWithin,
  type AnyAssetDefinition,
  type AssetKey,
} from '../../src/definitions/index.js';
import { computeStatus, createPlan } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { latestValue } from '../support/latest-value.js';

const database = useTestDatabase();

/** January 2024 in days (bounded, so every window exists whenever the test runs). */
const january = dailyPartitions({ start: '2024-01-01', end: '2024-02-01' });
const months = monthlyPartitions({ start: '2024-01-01', end: '2024-02-01' });
const firstDays = dailyPartitions({ start: '2024-01-01', end: '2024-01-04' });

/** events[day] = day of month (+ 100 on bumped days); change = day - events[yesterday]; a rollup. */
function world(prefix: string, bumped: ReadonlySet<string>): AnyAssetDefinition[] {
  const events = asset({
    key: `${prefix}/events`,
    partitions: january,
    codeVersion: 'e1',
    schema: z.number(),
    compute: ({ partitionKey }) =>
      Number(partitionKey!.slice(8)) + (bumped.has(partitionKey!) ? 100 : 0),
  });
  const change = asset({
    key: `${prefix}/change`,
    partitions: january,
    codeVersion: 'c1',
    deps: { yesterday: timeWindowOffset(events, -1) },
    schema: z.number(),
    compute: ({ inputs, partitionKey }) => Number(partitionKey!.slice(8)) - (inputs.yesterday ?? 0),
  });
  const total = asset({
    key: `${prefix}/total`,
    partitions: months,
    codeVersion: 't1',
    deps: { days: timeWindowsWithin(events) },
    schema: z.number(),
    compute: ({ inputs }) => Object.values(inputs.days).reduce((a, b) => a + b, 0),
  });
  const sales = asset({
    key: `${prefix}/sales`,
    partitions: multiPartitions({ date: firstDays, region: staticPartitions(['eu', 'us']) }),
    codeVersion: 's1',
    schema: z.number(),
    compute: ({ partitionKey }) => (partitionKey!.endsWith('|eu') ? 1 : 2),
  });
  const daySales = asset({
    key: `${prefix}/day_sales`,
    partitions: firstDays,
    codeVersion: 'd1',
    deps: { sales: byDimension(sales, { region: 'all' }) },
    schema: z.object({ regions: z.array(z.string()), sum: z.number() }),
    compute: ({ inputs }) => ({
      regions: Object.keys(inputs.sales),
      sum: Object.values(inputs.sales).reduce((a, b) => a + b, 0),
    }),
  });
  return [events, change, total, sales, daySales];
}

/** `key[partition]: status` of every partition that is not fresh, sorted. */
async function notFresh(prefix: string, assets: AnyAssetDefinition[]): Promise<string[]> {
  const graph = graphOf(assets);
  const report = await computeStatus(database.db, graph, graph.order);
  const lines: string[] = [];
  for (const [key, statuses] of report.statuses)
    for (const [partition, status] of statuses)
      if (status.status !== 'fresh')
        lines.push(`${key.slice(prefix.length + 1)}[${partition}]: ${status.status}`);
  return lines.sort();
}

describe('time-window partitions on PostgreSQL', () => {
  it('plans every window, computes offsets, rollups and regions, and re-plans what a late value changes', async () => {
    const prefix = 'tw';
    const assets = world(prefix, new Set());
    const graph = graphOf(assets);
    const plan = await createPlan(database.db, graph, `${prefix}/*`);
    const planned = new Map<string, number>();
    for (const step of plan.steps) planned.set(step.key, (planned.get(step.key) ?? 0) + 1);
    expect(Object.fromEntries(planned)).toEqual({
      [`${prefix}/events`]: 31,
      [`${prefix}/change`]: 31,
      [`${prefix}/total`]: 1,
      [`${prefix}/sales`]: 6,
      [`${prefix}/day_sales`]: 3,
    });

    const outcome = await run(database, graph, { selection: `${prefix}/*` });
    expect(outcome.kind).toBe('run');
    expect(await notFresh(prefix, assets)).toEqual([]);
    expect(await latestValue(database, `${prefix}/change`, '2024-01-01')).toBe(1); // no 31 December: undefined
    expect(await latestValue(database, `${prefix}/change`, '2024-01-11')).toBe(1);
    expect(await latestValue(database, `${prefix}/total`, '2024-01')).toBe((31 * 32) / 2);
    expect(await latestValue(database, `${prefix}/day_sales`, '2024-01-02')).toEqual({
      regions: ['2024-01-02|eu', '2024-01-02|us'],
      sum: 3,
    });
    const report = await computeStatus(database.db, graph, graph.order);
    expect(report.partitionSets.get(`${prefix}/sales` as AssetKey)!.keys).toEqual([
      '2024-01-01|eu',
      '2024-01-01|us',
      '2024-01-02|eu',
      '2024-01-02|us',
      '2024-01-03|eu',
      '2024-01-03|us',
    ]);

    // A late correction of 10 January: the next day's change and the month go stale.
    const late = world(prefix, new Set(['2024-01-10']));
    await run(database, graphOf(late), {
      selection: `${prefix}/events[2024-01-10]`,
      force: true,
    });
    expect(await notFresh(prefix, late)).toEqual([
      'change[2024-01-11]: stale',
      'total[2024-01]: stale',
    ]);
    const second = await run(database, graphOf(late), { selection: `${prefix}/*` });
    expect(second.kind).toBe('run');
    expect(await notFresh(prefix, late)).toEqual([]);
    expect(await latestValue(database, `${prefix}/change`, '2024-01-11')).toBe(11 - 110);
    expect(await latestValue(database, `${prefix}/total`, '2024-01')).toBe((31 * 32) / 2 + 100);
  });

  it('adds a window to the set when it completes: the status is a function of now', async () => {
    const open = asset({
      key: 'tw_open/days',
      partitions: dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' }),
      schema: z.number(),
      compute: () => 1,
    });
    const graph = graphOf([open]);
    const statusesAt = async (iso: string) => {
      const report = await computeStatus(database.db, graph, graph.order, new Date(iso));
      return Object.fromEntries(
        [...report.statuses.get(open.key as AssetKey)!].map(([k, v]) => [k, v.status]),
      );
    };
    // 3 January ends at 23:00Z (midnight in Berlin).
    expect(await statusesAt('2024-01-03T22:59:59Z')).toEqual({
      '2024-01-01': 'missing',
      '2024-01-02': 'missing',
    });
    expect(await statusesAt('2024-01-03T23:00:00Z')).toEqual({
      '2024-01-01': 'missing',
      '2024-01-02': 'missing',
      '2024-01-03': 'missing',
    });
  });
});
