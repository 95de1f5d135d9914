// What computes write to stdout and stderr (src/executor/output-capture.ts): captured per attempt
// as log events naming their stream, even when two computes in one worker interleave across
// awaits; each attempt of a retried step holds its own; the per-attempt limit holds; a fused
// step's lines are recorded under its attempt; writes outside any compute pass through.
// Vitest replaces the global console, so computes here write through a Console on the
// process's streams, which is what Node's global console is.
import { Console } from 'node:console';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset } from '../../src/definitions/index.js';
import { OUTPUT_LIMITS } from '../../src/executor/captured-output.js';
import { fusionChain, lineKey } from '../fixtures/fusion-chain.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';
import { deferred, stepOf, summaryOf, type Deferred } from './helpers.js';

const database = useTestDatabase();
const out = new Console(process.stdout, process.stderr);

// What reaches the real stdout: recorded before the capture's hook is installed (at the first
// compute), so the hook passes writes outside any compute to this recorder.
const passedThrough: string[] = [];
const realWrite = process.stdout.write;
process.stdout.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
  passedThrough.push(String(args[0]));
  return Reflect.apply(realWrite, this, args) as boolean;
} as NodeJS.WriteStream['write'];

interface LogLine {
  attempt_id: number | null;
  level: string;
  stream: string | null;
  message: string;
}

/** The log lines of run `runId` of asset `key` (via the strata.events view), in order. */
async function logLines(runId: number, key: string): Promise<LogLine[]> {
  const { rows } = await sql<LogLine>`
    select attempt_id, level, data->>'stream' as stream, message from strata.events
    where run_id = ${runId} and asset_key = ${key} and kind = 'log' order by event_id`.execute(
    database.db,
  );
  return rows;
}

/** Resolves for both callers once both have called it with the same round. */
function rendezvous(): (round: number) => Promise<void> {
  const rounds = new Map<number, { arrived: number; all: Deferred<void> }>();
  return (round) => {
    const entry = rounds.get(round) ?? { arrived: 0, all: deferred() };
    rounds.set(round, entry);
    entry.arrived += 1;
    if (entry.arrived === 2) entry.all.resolve();
    return entry.all.promise;
  };
}

describe('captured compute output', () => {
  it('gives two steps computing at once in one worker exactly their own lines, and passes other writes through', async () => {
    const meet = rendezvous();
    // Midway, `left` waits while the test writes (outside any compute): not theirs.
    const midway = deferred();
    const resume = deferred();
    void midway.promise.then(() => {
      process.stdout.write('outside any compute\n');
      resume.resolve();
    });
    const talker = (name: string) =>
      asset({
        key: name,
        schema: z.string(),
        compute: async (ctx) => {
          for (let round = 1; round <= 3; round++) {
            out.log(`${name} out ${round}`);
            await meet(round);
            if (name === 'left' && round === 2) {
              midway.resolve();
              await resume.promise;
            }
            process.stderr.write(`${name} err ${round}\n`);
            process.stdout.write(`${name} part `);
            await new Promise((resolve) => setTimeout(resolve, 2));
            process.stdout.write(`${round}\n`);
          }
          ctx.log.info(`${name} done`);
          return name;
        },
      });
    const outcome = await run(database, graphOf([talker('left'), talker('right')]), {
      concurrency: 2,
    });
    const summary = summaryOf(outcome);
    expect(summary.status).toBe('succeeded');
    for (const name of ['left', 'right']) {
      const lines = await logLines(summary.runId, name);
      const step = stepOf(summary, name);
      const [attempt] = await database.db
        .selectFrom('strata_internal.attempts')
        .select('id')
        .where('step_id', '=', step.stepId)
        .execute();
      expect(lines).toEqual([
        ...[1, 2, 3].flatMap((round) => [
          {
            attempt_id: attempt!.id,
            level: 'info',
            stream: 'stdout',
            message: `${name} out ${round}`,
          },
          {
            attempt_id: attempt!.id,
            level: 'warn',
            stream: 'stderr',
            message: `${name} err ${round}`,
          },
          {
            attempt_id: attempt!.id,
            level: 'info',
            stream: 'stdout',
            message: `${name} part ${round}`,
          },
        ]),
        { attempt_id: attempt!.id, level: 'info', stream: null, message: `${name} done` },
      ]);
    }
    expect(passedThrough).toContain('outside any compute\n');
    expect(passedThrough.filter((text) => /^(left|right) /.test(text))).toEqual([]);
  });

  it('keeps what each attempt of a retried step wrote under that attempt, before its retry', async () => {
    const flaky = asset({
      key: 'flaky',
      schema: z.number(),
      retry: { maxAttempts: 3, delay: 10 },
      compute: async (ctx) => {
        out.log(`attempt ${ctx.attempt} says hi`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        process.stderr.write(`attempt ${ctx.attempt} failing`); // no newline: ended by the compute's end
        if (ctx.attempt < 3) throw new Error(`failure ${ctx.attempt}`);
        return ctx.attempt;
      },
    });
    const summary = summaryOf(await run(database, graphOf([flaky])));
    expect(summary.status).toBe('succeeded');
    const attempts = await database.db
      .selectFrom('strata_internal.attempts')
      .select(['id', 'number'])
      .where('step_id', '=', stepOf(summary, 'flaky').stepId)
      .orderBy('number')
      .execute();
    expect(attempts).toHaveLength(3);
    const lines = await logLines(summary.runId, 'flaky');
    expect(lines).toEqual(
      attempts.flatMap(({ id, number }) => [
        { attempt_id: id, level: 'info', stream: 'stdout', message: `attempt ${number} says hi` },
        { attempt_id: id, level: 'warn', stream: 'stderr', message: `attempt ${number} failing` },
      ]),
    );
    // A failed attempt's lines are in the log before the retry they led to.
    const { rows } = await sql<{ kind: string; attempt_id: number }>`
      select kind, attempt_id from strata.events
      where run_id = ${summary.runId} and asset_key = 'flaky' order by event_id`.execute(
      database.db,
    );
    expect(
      rows.map((r) => `${r.kind} ${attempts.find((a) => a.id === r.attempt_id)?.number}`),
    ).toEqual([
      'log 1',
      'log 1',
      'step_retry_scheduled 1',
      'log 2',
      'log 2',
      'step_retry_scheduled 2',
      'log 3',
      'log 3',
      'step_materialized 3',
    ]);
  });

  it('keeps at most the per-attempt limit, then one line saying how much was not kept', async () => {
    const line = 'x'.repeat(99);
    const total = 6_000;
    const chatty = asset({
      key: 'chatty',
      schema: z.number(),
      compute: () => {
        for (let i = 0; i < total; i++) process.stdout.write(`${line}\n`);
        return total;
      },
    });
    const summary = summaryOf(await run(database, graphOf([chatty])));
    expect(summary.status).toBe('succeeded');
    const lines = await logLines(summary.runId, 'chatty');
    const kept = Math.min(OUTPUT_LIMITS.lines, Math.floor(OUTPUT_LIMITS.bytes / 100));
    expect(lines).toHaveLength(kept + 1);
    expect(lines.slice(0, kept).every((l) => l.message === line && l.stream === 'stdout')).toBe(
      true,
    );
    const notKept = (total - kept) * 100;
    expect(lines[kept]).toMatchObject({
      level: 'warn',
      stream: 'stdout',
      message: expect.stringMatching(new RegExp(`^… ${notKept} bytes not kept`)),
    });
  });

  it("records a fused step's captured lines under its attempt, before its outcome", async () => {
    const length = 10;
    const graph = fusionChain('out', length, undefined, {
      4: (ctx, previous) => {
        process.stdout.write('fourth says hi\n');
        ctx.log.info('fourth step');
        process.stderr.write('fourth warns');
        return previous + 1;
      },
    });
    // The first run computes each step on its own (nothing was computed before), the forced
    // one fuses the line.
    const first = summaryOf(await run(database, graph));
    expect((await logLines(first.runId, lineKey('out', 4))).map((l) => l.message)).toEqual([
      'fourth says hi',
      'fourth step',
      'fourth warns',
    ]);
    const forced = summaryOf(await run(database, graph, { force: true }));
    expect(forced.status).toBe('succeeded');
    const { rows: steps } = await sql<{
      asset_key: string;
      attempt_id: number;
      transaction: string;
    }>`
      select asset_key, attempt_id, xmin::text as transaction from strata_internal.materializations
      where run_id = ${forced.runId}`.execute(database.db);
    expect(new Set(steps.map((s) => s.transaction)).size, 'the line was fused').toBeLessThan(
      length,
    );
    const fourth = steps.find((s) => s.asset_key === lineKey('out', 4))!;
    const { rows: events } = await sql<{
      kind: string;
      attempt_id: number;
      level: string;
      stream: string | null;
      message: string;
    }>`
      select kind, attempt_id, level, data->>'stream' as stream, message from strata.events
      where run_id = ${forced.runId} and asset_key = ${fourth.asset_key} order by event_id`.execute(
      database.db,
    );
    expect(events).toEqual([
      {
        kind: 'log',
        attempt_id: fourth.attempt_id,
        level: 'info',
        stream: 'stdout',
        message: 'fourth says hi',
      },
      {
        kind: 'log',
        attempt_id: fourth.attempt_id,
        level: 'info',
        stream: null,
        message: 'fourth step',
      },
      {
        kind: 'log',
        attempt_id: fourth.attempt_id,
        level: 'warn',
        stream: 'stderr',
        message: 'fourth warns',
      },
      {
        kind: 'step_materialized',
        attempt_id: fourth.attempt_id,
        level: 'info',
        stream: null,
        message: expect.stringMatching(/^out04 materialized/),
      },
    ]);
  });

  it("passes through what a compute's stray continuation writes after the compute has ended", async () => {
    const wrote = deferred();
    const leaky = asset({
      key: 'leaky',
      schema: z.number(),
      compute: () => {
        process.stdout.write('before the end\n');
        setTimeout(() => {
          process.stdout.write('after the end\n');
          wrote.resolve();
        }, 50);
        return 1;
      },
    });
    const summary = summaryOf(await run(database, graphOf([leaky])));
    await wrote.promise;
    expect((await logLines(summary.runId, 'leaky')).map((l) => l.message)).toEqual([
      'before the end',
    ]);
    expect(passedThrough).toContain('after the end\n');
    expect(passedThrough).not.toContain('before the end\n');
  });
});
