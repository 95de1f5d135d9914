// The automation daemon against a real database: eager assets rebuilt once with their reasons,
// held back while their upstream is not automated, running, or backing off after a failure;
// two daemons on one database never launch twice; every tick is recorded.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listTicks } from '../../src/automation/index.js';
import { asset, type AnyAssetDefinition } from '../../src/definitions/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import { deferred, waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { acted, useDaemons } from './daemon-harness.js';

const database = useTestDatabase();
const harness = useDaemons(database);
const { finished } = harness;
const daemonFor = (graph: AssetGraph, clock: { now: Date }) =>
  harness.daemonFor(graph, clock).daemon;

const number = (key: string, deps: Record<string, AnyAssetDefinition>, eager: boolean) =>
  asset({
    key,
    deps,
    schema: z.number(),
    codeVersion: '1',
    ...(eager ? { automation: 'eager' as const } : {}),
    compute: () => 1,
  });

describe('eager automation', () => {
  const raw = number('auto/raw', {}, false);
  const clean = number('auto/clean', { raw }, true);
  const summary = number('auto/summary', { clean }, true);
  const graph = graphOf([raw, clean, summary]);

  it('waits for an upstream asset that is not automated, then rebuilds once, with its reasons', async () => {
    const clock = { now: new Date() };
    const daemon = daemonFor(graph, clock);

    const first = acted(await daemon.tick());
    expect(first.runId).toBeNull();
    expect(first.held.map((h) => [h.key, h.reason])).toEqual([
      ['auto/clean', 'waiting for auto/raw (missing, not automated)'],
      ['auto/summary', 'waiting for auto/clean (missing, held back)'],
    ]);

    await run(database, graph, { selection: 'auto/raw' });
    const second = acted(await daemon.tick());
    expect(second.launched.map((l) => l.key)).toEqual(['auto/clean', 'auto/summary']);
    expect(second.launched.every((l) => l.rule === 'eager')).toBe(true);
    expect(second.runId).not.toBeNull();
    const runRow = await database.db
      .selectFrom('strata_internal.runs')
      .select(['trigger', 'trigger_reason', 'selection'])
      .where('id', '=', second.runId!)
      .executeTakeFirstOrThrow();
    expect(runRow.trigger).toBe('automation');
    expect(runRow.selection).toBe('auto/clean, auto/summary');
    expect(runRow.trigger_reason).toMatch(/^auto\/clean: eager: .*; auto\/summary: eager: /);
    expect(await finished(second.runId!)).toBe('succeeded');

    const third = acted(await daemon.tick());
    expect([third.runId, third.launched, third.held]).toEqual([null, [], []]);

    const ticks = await listTicks(database.db, { limit: 10 });
    expect(ticks.map((t) => [t.status, t.run_id])).toEqual([
      ['succeeded', null],
      ['succeeded', second.runId],
      ['succeeded', null],
    ]);
    expect(ticks[1]!.launched.map((e) => e.key)).toEqual(['auto/clean', 'auto/summary']);
    expect(ticks[2]!.evaluated_assets).toBe(2);
  });

  it('lets one of two daemons on the same database act; no run is launched twice', async () => {
    const other = number('auto/other', {}, true);
    const twoGraph = graphOf([other]);
    const clock = { now: new Date() };
    const [a, b] = [daemonFor(twoGraph, clock), daemonFor(twoGraph, clock)];
    const results = await Promise.all([a.tick(), b.tick()]);
    expect(results.map((r) => r.status).sort()).toEqual(['standby', 'succeeded']);
    const leader = results[0]!.status === 'standby' ? b : a;
    const follower = leader === a ? b : a;
    const runId = acted(results.find((r) => r.status !== 'standby')!).runId!;
    expect(await finished(runId)).toBe('succeeded');
    expect((await follower.tick()).status).toBe('standby');
    // The leader stops: the other one takes over at its next tick.
    await leader.stop();
    expect((await follower.tick()).status).toBe('succeeded');
  });
});

describe('an automated asset being rebuilt', () => {
  it('is held back while its step runs, not launched again', async () => {
    const gate = deferred();
    const slow = asset({
      key: 'auto/slow',
      schema: z.number(),
      codeVersion: '1',
      automation: 'eager',
      compute: async () => {
        await gate.promise;
        return 1;
      },
    });
    const daemon = daemonFor(graphOf([slow]), { now: new Date() });
    const first = acted(await daemon.tick());
    await waitFor('the step to run', async () => {
      const step = await database.db
        .selectFrom('strata_internal.steps')
        .select('status')
        .where('run_id', '=', first.runId!)
        .executeTakeFirst();
      return step?.status === 'running' ? true : undefined;
    });
    const second = acted(await daemon.tick());
    expect([second.runId, second.held.map((h) => [h.key, h.reason])]).toEqual([
      null,
      [['auto/slow', 'already running']],
    ]);
    gate.resolve();
    expect(await finished(first.runId!)).toBe('succeeded');
  });
});

describe('a failing automated asset', () => {
  const broken = asset({
    key: 'auto/broken',
    schema: z.number(),
    codeVersion: '1',
    automation: 'eager',
    retry: { maxAttempts: 1 },
    compute: () => {
      throw new Error('the licence server is down');
    },
  });
  const graph = graphOf([broken]);

  it('is retried with backoff, not relaunched every tick', async () => {
    const start = Date.now();
    const clock = { now: new Date(start) };
    const daemon = daemonFor(graph, clock);
    const at = async (seconds: number) => {
      clock.now = new Date(start + seconds * 1000);
      return acted(await daemon.tick());
    };

    const first = await at(0);
    expect(await finished(first.runId!)).toBe('failed');
    const cases: { seconds: number; held?: string; retried?: RegExp }[] = [
      { seconds: 1, held: 'failed; retrying in 1m' },
      { seconds: 31, held: 'failed 1 time(s); retrying in 30s' },
      { seconds: 62, retried: /retry 1 after 1 failure\(s\)/ },
    ];
    for (const { seconds, held, retried } of cases) {
      const tick = await at(seconds);
      if (held !== undefined) {
        expect([tick.runId, tick.held.map((h) => h.reason)]).toEqual([null, [held]]);
      } else {
        expect(tick.launched[0]?.reason).toMatch(retried!);
        expect(await finished(tick.runId!)).toBe('failed');
      }
    }
    const after = await at(63);
    expect(after.held.map((h) => h.reason)).toEqual(['failed 2 time(s); retrying in 1m 59s']);
  });
});
