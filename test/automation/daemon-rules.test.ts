// The on-cron and freshness rules of the automation daemon against a real database, at injected
// instants: an on-cron asset is launched once per cron tick, and not again for that tick after a
// daemon restart (a canceled launch included); a freshness-driven asset is rebuilt once overdue
// with the stale upstream its requirement names, and a fresh but overdue one in a forced run.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, automationScheduleOf } from '../../src/definitions/index.js';
import { untilAborted, waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { acted, useDaemons } from './daemon-harness.js';

const database = useTestDatabase();
const { daemonFor, finished } = useDaemons(database);

async function runRow(runId: number) {
  return database.db
    .selectFrom('strata_internal.runs')
    .select(['selection', 'trigger', 'trigger_reason', 'options'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
}

async function stepsOf(runId: number): Promise<string[]> {
  const rows = await database.db
    .selectFrom('strata_internal.steps')
    .select(['asset_key', 'status'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map((row) => `${row.asset_key}: ${row.status}`);
}

async function materializedAt(key: string): Promise<number> {
  const row = await database.db
    .selectFrom('strata_internal.latest_materializations')
    .select('materialized_at')
    .where('asset_key', '=', key)
    .executeTakeFirstOrThrow();
  return row.materialized_at.getTime();
}

const MINUTE = 60_000;

describe('on-cron automation', () => {
  let blocking = true;
  const raw = asset({ key: 'cron/raw', schema: z.number(), codeVersion: '1', compute: () => 1 });
  const hourly = asset({
    key: 'cron/hourly',
    deps: { raw },
    schema: z.number(),
    codeVersion: '1',
    automation: { onCron: '0 * * * *' },
    compute: async ({ signal }) => {
      if (blocking) await untilAborted(signal);
      return 2;
    },
  });
  const graph = graphOf([raw, hourly]);
  const policy = graph.node('cron/hourly').definition.automation;
  if (policy?.kind !== 'on-cron') throw new Error('not on-cron');
  const schedule = automationScheduleOf(policy);

  it('launches once per cron tick, not again for that tick after a restart, then at the next tick', async () => {
    await run(database, graph, { selection: 'cron/raw' });
    // Half past ten: the latest tick is 10:00, the next 11:00.
    const tick0 = Date.parse('2030-01-01T10:00:00Z');
    const start = tick0 + 30 * MINUTE;
    const tick1 = schedule.firstTickAfter(start)!;
    expect([schedule.latestTickAtOrBefore(start), tick1]).toEqual([tick0, tick0 + 60 * MINUTE]);
    const clock = { now: new Date(start) };
    const first = daemonFor(graph, clock);

    // The latest tick has not been served: launched, with the rule and the tick in the reason.
    const launched = acted(await first.daemon.tick());
    expect(launched.launched.map((e) => [e.key, e.rule, e.reason])).toEqual([
      ['cron/hourly', 'on-cron', 'never materialized (cron tick 2030-01-01 10:00 UTC)'],
    ]);
    const runId = launched.runId!;
    expect((await runRow(runId)).trigger_reason).toBe(
      'cron/hourly: on-cron: never materialized (cron tick 2030-01-01 10:00 UTC)',
    );
    // Canceled before it materialized anything: the partition is still missing.
    await waitFor('the step to run', async () =>
      (await stepsOf(runId)).includes('cron/hourly: running') ? true : undefined,
    );
    expect(await first.launcher.cancel(runId)).toBe(true);
    expect(await finished(runId)).toBe('canceled');

    const cases: { name: string; at: number; restart?: boolean; launches: boolean }[] = [
      { name: 'same tick, same daemon', at: start + MINUTE, launches: false },
      {
        name: 'same tick, after a restart',
        at: start + 2 * MINUTE,
        restart: true,
        launches: false,
      },
      { name: 'just before the next tick', at: tick1 - 1000, launches: false },
      { name: 'the next tick', at: tick1 + 1000, launches: true },
      { name: 'the next tick again (now fresh)', at: tick1 + 2000, launches: false },
    ];
    let daemon = first.daemon;
    blocking = false;
    for (const c of cases) {
      if (c.restart === true) {
        await daemon.stop();
        daemon = daemonFor(graph, clock).daemon;
      }
      clock.now = new Date(c.at);
      const tick = acted(await daemon.tick());
      expect([c.name, tick.launched.map((e) => e.key), tick.held]).toEqual([
        c.name,
        c.launches ? ['cron/hourly'] : [],
        [],
      ]);
      if (c.launches) expect(await finished(tick.runId!)).toBe('succeeded');
    }
  });
});

describe('freshness-driven automation', () => {
  let baseValue = 1;
  let sideValue = 1;
  const base = asset({
    key: 'fresh/base',
    schema: z.number(),
    codeVersion: '1',
    compute: () => baseValue,
  });
  const raw = asset({
    key: 'fresh/raw',
    deps: { base },
    schema: z.number(),
    codeVersion: '1',
    compute: ({ inputs }) => inputs.base + 1,
  });
  const metrics = asset({
    key: 'fresh/metrics',
    deps: { raw },
    schema: z.number(),
    codeVersion: '1',
    automation: 'freshness',
    freshness: { maxLag: '1h' },
    compute: ({ inputs }) => inputs.raw * 2,
  });
  const sideBase = asset({
    key: 'fresh/side_base',
    schema: z.number(),
    codeVersion: '1',
    compute: () => sideValue,
  });
  const side = asset({
    key: 'fresh/side',
    deps: { sideBase },
    schema: z.number(),
    codeVersion: '1',
    automation: 'eager',
    compute: ({ inputs }) => inputs.sideBase,
  });
  const graph = graphOf([base, raw, metrics, sideBase, side]);

  it('rebuilds an overdue asset with the stale upstream its requirement names, and a fresh overdue one in a forced run', async () => {
    await run(database, graph);
    baseValue = 2;
    await run(database, graph, { selection: 'fresh/base', force: true });
    const built = await materializedAt('fresh/metrics');
    const clock = { now: new Date(built + 30 * MINUTE) };
    const { daemon } = daemonFor(graph, clock);

    // Stale but within its policy: a freshness-driven asset waits until it is due.
    const early = acted(await daemon.tick());
    expect([early.runId, early.launched, early.held]).toEqual([null, [], []]);

    // Overdue: itself and its stale upstream, which has no automation policy of its own.
    clock.now = new Date(built + 72 * MINUTE);
    const due = acted(await daemon.tick());
    expect(due.launched.map((e) => [e.key, e.rule, e.reason])).toEqual([
      [
        'fresh/raw',
        'freshness',
        'stale (upstream fresh/base changed); needed for the freshness of fresh/metrics (overdue by 12m)',
      ],
      ['fresh/metrics', 'freshness', 'overdue by 12m; stale (upstream fresh/raw is stale)'],
    ]);
    const dueRun = await runRow(due.runId!);
    expect(dueRun.selection).toBe('fresh/raw, fresh/metrics');
    expect(dueRun.trigger_reason).toBe(
      'fresh/raw: freshness: stale (upstream fresh/base changed); needed for the freshness of fresh/metrics (overdue by 12m); ' +
        'fresh/metrics: freshness: overdue by 12m; stale (upstream fresh/raw is stale)',
    );
    expect(await finished(due.runId!)).toBe('succeeded');
    expect(await stepsOf(due.runId!)).toEqual(['fresh/raw: succeeded', 'fresh/metrics: succeeded']);

    // Fresh by lineage but overdue again, while an unrelated eager asset is stale: the overdue
    // one is rebuilt in a forced run (its inputs are unchanged), the eager one in an ordinary run.
    sideValue = 2;
    await run(database, graph, { selection: 'fresh/side_base', force: true });
    const rebuilt = await materializedAt('fresh/metrics');
    clock.now = new Date(rebuilt + 65 * MINUTE);
    const refresh = acted(await daemon.tick());
    expect(refresh.launched.map((e) => [e.key, e.rule])).toEqual([
      ['fresh/side', 'eager'],
      ['fresh/metrics', 'freshness'],
    ]);
    const forcedRunId = Number(/\(forced run (\d+)\)$/.exec(refresh.launched[1]!.reason)![1]);
    expect(refresh.launched[1]!.reason).toBe(`overdue by 5m (forced run ${forcedRunId})`);
    const [ordinary, forced] = [await runRow(refresh.runId!), await runRow(forcedRunId)];
    expect([ordinary.selection, (ordinary.options as { force: boolean }).force]).toEqual([
      'fresh/side',
      false,
    ]);
    expect([forced.selection, (forced.options as { force: boolean }).force]).toEqual([
      'fresh/metrics',
      true,
    ]);
    expect(forced.trigger_reason).toBe('fresh/metrics: freshness: overdue by 5m');
    expect(await finished(forcedRunId)).toBe('succeeded');
    expect(await finished(refresh.runId!)).toBe('succeeded');
    expect(await stepsOf(forcedRunId)).toEqual(['fresh/metrics: succeeded']);
    expect(await materializedAt('fresh/metrics')).toBeGreaterThan(rebuilt);
  });
});
