// The step and attempt lifecycle tables (src/store/step-states.ts, attempt-states.ts), walked
// two ways. Without a database: every pair of statuses is legal or illegal exactly as the
// matrices below say, every operation moves steps from exactly the expected statuses, and the
// named sets and the documented diagrams agree with the tables. With one: each table-driven
// operation's real SQL is applied to a step in every status, and only steps in its legal
// from-states change, each to a status the table lets the operation reach.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asset, defineAssets, producedPartitions } from '../../src/definitions/index.js';
import type { ClaimedStep } from '../../src/executor/claim-steps.js';
import { expandProducedPartitions } from '../../src/executor/expand-partitions.js';
import { failStep } from '../../src/executor/fail-step.js';
import { handBackAttempts } from '../../src/executor/liveness.js';
import { releaseUnstartedClaims } from '../../src/executor/release-claims.js';
import {
  completeStepsInOneCall,
  TAKEN_OVER_STATE,
  type OneCallOutcome,
} from '../../src/executor/sql/complete-steps-call.js';
import { pendingMaterializationId } from '../../src/executor/pending-materialization.js';
import { cancelRun, resumeRun } from '../../src/executor/run-control.js';
import type { WorkerRuntime } from '../../src/executor/worker-runtime.js';
import { AttemptSupersededError } from '../../src/executor/step-transitions.js';
import { buildAssetGraph, type AssetGraph } from '../../src/graph/index.js';
import {
  ATTEMPT_STATUSES,
  attemptStateDiagram,
  attemptTargetOf,
  canAttemptTransition,
  canTransition,
  CLAIMABLE_STEP_STATUSES,
  DONE_STEP_STATUSES,
  fromStatesOf,
  NON_TERMINAL_STEP_STATUSES,
  PENDING_STEP_STATUSES,
  READY_STEP_STATUSES,
  RUN_FAILING_STEP_STATUSES,
  STEP_STATUSES,
  STEP_TRANSITIONS,
  stepStateDiagram,
  targetOf,
  TERMINAL_STEP_STATUSES,
  toStatesOf,
  transitionTo,
  UNSUCCESSFUL_STEP_STATUSES,
  type AttemptStatus,
  type RunOptions,
  type RunRow,
  type RunStatus,
  type StepOperation,
  type StepRow,
  type StepStatus,
  type StepTransitionSpec,
} from '../../src/store/index.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

/** The legal transitions, written out by hand: the table must say exactly this. */
const LEGAL: Record<StepStatus, readonly StepStatus[]> = {
  waiting: ['queued', 'running', 'skipped', 'canceled'],
  queued: ['running', 'skipped', 'canceled'],
  running: ['queued', 'running', 'retrying', 'succeeded', 'reused', 'fresh', 'failed', 'canceled'],
  retrying: ['running', 'skipped', 'canceled'],
  succeeded: [],
  reused: [],
  fresh: [],
  failed: ['waiting'],
  skipped: ['waiting'],
  canceled: ['waiting'],
};

/** The statuses each operation may move a step from, written out by hand. */
const FROM: Record<StepOperation, readonly StepStatus[]> = {
  create: [],
  expand: ['waiting', 'queued', 'retrying'],
  release: ['waiting'],
  adopt: ['waiting'],
  fuse: ['waiting'],
  claim: ['queued', 'running', 'retrying'],
  complete: ['running'],
  retry: ['running'],
  fail: ['running'],
  cancel_attempt: ['running'],
  cancel: ['waiting', 'queued', 'retrying'],
  skip: ['waiting', 'queued', 'retrying'],
  hand_back: ['running'],
  release_unstarted: ['running'],
  resume: ['waiting', 'failed', 'skipped', 'canceled'],
};

const LEGAL_ATTEMPTS: Record<AttemptStatus, readonly (AttemptStatus | null)[]> = {
  running: ['succeeded', 'failed', 'timed_out', 'lost', 'canceled', null],
  succeeded: [],
  failed: [],
  timed_out: [],
  lost: ['succeeded', 'failed', 'timed_out', 'canceled'],
  canceled: [],
};

const rows = STEP_TRANSITIONS as readonly StepTransitionSpec[];
const pairs = STEP_STATUSES.flatMap((from) => STEP_STATUSES.map((to) => [from, to] as const));
const operations = Object.keys(FROM) as StepOperation[];
const attemptPairs = ATTEMPT_STATUSES.flatMap((from) =>
  [...ATTEMPT_STATUSES, null].map((to) => [from, to] as const),
);

/** The statuses `operation` can take a step to from `from`, in one or more of its transitions. */
function reachableBy(operation: StepOperation, from: StepStatus): Set<StepStatus> {
  const reached = new Set<StepStatus>();
  const queue = [from];
  for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
    for (const to of toStatesOf(operation, status)) {
      if (reached.has(to)) continue;
      reached.add(to);
      queue.push(to);
    }
  }
  return reached;
}

describe('the step transition table', () => {
  it.each(pairs)('%s -> %s is legal exactly when expected', (from, to) => {
    expect(canTransition(from, to)).toBe(LEGAL[from].includes(to));
  });

  it.each(operations)('%s moves steps from exactly the expected statuses', (operation) => {
    expect(fromStatesOf(operation)).toEqual(FROM[operation]);
    for (const from of STEP_STATUSES) {
      const moves = STEP_STATUSES.some((to) => canTransition(from, to, operation));
      expect(moves, `${operation} from ${from}`).toBe(FROM[operation].includes(from));
    }
  });

  it.each(attemptPairs)(
    'attempt %s -> %s is legal exactly when expected (null: deleted)',
    (from, to) => {
      expect(canAttemptTransition(from, to)).toBe(LEGAL_ATTEMPTS[from].includes(to));
    },
  );

  it('records what each transition writes', () => {
    for (const row of rows) {
      const name = `${row.operation}: ${row.from?.join('|') ?? 'new'} -> ${row.to}`;
      // Ending a step stamps it; leaving an end (a resume) clears the stamp and the reason.
      if (TERMINAL_STEP_STATUSES.includes(row.to))
        expect(row.writes, name).toContain('finished_at');
      if (row.from?.some((s) => TERMINAL_STEP_STATUSES.includes(s)))
        expect(row.writes, name).toEqual(expect.arrayContaining(['finished_at', 'error']));
      if (row.operation === 'claim')
        expect(row.writes, name).toEqual(
          expect.arrayContaining(['attempts', 'current_attempt_id']),
        );
      if (row.from === null) expect(row.writes, name).toContain('max_attempts');
      if (row.to === 'waiting') expect(row.writes, name).toContain('deps_remaining');
    }
  });

  it('lets every step end, and a done step never leave', () => {
    const created = new Set(rows.filter((r) => r.from === null).map((r) => r.to));
    const reachable = (from: StepStatus): Set<StepStatus> => {
      const seen = new Set<StepStatus>([from]);
      for (const status of seen)
        for (const to of STEP_STATUSES) if (canTransition(status, to)) seen.add(to);
      return seen;
    };
    const fromCreation = new Set([...created].flatMap((s) => [...reachable(s)]));
    expect([...fromCreation].sort()).toEqual([...STEP_STATUSES].sort());
    for (const status of NON_TERMINAL_STEP_STATUSES)
      expect(
        DONE_STEP_STATUSES.some((done) => reachable(status).has(done)),
        status,
      ).toBe(true);
    for (const done of DONE_STEP_STATUSES)
      expect(STEP_STATUSES.filter((to) => canTransition(done, to))).toEqual([]);
  });

  it('names the sets writers filter by, consistently with the table', () => {
    expect(PENDING_STEP_STATUSES).toEqual(['waiting', 'queued', 'retrying']);
    expect(fromStatesOf('cancel')).toEqual(PENDING_STEP_STATUSES);
    expect(fromStatesOf('skip')).toEqual(PENDING_STEP_STATUSES);
    expect(CLAIMABLE_STEP_STATUSES).toEqual(fromStatesOf('claim'));
    expect(READY_STEP_STATUSES).toEqual(['queued', 'retrying']);
    expect(UNSUCCESSFUL_STEP_STATUSES).toEqual(fromStatesOf('resume', 'waiting'));
    expect(DONE_STEP_STATUSES).toEqual(['succeeded', 'reused', 'fresh']);
    expect(RUN_FAILING_STEP_STATUSES).toEqual(['failed', 'canceled']);
    expect([...TERMINAL_STEP_STATUSES, ...NON_TERMINAL_STEP_STATUSES].sort()).toEqual(
      [...STEP_STATUSES].sort(),
    );
    expect(TERMINAL_STEP_STATUSES).toEqual(
      expect.arrayContaining([...DONE_STEP_STATUSES, ...UNSUCCESSFUL_STEP_STATUSES]),
    );
  });

  it('gives one target where there is one, and refuses a target the table lacks', () => {
    expect(targetOf('cancel')).toBe('canceled');
    expect(targetOf('resume', 'failed')).toBe('waiting');
    expect(targetOf('resume', 'waiting')).toBe('queued');
    expect(() => targetOf('complete')).toThrow(/3 target statuses/);
    expect(transitionTo('release_unstarted', 'retrying')).toBe('retrying');
    expect(() => transitionTo('cancel', 'failed' as 'canceled')).toThrow(/never moves/);
    expect(attemptTargetOf('claim', null)).toBe('running');
    expect(attemptTargetOf('claim', 'running')).toBe('lost');
    expect(attemptTargetOf('hand_back')).toBe('lost');
    expect(() => attemptTargetOf('claim')).toThrow(/no single target/);
    expect(() => attemptTargetOf('release_unstarted')).toThrow(/no single target/);
  });

  it('is drawn in docs/architecture.md as generated', () => {
    const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
    for (const [name, diagram] of [
      ['stepStateDiagram()', stepStateDiagram()],
      ['attemptStateDiagram()', attemptStateDiagram()],
    ] as const) {
      const block = ['```mermaid', diagram, '```'].join('\n');
      expect(doc.includes(block), `docs/architecture.md shows the output of ${name}`).toBe(true);
    }
  });
});

// ---- The operations' real SQL, applied to a step in every status ----

const OPTIONS: RunOptions = { concurrency: 2, force: false, partitions: [] };
const WORKER = 'step-states-test';

const designs = asset({
  key: 'designs',
  codeVersion: '1',
  schema: z.object({ keys: z.array(z.string()) }),
  compute: () => ({ keys: [] }),
});
const point = asset({
  key: 'point',
  codeVersion: '1',
  deps: { designs },
  partitions: producedPartitions(designs, (value) => value.keys),
  schema: z.number(),
  compute: () => 1,
});
const a = asset({ key: 'a', codeVersion: '1', schema: z.number(), compute: () => 1 });
const b = asset({ key: 'b', codeVersion: '1', deps: { a }, schema: z.number(), compute: () => 1 });
const graph: AssetGraph = buildAssetGraph(defineAssets([designs, point, a, b]));

/** What failStep and releaseUnstartedClaims use of a worker runtime. */
function runtime(): WorkerRuntime {
  return { db: database.db, graph } satisfies Pick<WorkerRuntime, 'db' | 'graph'> as WorkerRuntime;
}

async function insertRun(status: RunStatus = 'running'): Promise<RunRow> {
  return database.db
    .insertInto('strata_internal.runs')
    .values({ status, selection: '*', host: 'test', options: JSON.stringify(OPTIONS) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A step to insert: its partition key names it in assertions. */
interface StepSpec {
  readonly key?: string;
  readonly partition: string;
  readonly status: StepStatus;
  readonly attempts?: number;
  readonly maxAttempts?: number;
  /** The status of its current attempt (number `attempts`), or none. */
  readonly attempt?: AttemptStatus;
}

/** One step per status, partition key = status; `spec` adds to each. */
function everyStatus(spec: Partial<StepSpec> = {}): StepSpec[] {
  return STEP_STATUSES.map((status) => ({ partition: status, status, ...spec }));
}

async function insertSteps(run: RunRow, specs: readonly StepSpec[]): Promise<StepRow[]> {
  const inserted: StepRow[] = [];
  for (const spec of specs) {
    const attempts = spec.attempts ?? (spec.attempt ? 1 : 0);
    const step = await database.db
      .insertInto('strata_internal.steps')
      .values({
        run_id: run.id,
        asset_key: spec.key ?? 'a',
        partition_key: spec.partition,
        status: spec.status,
        deps_remaining: 0,
        attempts,
        max_attempts: spec.maxAttempts ?? 3,
        code_version: '1',
        finished_at: TERMINAL_STEP_STATUSES.includes(spec.status) ? new Date() : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (spec.attempt === undefined) {
      inserted.push(step);
      continue;
    }
    for (let number = 1; number < attempts; number++) await insertAttempt(step, number, 'failed');
    const attemptId = await insertAttempt(step, attempts, spec.attempt);
    inserted.push(
      await database.db
        .updateTable('strata_internal.steps')
        .set({ current_attempt_id: attemptId })
        .where('id', '=', step.id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }
  return inserted;
}

async function insertAttempt(step: StepRow, number: number, status: AttemptStatus) {
  const row = await database.db
    .insertInto('strata_internal.attempts')
    .values({ step_id: step.id, run_id: step.run_id, number, worker_id: WORKER, status })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Makes every step of `downstream` depend on `upstream`. */
async function linkDownstream(run: RunRow, upstream: StepRow, downstream: readonly StepRow[]) {
  await database.db
    .insertInto('strata_internal.step_edges')
    .values(
      downstream.map((s) => ({
        run_id: run.id,
        upstream_step_id: upstream.id,
        downstream_step_id: s.id,
      })),
    )
    .execute();
}

async function stepsOf(runId: number): Promise<Map<string, StepRow>> {
  const found = await database.db
    .selectFrom('strata_internal.steps')
    .selectAll()
    .where('run_id', '=', runId)
    .execute();
  return new Map(found.map((row) => [`${row.asset_key}[${row.partition_key}]`, row]));
}

function claimOf(run: RunRow, step: StepRow): ClaimedStep {
  return {
    step,
    run,
    runOptions: OPTIONS,
    attemptId: step.current_attempt_id!,
    attemptNumber: step.attempts,
  };
}

/**
 * Asserts that `operation` moved exactly the steps in its legal from-states, each to the status
 * `landsIn` names for it (by partition) and the table lets the operation reach, and left the
 * others as they were; and that a step is stamped finished exactly when it is terminal.
 */
function expectApplied(
  operation: StepOperation,
  before: readonly StepRow[],
  after: ReadonlyMap<string, StepRow>,
  landsIn: Readonly<Record<string, StepStatus>>,
): void {
  for (const step of before) {
    const now = after.get(`${step.asset_key}[${step.partition_key}]`)!;
    const name = `${operation} on ${step.asset_key}[${step.partition_key}] (${step.status})`;
    if (!fromStatesOf(operation).includes(step.status)) {
      expect(landsIn[step.partition_key], name).toBeUndefined();
      expect(now.status, name).toBe(step.status);
      continue;
    }
    expect(landsIn[step.partition_key], `${name}: the test names its landing`).toBeDefined();
    expect([...reachableBy(operation, step.status)], name).toContain(now.status);
    expect(now.status, name).toBe(landsIn[step.partition_key]);
  }
  for (const step of after.values())
    expect(step.finished_at !== null, `${step.partition_key} is ${step.status}`).toBe(
      TERMINAL_STEP_STATUSES.includes(step.status),
    );
}

/** The outcome of a computed step `upstream` (asset a) as the server-side completion takes it. */
function upstreamOutcome(run: RunRow, upstream: StepRow): OneCallOutcome {
  return {
    stepId: upstream.id,
    attemptId: upstream.current_attempt_id!,
    status: 'succeeded',
    inputHash: 'h',
    materializationId: null,
    record: {
      assetKey: 'a',
      partitionKey: 'upstream',
      runId: run.id,
      stepId: upstream.id,
      attemptId: upstream.current_attempt_id,
      codeVersion: '1',
      dataVersion: 'v',
      inputHash: 'h',
      value: 1,
      valueArtifact: null,
      valueSize: 1,
      metadata: {},
      partitionKeys: null,
      reusedFrom: null,
      startedAt: null,
      finishedAt: new Date(),
      host: null,
      workerId: WORKER,
      gitCommit: null,
      inputs: [],
    },
    event: {
      runId: run.id,
      stepId: upstream.id,
      assetKey: 'a',
      partitionKey: 'upstream',
      kind: 'step_materialized',
      message: 'a[upstream] materialized',
      data: { materializationId: 0, dataVersion: 'v' },
    },
    toolCalls: false,
    pooled: false,
    fusedAfter: null,
    logs: [],
  };
}

/** The step ids of the queue's jobs for run `runId`. */
async function enqueuedSteps(runId: number): Promise<number[]> {
  const jobs = await sql<{ payload: { run: number; steps: number[] } }>`
    select payload from graphile_worker._private_jobs`.execute(database.db);
  return jobs.rows
    .filter((job) => job.payload.run === runId)
    .flatMap((job) => job.payload.steps.map(Number))
    .sort((x, y) => x - y);
}

describe('operations applied to a step in every status', () => {
  it('cancel (cancelRun) cancels the pending steps', async () => {
    const run = await insertRun();
    const before = await insertSteps(run, everyStatus());
    expect(await cancelRun(database.db, run.id, 'test')).toBe(true);
    expectApplied('cancel', before, await stepsOf(run.id), {
      waiting: 'canceled',
      queued: 'canceled',
      retrying: 'canceled',
    });
  });

  it('resume (resumeRun) restarts the unsuccessful steps and readies what waits for nothing', async () => {
    const run = await insertRun('failed');
    const before = await insertSteps(run, everyStatus());
    await resumeRun(database.db, graph, run.id);
    const after = await stepsOf(run.id);
    expectApplied('resume', before, after, {
      waiting: 'queued',
      failed: 'queued',
      skipped: 'queued',
      canceled: 'queued',
    });
    const ready = [...after.values()].filter((s) => READY_STEP_STATUSES.includes(s.status));
    expect(await enqueuedSteps(run.id)).toEqual(
      ready.map((s) => Number(s.id)).sort((x, y) => x - y),
    );
  });

  it.each([
    ['adopt', true, 'running'],
    ['release', false, 'queued'],
  ] as const)(
    '%s (the server-side completion of an upstream step) moves only the waiting dependant',
    async (operation, adopt, landing) => {
      const run = await insertRun();
      const [upstream] = await insertSteps(run, [
        { partition: 'upstream', status: 'running', attempt: 'running' },
      ]);
      const before = await insertSteps(run, everyStatus({ key: 'b' }));
      await linkDownstream(run, upstream!, before);
      await database.db
        .updateTable('strata_internal.steps')
        .set({ deps_remaining: 1 })
        .where('asset_key', '=', 'b')
        .where('status', '=', 'waiting')
        .execute();
      const adopted = await completeStepsInOneCall(database.db, {
        runId: run.id,
        workerId: WORKER,
        jobId: null,
        concurrency: 1,
        adopt,
        claimSizes: { b: STEP_STATUSES.length },
        outcomes: [upstreamOutcome(run, upstream!)],
      });
      const after = await stepsOf(run.id);
      expectApplied('complete', [upstream!], after, { upstream: 'succeeded' });
      expectApplied(operation, before, after, { waiting: landing });
      const waiting = after.get('b[waiting]')!;
      expect(waiting.deps_remaining).toBe(0);
      if (adopt) {
        // Claimed for this worker: one running attempt, named by the step and returned.
        expect(adopted.map((a) => [a.step.id, a.attemptId, a.attemptNumber])).toEqual([
          [waiting.id, waiting.current_attempt_id, 1],
        ]);
        const attempt = await database.db
          .selectFrom('strata_internal.attempts')
          .selectAll()
          .where('id', '=', waiting.current_attempt_id!)
          .executeTakeFirstOrThrow();
        expect([attempt.step_id, attempt.number, attempt.status, attempt.worker_id]).toEqual([
          waiting.id,
          1,
          'running',
          WORKER,
        ]);
        expect(await enqueuedSteps(run.id)).toEqual([]);
      } else {
        expect(adopted).toEqual([]);
        expect(waiting.current_attempt_id).toBeNull();
        expect(await enqueuedSteps(run.id)).toEqual([Number(waiting.id)]);
      }
    },
  );

  /**
   * Completes `upstream` with `dependant` (asset `key`, alone in this test file in that partition)
   * fused after it; the dependant waits on `waitsOn` steps.
   */
  async function completeFused(status: StepStatus, key: string, waitsOn = 1) {
    const run = await insertRun();
    const [upstream] = await insertSteps(run, [
      { partition: 'upstream', status: 'running', attempt: 'running' },
    ]);
    const [dependant] = await insertSteps(run, [{ key, partition: status, status }]);
    await linkDownstream(run, upstream!, [dependant!]);
    await database.db
      .updateTable('strata_internal.steps')
      .set({ deps_remaining: waitsOn })
      .where('id', '=', dependant!.id)
      .where('status', '=', 'waiting')
      .execute();
    const fused: OneCallOutcome = {
      ...upstreamOutcome(run, upstream!),
      stepId: dependant!.id,
      attemptId: null,
      fusedAfter: upstream!.id,
      logs: [{ level: 'info', message: 'computed in line', data: null }],
      record: {
        ...upstreamOutcome(run, upstream!).record!,
        assetKey: key,
        partitionKey: status,
        stepId: dependant!.id,
        attemptId: null,
        dataVersion: 'w',
        inputHash: 'hb',
        inputs: [
          {
            inputName: 'a',
            depKey: 'a',
            depPartition: 'upstream',
            dataVersion: 'v',
            materializationId: pendingMaterializationId(upstream!.id),
          },
        ],
      },
      inputHash: 'hb',
      event: {
        runId: run.id,
        stepId: dependant!.id,
        assetKey: key,
        partitionKey: status,
        kind: 'step_materialized',
        message: `${key}[${status}] materialized`,
        data: { materializationId: 0, dataVersion: 'w' },
      },
    };
    const call = completeStepsInOneCall(database.db, {
      runId: run.id,
      workerId: WORKER,
      jobId: null,
      concurrency: 1,
      adopt: true,
      claimSizes: {},
      outcomes: [upstreamOutcome(run, upstream!), fused],
    });
    return { run, upstream: upstream!, dependant: dependant!, call };
  }

  async function materializationsOf(runId: number) {
    return database.db
      .selectFrom('strata_internal.materializations')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();
  }

  it.each(STEP_STATUSES)(
    'fuse (chain fusion, in the server-side completion) takes a dependant that is %s only if it waits on the completed step alone',
    async (status) => {
      const { run, upstream, dependant, call } = await completeFused(status, 'fused');
      if (!fromStatesOf('fuse').includes(status)) {
        // The whole completion is refused, nothing is written: the caller records the upstream
        // step alone and the dependant runs under an ordinary claim.
        await expect(call).rejects.toMatchObject({ code: TAKEN_OVER_STATE });
        const after = await stepsOf(run.id);
        expect(after.get('a[upstream]')!.status).toBe('running');
        expect(after.get(`fused[${status}]`)).toEqual(dependant);
        expect(await materializationsOf(run.id)).toEqual([]);
        return;
      }
      expect(await call).toEqual([]);
      const after = await stepsOf(run.id);
      expectApplied('complete', [upstream], after, { upstream: 'succeeded' });
      const fused = after.get('fused[waiting]')!;
      expect([fused.status, fused.deps_remaining, fused.attempts]).toEqual(['succeeded', 0, 1]);
      const attempt = await database.db
        .selectFrom('strata_internal.attempts')
        .selectAll()
        .where('step_id', '=', fused.id)
        .executeTakeFirstOrThrow();
      expect([attempt.id, attempt.number, attempt.status, attempt.worker_id]).toEqual([
        fused.current_attempt_id,
        1,
        'succeeded',
        WORKER,
      ]);
      expect(attempt.finished_at).not.toBeNull();
      // Its input is the materialization the same call recorded for the upstream step.
      const [first, second] = await materializationsOf(run.id);
      expect([first!.step_id, second!.step_id, second!.attempt_id]).toEqual([
        upstream.id,
        fused.id,
        attempt.id,
      ]);
      const inputs = await database.db
        .selectFrom('strata_internal.materialization_inputs')
        .select(['dep_materialization_id', 'dep_data_version'])
        .where('materialization_id', '=', second!.id)
        .execute();
      expect(inputs).toEqual([{ dep_materialization_id: first!.id, dep_data_version: 'v' }]);
      expect(fused.materialization_id).toBe(second!.id);
      // Its log line comes first, then its outcome, both under its attempt.
      const events = await database.db
        .selectFrom('strata_internal.events')
        .select(['kind', 'attempt_id', 'message'])
        .where('step_id', '=', fused.id)
        .orderBy('id')
        .execute();
      expect(events).toEqual([
        { kind: 'log', attempt_id: attempt.id, message: 'computed in line' },
        {
          kind: 'step_materialized',
          attempt_id: attempt.id,
          message: 'fused[waiting] materialized',
        },
      ]);
    },
  );

  it('fuse refuses a dependant that waits on another step too', async () => {
    const { run, call } = await completeFused('waiting', 'fused-twice', 2);
    await expect(call).rejects.toMatchObject({ code: TAKEN_OVER_STATE });
    expect((await stepsOf(run.id)).get('fused-twice[waiting]')!.status).toBe('waiting');
    expect(await materializationsOf(run.id)).toEqual([]);
  });

  it('fuse refuses a dependant whose asset partition another run is computing', async () => {
    const other = await insertRun();
    await insertSteps(other, [
      { key: 'fused-busy', partition: 'waiting', status: 'running', attempt: 'running' },
    ]);
    const { run, call } = await completeFused('waiting', 'fused-busy');
    await expect(call).rejects.toMatchObject({ code: TAKEN_OVER_STATE });
    expect((await stepsOf(run.id)).get('fused-busy[waiting]')!.status).toBe('waiting');
    expect(await materializationsOf(run.id)).toEqual([]);
  });

  it('skip (failStep of an upstream step) skips the pending steps downstream', async () => {
    const run = await insertRun();
    const [failing] = await insertSteps(run, [
      { partition: 'upstream', status: 'running', attempt: 'running', maxAttempts: 1 },
    ]);
    const before = await insertSteps(run, everyStatus({ key: 'b' }));
    await linkDownstream(run, failing!, before);
    await failStep(runtime(), claimOf(run, failing!), 'failed', new Error('boom'));
    const after = await stepsOf(run.id);
    expectApplied('fail', [failing!], after, { upstream: 'failed' });
    expectApplied('skip', before, after, {
      waiting: 'skipped',
      queued: 'skipped',
      retrying: 'skipped',
    });
  });

  it.each([
    ['fail', 'failed', 1, 'failed'],
    ['retry', 'failed', 3, 'retrying'],
    ['cancel_attempt', 'canceled', 3, 'canceled'],
  ] as const)(
    '%s (failStep, %s) ends only a step its attempt owns',
    async (operation, kind, maxAttempts, landing) => {
      const run = await insertRun();
      const before = await insertSteps(run, everyStatus({ attempt: 'running', maxAttempts }));
      for (const step of before) {
        const failing = failStep(runtime(), claimOf(run, step), kind, new Error('boom'));
        if (step.status === 'running') await failing;
        else await expect(failing).rejects.toBeInstanceOf(AttemptSupersededError);
      }
      expectApplied(operation, before, await stepsOf(run.id), { running: landing });
      const attempts = await database.db
        .selectFrom('strata_internal.attempts')
        .select(['step_id', 'status'])
        .where('run_id', '=', run.id)
        .execute();
      for (const attempt of attempts) {
        const owner = before.find((s) => s.id === attempt.step_id)!;
        expect(attempt.status, owner.status).toBe(owner.status === 'running' ? kind : 'running');
      }
    },
  );

  it('fail (failStep) ends an attempt marked lost whose step still names it', async () => {
    const run = await insertRun();
    const [step] = await insertSteps(run, [
      { partition: 'lost', status: 'running', attempt: 'lost', maxAttempts: 1 },
    ]);
    await failStep(runtime(), claimOf(run, step!), 'failed', new Error('boom'));
    const attempt = await database.db
      .selectFrom('strata_internal.attempts')
      .select('status')
      .where('id', '=', step!.current_attempt_id!)
      .executeTakeFirstOrThrow();
    expect(canAttemptTransition('lost', attempt.status, 'fail')).toBe(true);
    expect((await stepsOf(run.id)).get('a[lost]')!.status).toBe('failed');
  });

  it('hand back (handBackAttempts) loses running attempts and re-enqueues only running steps', async () => {
    const run = await insertRun();
    const before = await insertSteps(run, everyStatus({ attempt: 'running' }));
    const handed = await handBackAttempts(
      database.db,
      before.map((s) => s.current_attempt_id!),
      'test',
    );
    expect(handed).toBe(before.length);
    expectApplied('hand_back', before, await stepsOf(run.id), { running: 'running' });
    const running = before.filter((s) => fromStatesOf('hand_back').includes(s.status));
    expect(await enqueuedSteps(run.id)).toEqual(running.map((s) => Number(s.id)));
  });

  it('hand back (handBackAttempts) moves only running attempts, to lost', async () => {
    const run = await insertRun();
    const before = await insertSteps(
      run,
      ATTEMPT_STATUSES.map((status) => ({ partition: status, status: 'running', attempt: status })),
    );
    await handBackAttempts(
      database.db,
      before.map((s) => s.current_attempt_id!),
      'test',
    );
    for (const step of before) {
      const attempt = await database.db
        .selectFrom('strata_internal.attempts')
        .select('status')
        .where('id', '=', step.current_attempt_id!)
        .executeTakeFirstOrThrow();
      const from = step.partition_key as AttemptStatus;
      if (from === 'running')
        expect(canAttemptTransition(from, attempt.status, 'hand_back')).toBe(true);
      else expect(attempt.status, from).toBe(from);
    }
  });

  it('release unstarted (releaseUnstartedClaims) puts running claims back as they were claimed', async () => {
    const run = await insertRun();
    const before = await insertSteps(run, [
      ...everyStatus({ attempt: 'running' }),
      { partition: 'second', status: 'running', attempts: 2, attempt: 'running' },
    ]);
    const released = await releaseUnstartedClaims(
      runtime(),
      before.map((s) => claimOf(run, s)),
    );
    expect(released).toBe(2);
    const after = await stepsOf(run.id);
    expectApplied('release_unstarted', before, after, { running: 'queued', second: 'retrying' });
    expect(after.get('a[running]')).toMatchObject({ attempts: 0, current_attempt_id: null });
    expect(after.get('a[second]')!.attempts).toBe(1);
  });

  it('expand (expandProducedPartitions) skips pending steps of partitions no longer produced', async () => {
    const run = await insertRun();
    const [producer] = await insertSteps(run, [
      { key: 'designs', partition: '', status: 'succeeded' },
    ]);
    const before = await insertSteps(run, everyStatus({ key: 'point' }));
    const result = await database.db
      .transaction()
      .execute((trx) =>
        expandProducedPartitions(trx, graph, { ...claimOf(run, producer!), attemptId: 0 }, ['new']),
      );
    expect(result).toEqual({ added: 1, removed: PENDING_STEP_STATUSES.length });
    const after = await stepsOf(run.id);
    expectApplied('expand', before, after, {
      waiting: 'skipped',
      queued: 'skipped',
      retrying: 'skipped',
    });
    const created = after.get('point[new]')!;
    expect(
      rows.some((r) => r.operation === 'expand' && r.from === null && r.to === created.status),
    ).toBe(true);
    expect(created.status).toBe('queued');
    expect(await enqueuedSteps(run.id)).toEqual([Number(created.id)]);
  });
});
