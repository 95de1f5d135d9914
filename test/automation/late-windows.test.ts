// The eager rule and time windows (docs/automation.md, "Time windows"): every missing or stale
// window whose inputs are ready is launched, old or new. A window that arrives late, after later
// ones were built, is launched on the next tick (unlike an eager rule that looks only at the
// latest window); one whose input is still missing is held, naming the input. On-cron and
// freshness assets want every window that exists at the tick.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, dailyPartitions, type AssetKey } from '../../src/definitions/index.js';
import { partitionId } from '../../src/automation/backoff.js';
import { selectCandidates } from '../../src/automation/select-candidates.js';
import { computeStatus } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';

const database = useTestDatabase();

const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-05' });
const events = asset({
  key: 'late/events',
  partitions: days,
  codeVersion: 'e1',
  schema: z.number(),
  compute: ({ partitionKey }) => Number(partitionKey!.slice(8)),
});
const clean = asset({
  key: 'late/clean',
  partitions: days,
  codeVersion: 'c1',
  deps: { events },
  automation: 'eager',
  schema: z.number(),
  compute: ({ inputs }) => inputs.events * 2,
});
const graph = graphOf([events, clean]);
const cleanKey = clean.key as AssetKey;

/** One tick's decisions for the eager asset, as `partition: launch|held reason`. */
async function tick(): Promise<string[]> {
  const now = new Date();
  const report = await computeStatus(database.db, graph, [cleanKey], now);
  const selection = selectCandidates({
    report,
    automated: [cleanKey],
    activity: new Map(),
    backoff: new Map(),
    cronLaunches: new Map(),
    lookaheadMs: () => 0,
    now,
  });
  return [
    ...selection.launch.map((item) => `${item.partition}: launch`),
    ...selection.held.map((item) => `${item.partition}: held ${item.reason}`),
  ].sort();
}

describe('eager automation of time windows', () => {
  it('launches every window whose input is ready, and an older one once it arrives late', async () => {
    await run(database, graph, {
      selection: events.key,
      partitions: ['2024-01-01', '2024-01-03', '2024-01-04'],
    });
    expect(await tick()).toEqual([
      '2024-01-01: launch',
      '2024-01-02: held waiting for late/events (missing, not automated)',
      '2024-01-03: launch',
      '2024-01-04: launch',
    ]);
    await run(database, graph, {
      selection: clean.key,
      partitions: ['2024-01-01', '2024-01-03', '2024-01-04'],
    });
    expect(await tick()).toEqual([
      '2024-01-02: held waiting for late/events (missing, not automated)',
    ]);

    // 2 January arrives after the later days were built: the next tick launches it.
    await run(database, graph, { selection: events.key, partitions: ['2024-01-02'] });
    expect(await tick()).toEqual(['2024-01-02: launch']);
  });

  it('on-cron and freshness assets want every window that exists at the tick', async () => {
    const open = dailyPartitions({ start: '2024-01-01', timezone: 'Europe/Berlin' });
    const onCron = asset({
      key: 'late/on_cron',
      partitions: open,
      automation: { onCron: '0 6 * * *', timezone: 'Europe/Berlin' },
      schema: z.number(),
      compute: () => 1,
    });
    const fresh = asset({
      key: 'late/fresh',
      partitions: open,
      automation: 'freshness',
      freshness: { maxLag: '1d' },
      schema: z.number(),
      compute: () => 1,
    });
    const keys = [onCron.key as AssetKey, fresh.key as AssetKey];
    const windowsGraph = graphOf([onCron, fresh]);
    // 07:00 Berlin on 4 January: three days have ended, 4 January is in progress.
    const now = new Date('2024-01-04T06:00:00Z');
    const report = await computeStatus(database.db, windowsGraph, keys, now);
    const selection = selectCandidates({
      report,
      automated: keys,
      activity: new Map(),
      backoff: new Map(),
      // 2 January was launched for this morning's tick already.
      cronLaunches: new Map([
        [
          partitionId(onCron.key as AssetKey, '2024-01-02'),
          { tick: new Date('2024-01-04T05:00:00Z'), runId: 1, stepStatus: 'succeeded' },
        ],
      ]),
      lookaheadMs: () => 0,
      now,
    });
    expect(selection.launch.map((item) => `${item.key}[${item.partition}] ${item.rule}`)).toEqual([
      'late/fresh[2024-01-01] freshness',
      'late/fresh[2024-01-02] freshness',
      'late/fresh[2024-01-03] freshness',
      'late/on_cron[2024-01-01] on-cron',
      'late/on_cron[2024-01-03] on-cron',
    ]);
  });
});
