// The pure decisions of a claim (src/executor/claim-decision.ts), without a database: which
// current attempts are lost and which a live worker still runs, which steps need other code,
// which partitions are busy, and how many steps a job's claim takes.
import { describe, expect, it } from 'vitest';
import {
  decideTakeover,
  splitBusy,
  splitForeign,
  stepsWithOwners,
  takeFirstSteps,
  type AttemptOwner,
  type Claimant,
} from '../../src/executor/claim-decision.js';
import type { StepRow } from '../../src/store/index.js';

const ME = 'me:1:aaa';

function step(id: number, fields: Partial<StepRow> = {}): StepRow {
  return {
    id,
    run_id: 1,
    asset_key: 'mesh',
    partition_key: `d${id}`,
    status: 'queued',
    deps_remaining: 0,
    attempts: 0,
    max_attempts: 1,
    code_version: 'v1',
    pool: null,
    reasons: [],
    input_hash: null,
    materialization_id: null,
    current_attempt_id: null,
    error: null,
    created_at: new Date(0),
    started_at: null,
    finished_at: null,
    ...fields,
  } as StepRow;
}

function claimant(
  running: readonly number[] = [],
  code: Record<string, string> = { mesh: 'v1' },
): Claimant {
  return {
    workerId: ME,
    runs: (attemptId) => running.includes(attemptId),
    codeVersionOf: (key) => code[key],
  };
}

describe('decideTakeover', () => {
  const running = step(1, { status: 'running', current_attempt_id: 10 });
  it.each([
    {
      case: 'a live worker runs it',
      owner: { status: 'running', workerId: 'other:2:bbb', workerStatus: 'alive' },
      lost: null,
      claimable: false,
    },
    {
      case: 'its worker was declared lost',
      owner: { status: 'running', workerId: 'other:2:bbb', workerStatus: 'lost' },
      lost: 'attempt lost: worker other:2:bbb stopped heartbeating',
      claimable: true,
    },
    {
      case: 'its worker stopped',
      owner: { status: 'running', workerId: 'other:2:bbb', workerStatus: 'stopped' },
      lost: 'attempt lost: worker other:2:bbb stopped heartbeating',
      claimable: true,
    },
    {
      case: 'this process runs it',
      owner: { status: 'running', workerId: ME, workerStatus: 'alive' },
      running: [10],
      lost: null,
      claimable: false,
    },
    {
      case: 'this worker dropped it after a database error',
      owner: { status: 'running', workerId: ME, workerStatus: 'alive' },
      lost: `attempt abandoned after a database error on ${ME}`,
      claimable: true,
    },
    {
      case: 'it runs as a Slurm job and its submitting worker stopped',
      owner: {
        status: 'running',
        workerId: 'other:2:bbb',
        workerStatus: 'stopped',
        slurmJobId: '41',
      },
      lost: null,
      claimable: false,
    },
    {
      case: 'it runs as a Slurm job this worker submitted',
      owner: { status: 'running', workerId: ME, workerStatus: 'alive', slurmJobId: '42' },
      lost: null,
      claimable: false,
    },
    {
      case: 'it already ended (marked lost before)',
      owner: { status: 'lost', workerId: 'other:2:bbb', workerStatus: 'lost' },
      lost: null,
      claimable: true,
    },
  ])('the current attempt when $case', (c) => {
    const owner: AttemptOwner = { attemptId: 10, stepId: 1, slurmJobId: null, ...c.owner };
    const decision = decideTakeover([running, step(2)], [owner], claimant(c.running));
    expect(decision.lost.map((o) => o.attemptId)).toEqual(c.lost === null ? [] : [10]);
    expect(decision.events.map((e) => [e.kind, e.stepId, e.attemptId, e.message])).toEqual(
      c.lost === null ? [] : [['attempt_lost', 1, 10, c.lost]],
    );
    expect(decision.claimable.map((s) => s.id)).toEqual(c.claimable ? [1, 2] : [2]);
  });

  it('reads owners only of steps an attempt may own', () => {
    expect(
      stepsWithOwners([
        step(1, { status: 'running', current_attempt_id: 10 }),
        step(2, { status: 'queued', current_attempt_id: 9 }),
        step(3, { status: 'running', current_attempt_id: null }),
      ]).map((s) => s.id),
    ).toEqual([1]);
  });
});

describe('splitForeign', () => {
  it.each([
    { code: { mesh: 'v1' }, waiting: [], says: null },
    {
      code: { mesh: 'v2' },
      waiting: [1],
      says: 'mesh[d1] waits for a worker with code version v1 (worker me:1:aaa has v2)',
    },
    {
      code: {} as Record<string, string>,
      waiting: [1],
      says: 'mesh[d1] waits for a worker with code version v1 (worker me:1:aaa has no such asset)',
    },
  ])('with code $code', ({ code, waiting, says }) => {
    const split = splitForeign([step(1)], claimant([], code as Record<string, string>));
    expect(split.waiting.map((s) => s.id)).toEqual(waiting);
    expect(split.ready.map((s) => s.id)).toEqual(waiting.length ? [] : [1]);
    if (says !== null)
      expect(split.describe(step(1))).toEqual({ message: says, data: { workerId: ME } });
  });
});

describe('splitBusy', () => {
  it('sets aside the steps whose partition another run computes, naming the run', () => {
    const split = splitBusy([step(1), step(2)], new Map([[2, 7]]));
    expect(split.ready.map((s) => s.id)).toEqual([1]);
    expect(split.waiting.map((s) => s.id)).toEqual([2]);
    expect(split.describe(step(2))).toEqual({
      message: 'mesh[d2] waits: run 7 is computing it',
      data: { runId: 7 },
    });
  });
});

describe('takeFirstSteps', () => {
  it.each([
    { runs: [1], size: 1, take: [1], later: [2, 3] },
    { runs: [1], size: 5, take: [1, 2, 3], later: [] },
    { runs: [], size: 5, take: [], later: [] },
  ])('claim size $size of runs $runs', ({ runs, size, take, later }) => {
    const decision = takeFirstSteps([step(1), step(2), step(3)], new Set(runs), () => size);
    expect(decision.take.map((s) => s.id)).toEqual(take);
    expect(decision.later.map((s) => s.id)).toEqual(later);
  });

  it('drops the steps of runs that no longer run, now and later', () => {
    const decision = takeFirstSteps(
      [step(1, { run_id: 2 }), step(2), step(3, { run_id: 2 }), step(4)],
      new Set([1]),
      () => 1,
    );
    expect(decision.take.map((s) => s.id)).toEqual([2]);
    expect(decision.later.map((s) => s.id)).toEqual([4]);
  });
});
