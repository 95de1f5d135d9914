// Chain fusion (src/executor/fuse-chain.ts): a forced run of a line of fast steps records several
// steps per transaction, each exactly once, with the same provenance as one step at a time (its
// own attempt, its input the materialization recorded just before it, its log lines before its
// outcome); a step that reaches for a tool or fails is not fused and runs under its own attempt,
// its failure counted once.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fusionChain, lineKey } from '../fixtures/fusion-chain.js';
import { useTestDatabase } from '../support/database.js';
import { run } from '../support/engine.js';
import { ComputeCounter, deferred, materializationCounts, summaryOf, waitFor } from './helpers.js';

const database = useTestDatabase();

/** Per step of run `runId` (by asset): its materialization, the transaction that wrote it, its attempts. */
async function recorded(runId: number) {
  const { rows } = await sql<{
    asset_key: string;
    materialization_id: number;
    value: number;
    dep_materialization_id: number | null;
    transaction: string;
    attempt_id: number;
    attempts: string[];
  }>`
    select m.asset_key, m.id as materialization_id, m.value, i.dep_materialization_id, m.xmin::text as transaction,
      m.attempt_id, array(select a.status from strata_internal.attempts a where a.step_id = m.step_id order by a.number) as attempts
    from strata_internal.materializations m
    left join strata_internal.materialization_inputs i on i.materialization_id = m.id
    where m.run_id = ${runId}
    order by m.asset_key`.execute(database.db);
  return new Map(rows.map((row) => [row.asset_key, row]));
}

function runIdOf(outcome: Awaited<ReturnType<typeof run>>): number {
  return summaryOf(outcome).runId;
}

describe('chain fusion', () => {
  it('records a forced line of fast steps in fewer transactions than steps, each exactly once', async () => {
    const length = 12;
    const counter = new ComputeCounter();
    const graph = fusionChain('fast', length, (key) => counter.hit(key, undefined), {
      4: (ctx, previous) => {
        ctx.log.info('fourth step', { previous });
        return previous + 1;
      },
    });
    // The first run computes each step on its own: nothing was computed before.
    expect(summaryOf(await run(database, graph)).status).toBe('succeeded');
    counter.counts.clear();

    const forced = await run(database, graph, { force: true });
    expect(summaryOf(forced).status).toBe('succeeded');
    const runId = runIdOf(forced);
    const steps = await recorded(runId);
    // Each step computed once and recorded once, with its own single successful attempt.
    expect(Object.values(counter.sorted())).toEqual(Array(length).fill(1));
    expect(Object.values(await materializationCounts(database, runId))).toEqual(
      Array(length).fill(1),
    );
    for (let index = 1; index <= length; index++) {
      const step = steps.get(lineKey('fast', index))!;
      expect(step.value, step.asset_key).toBe(index);
      expect(step.attempts, step.asset_key).toEqual(['succeeded']);
      // Its input is what the step before recorded in this run.
      expect(step.dep_materialization_id, step.asset_key).toBe(
        index === 1 ? null : steps.get(lineKey('fast', index - 1))!.materialization_id,
      );
    }
    const transactions = new Set([...steps.values()].map((s) => s.transaction));
    expect(transactions.size, 'transactions that recorded the line').toBeLessThan(length);

    // The fourth step's log line is under its attempt, before its outcome.
    const fourth = steps.get(lineKey('fast', 4))!;
    const { rows: events } = await sql<{ kind: string; attempt_id: number; message: string }>`
      select e.kind, e.attempt_id, e.message from strata_internal.events e
      join strata_internal.steps s on s.id = e.step_id
      where e.run_id = ${runId} and s.asset_key = ${fourth.asset_key}
      order by e.id`.execute(database.db);
    expect(events).toEqual([
      { kind: 'log', attempt_id: fourth.attempt_id, message: 'fourth step' },
      {
        kind: 'step_materialized',
        attempt_id: fourth.attempt_id,
        message: expect.stringMatching(/^fast04 materialized/),
      },
    ]);
    const settled = await database.db
      .selectFrom('strata_internal.runs')
      .select(['status', 'pending_steps'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(settled).toEqual({ status: 'succeeded', pending_steps: 0 });
  });

  it('cuts a line off early in the same transaction when the first step computes the same value again', async () => {
    const counter = new ComputeCounter();
    const line = (headVersion: string) =>
      fusionChain('cut', 6, (key) => counter.hit(key, undefined), {}, { 1: headVersion });
    expect(summaryOf(await run(database, line('1'))).status).toBe('succeeded');
    counter.counts.clear();

    // A new code version of the first step: it and everything after it are stale, not forced.
    const outcome = await run(database, line('2'));
    const summary = summaryOf(outcome);
    expect(summary.status).toBe('succeeded');
    const steps = await sql<{ asset_key: string; status: string; transaction: string }>`
      select asset_key, status, xmin::text as transaction from strata_internal.steps
      where run_id = ${summary.runId} order by asset_key`.execute(database.db);
    // Only the first step computed; the others found their latest materialization up to date.
    expect(counter.sorted()).toEqual({ cut01: 1 });
    expect(steps.rows.map((s) => [s.asset_key, s.status])).toEqual([
      ['cut01', 'succeeded'],
      ['cut02', 'fresh'],
      ['cut03', 'fresh'],
      ['cut04', 'fresh'],
      ['cut05', 'fresh'],
      ['cut06', 'fresh'],
    ]);
    expect(await materializationCounts(database, summary.runId)).toEqual({ cut01: 1 });
    expect(new Set(steps.rows.map((s) => s.transaction)).size).toBeLessThan(6);
  });

  it('gives up a fused step slower than its history: it runs under its own attempt, shown running', async () => {
    let holding = false;
    const release = deferred();
    const graph = fusionChain('slow', 5, undefined, {
      3: async (_ctx, previous) => {
        if (holding) await release.promise;
        return previous + 1;
      },
    });
    expect(summaryOf(await run(database, graph)).status).toBe('succeeded');
    holding = true;
    let runId: number | undefined;
    const forced = run(database, graph, { force: true, onRunCreated: (id) => (runId = id) });
    // The line before it is recorded, and the slow step is claimed for an attempt of its own.
    const running = await waitFor('the slow step to be running under an attempt', async () => {
      if (runId === undefined) return undefined;
      const row = await database.db
        .selectFrom('strata_internal.steps')
        .select(['status', 'current_attempt_id'])
        .where('run_id', '=', runId)
        .where('asset_key', '=', 'slow03')
        .executeTakeFirst();
      return row?.status === 'running' ? row : undefined;
    });
    expect(running.current_attempt_id).not.toBeNull();
    release.resolve();
    const summary = summaryOf(await forced);
    expect(summary.status).toBe('succeeded');
    expect(Object.values(await materializationCounts(database, summary.runId))).toEqual(
      Array(5).fill(1),
    );
    const steps = await recorded(summary.runId);
    expect(steps.get('slow03')!.attempts).toEqual(['succeeded']);
    expect(steps.get('slow03')!.attempt_id).toBe(running.current_attempt_id);
  });

  it('runs a step that reaches for a tool under its own attempt, not fused', async () => {
    const counter = new ComputeCounter();
    let reached = 0;
    const graph = fusionChain('tool', 6, (key) => counter.hit(key, undefined), {
      4: async (ctx, previous) => {
        // A tool server this definition lacks: the call fails, and the code goes on without it.
        reached++;
        await ctx.tools.call('absent', 'anything', {}).catch(() => undefined);
        return previous + 1;
      },
    });
    expect(summaryOf(await run(database, graph)).status).toBe('succeeded');
    counter.counts.clear();
    reached = 0;

    const forced = await run(database, graph, { force: true });
    expect(summaryOf(forced).status).toBe('succeeded');
    const steps = await recorded(runIdOf(forced));
    expect(Object.values(await materializationCounts(database, runIdOf(forced)))).toEqual(
      Array(6).fill(1),
    );
    const [third, fourth] = [steps.get('tool03')!, steps.get('tool04')!];
    // Refused fused (before anything was sent), then run under its own claim.
    expect(fourth.transaction).not.toBe(third.transaction);
    expect(fourth.attempts).toEqual(['succeeded']);
    expect(fourth.value).toBe(4);
    expect(counter.get('tool04')).toBe(reached);
    expect(reached).toBeGreaterThanOrEqual(1);
  });

  it('fails a step that throws under its own attempts: the fused try counts for nothing', async () => {
    let failing = false;
    const counter = new ComputeCounter();
    const graph = fusionChain('fail', 6, (key) => counter.hit(key, undefined), {
      4: (_ctx, previous) => {
        if (failing) throw new Error('the fourth step fails now');
        return previous + 1;
      },
    });
    expect(summaryOf(await run(database, graph)).status).toBe('succeeded');
    failing = true;
    counter.counts.clear();

    const forced = await run(database, graph, { force: true });
    const summary = summaryOf(forced);
    expect(summary.status).toBe('failed');
    const statuses = await database.db
      .selectFrom('strata_internal.steps')
      .select(['asset_key', 'status', 'attempts', 'max_attempts'])
      .where('run_id', '=', summary.runId)
      .orderBy('asset_key')
      .execute();
    expect(statuses.map((s) => [s.asset_key, s.status])).toEqual([
      ['fail01', 'succeeded'],
      ['fail02', 'succeeded'],
      ['fail03', 'succeeded'],
      ['fail04', 'failed'],
      ['fail05', 'skipped'],
      ['fail06', 'skipped'],
    ]);
    const fourth = statuses[3]!;
    // Every recorded attempt failed, as many as its retry policy allows; the step computed once
    // more than that if it was tried fused (within the commit window), which left nothing behind.
    const attempts = await database.db
      .selectFrom('strata_internal.attempts as a')
      .innerJoin('strata_internal.steps as s', 's.id', 'a.step_id')
      .select(['a.status'])
      .where('s.run_id', '=', summary.runId)
      .where('s.asset_key', '=', 'fail04')
      .execute();
    expect(attempts.map((a) => a.status)).toEqual(Array(fourth.max_attempts).fill('failed'));
    expect(fourth.attempts).toBe(fourth.max_attempts);
    expect([fourth.max_attempts, fourth.max_attempts + 1]).toContain(counter.get('fail04'));
    expect(await materializationCounts(database, summary.runId)).toEqual({
      fail01: 1,
      fail02: 1,
      fail03: 1,
    });
  });
});
