// Cancelling and resuming: aborting materialize's signal cancels the run (the running step is
// aborted through its ctx.signal, steps not started are cancelled); materialize({ resumeRunId })
// finishes the same run, recording exactly one materialization per asset partition.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, staticPartitions } from '../../src/definitions/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses } from '../support/engine.js';
import {
  attemptStatuses,
  ComputeCounter,
  materializationCounts,
  runEvents,
  stepOf,
  summaryOf,
  untilAborted,
} from './helpers.js';

const database = useTestDatabase();

describe('cancel and resume', () => {
  it('cancels a run on abort and finishes the same run on resume', async () => {
    let hang = true;
    const counter = new ComputeCounter();
    const signals: AbortSignal[] = [];
    const cad = asset({
      key: 'cad',
      schema: z.string(),
      compute: (ctx) => (counter.hit(ctx.assetKey, ctx.partitionKey), 'rev-a'),
    });
    const interrupt = new AbortController();
    const mesh = asset({
      key: 'mesh',
      deps: { cad },
      schema: z.string(),
      compute: async (ctx) => {
        counter.hit(ctx.assetKey, ctx.partitionKey);
        signals.push(ctx.signal);
        if (hang) {
          interrupt.abort(); // Ctrl-C while mesh computes
          await untilAborted(ctx.signal);
        }
        return `mesh of ${ctx.inputs.cad}`;
      },
    });
    const loads = staticPartitions(['l1', 'l2', 'l3']);
    const solve = asset({
      key: 'solve',
      deps: { mesh },
      partitions: loads,
      schema: z.string(),
      compute: (ctx) => (
        counter.hit(ctx.assetKey, ctx.partitionKey),
        `${ctx.inputs.mesh}/${ctx.partitionKey}`
      ),
    });
    const graph = graphOf([cad, mesh, solve]);

    let runId: number | undefined;
    const canceled = await run(database, graph, {
      signal: interrupt.signal,
      onRunCreated: (id) => (runId = id),
    });

    const first = summaryOf(canceled);
    expect(first.runId).toBe(runId);
    expect(first.status).toBe('canceled');
    expect(stepStatuses(canceled)).toEqual([
      'cad: succeeded',
      'mesh: canceled',
      'solve[l1]: canceled',
      'solve[l2]: canceled',
      'solve[l3]: canceled',
    ]);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    const mesh1 = stepOf(first, 'mesh');
    expect(await attemptStatuses(database, mesh1.stepId)).toEqual(['canceled']);
    for (const partition of ['l1', 'l2', 'l3'])
      expect(stepOf(first, 'solve', partition).attempts).toBe(0);
    expect(await runEvents(database, first.runId, 'run_canceled')).toHaveLength(1);
    expect(
      (await runEvents(database, first.runId, 'step_canceled')).map((e) => e.asset_key),
    ).toEqual(['mesh']);
    expect(await materializationCounts(database, first.runId)).toEqual({ cad: 1 });

    hang = false;
    const resumed = await run(database, graph, { resumeRunId: first.runId });
    const second = summaryOf(resumed);
    expect(second.runId).toBe(first.runId);
    expect(second.status).toBe('succeeded');
    expect(stepStatuses(resumed)).toEqual([
      'cad: succeeded',
      'mesh: succeeded',
      'solve[l1]: succeeded',
      'solve[l2]: succeeded',
      'solve[l3]: succeeded',
    ]);
    expect(await attemptStatuses(database, mesh1.stepId)).toEqual(['canceled', 'succeeded']);
    expect(await materializationCounts(database, first.runId)).toEqual({
      cad: 1,
      mesh: 1,
      'solve[l1]': 1,
      'solve[l2]': 1,
      'solve[l3]': 1,
    });
    expect(counter.sorted()).toEqual({
      cad: 1,
      mesh: 2,
      'solve[l1]': 1,
      'solve[l2]': 1,
      'solve[l3]': 1,
    });
    expect(await runEvents(database, first.runId, 'run_resumed')).toHaveLength(1);
    const laterRuns = await database.db
      .selectFrom('strata_internal.runs')
      .select('id')
      .where('id', '>', first.runId)
      .execute();
    expect(laterRuns).toEqual([]);
  });

  it('refuses to resume a run that already succeeded', async () => {
    const once = asset({ key: 'once', schema: z.number(), compute: () => 1 });
    const graph = graphOf([once]);
    const summary = summaryOf(await run(database, graph));
    expect(summary.status).toBe('succeeded');
    await expect(run(database, graph, { resumeRunId: summary.runId })).rejects.toThrow(
      `run ${summary.runId} already succeeded`,
    );
  });
});
