// Claims the steps of a job for new attempts, all in one transaction: locks the step rows,
// checks that the run still runs, that no live attempt owns a step, and that no other run is
// computing the same asset partition; takes over from lost attempts; takes concurrency-pool
// slots; records the attempts. What to do is decided by claim-decision.ts (pure); this file
// reads the facts it needs and writes what it decides.
import { sql, type Kysely } from 'kysely';
import { appendEvents, type NewEvent } from '../provenance/index.js';
import {
  ACTIVE_ATTEMPT_STATUSES,
  attemptTargetOf,
  fromStatesOf,
  statusLiterals,
  targetOf,
  type Database,
  type RunRow,
  type StepRow,
} from '../store/index.js';
import {
  decideTakeover,
  splitBusy,
  splitForeign,
  stepsWithOwners,
  takeFirstSteps,
  type AttemptOwner,
  type Claimant,
  type WaitSplit,
} from './claim-decision.js';
import type { RunOptions } from './create-run.js';
import { acquirePoolSlot } from './pools.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** Lifecycle table (src/store/step-transitions-table.ts): what a claim moves steps from and to. */
const CLAIM_FROM = fromStatesOf('claim');
const CLAIMED = targetOf('claim');
const CLAIMED_ATTEMPT = attemptTargetOf('claim', null);
/** The status of a step an attempt owns. */
const OWNED_FROM = fromStatesOf('complete');

/** A step this worker now owns, with its run and attempt. */
export interface ClaimedStep {
  readonly step: StepRow;
  readonly run: RunRow;
  readonly runOptions: RunOptions;
  readonly attemptId: number;
  readonly attemptNumber: number;
}

/** What a claim of several steps gave: the claimed ones and those to try again later. */
export interface ClaimResult {
  readonly claimed: readonly ClaimedStep[];
  /** Steps whose pool is full or whose asset partition another run is computing. */
  readonly later: readonly { readonly stepId: number; readonly runId: number }[];
}

/**
 * Steps among `steps` whose asset partition has a running attempt in another step (another
 * run). Claims of one partition are serialized by transaction-scoped advisory locks (taken in a
 * fixed order, so concurrent claims never deadlock), so of two concurrent claims the second sees
 * the first's attempt. An attempt of a lost worker stops counting once it is marked lost.
 */
async function busyPartitions(
  trx: Kysely<Database>,
  steps: readonly StepRow[],
): Promise<Map<number, number>> {
  // The lock key of a partition is strata_internal.partition_lock_key (migrations/0009), shared
  // with the server-side completion's adoption.
  await sql`
    select pg_advisory_xact_lock(k)
    from (
      select distinct strata_internal.partition_lock_key(a, p) as k
      from unnest(${steps.map((s) => s.asset_key)}::text[], ${steps.map((s) => s.partition_key)}::text[]) as w(a, p)
    ) keys
    order by k`.execute(trx);
  // Running attempts are few (bounded by the concurrency of all workers): start from them.
  const holders = await sql<{ step_id: number; run_id: number }>`
    select w.id as step_id, s.run_id
    from strata_internal.attempts a
    join strata_internal.steps s on s.id = a.step_id
    join unnest(${steps.map((s) => s.id)}::bigint[], ${steps.map((s) => s.asset_key)}::text[], ${steps.map((s) => s.partition_key)}::text[]) as w(id, k, p)
      on s.asset_key = w.k and s.partition_key = w.p and s.id <> w.id
    where ${statusLiterals('a.status', ACTIVE_ATTEMPT_STATUSES)} and s.status = any(${OWNED_FROM}::text[])
      and s.current_attempt_id = a.id`.execute(trx);
  return new Map(holders.rows.map((row) => [row.step_id, row.run_id]));
}

/** Tells the run's log, once per step and `kind`, why the waiting steps of `split` wait. */
async function announceWaitOnce<K extends 'step_partition_busy' | 'step_needs_other_code'>(
  trx: Kysely<Database>,
  split: WaitSplit<K>,
  kind: K,
): Promise<void> {
  const steps = split.waiting;
  if (steps.length === 0) return;
  const told = await trx
    .selectFrom('strata_internal.events')
    .select('step_id')
    // By run first: events are indexed by (run_id, id), not by step.
    .where('run_id', '=', (eb) => eb.fn.any(eb.val([...new Set(steps.map((s) => s.run_id))])))
    .where('step_id', '=', (eb) => eb.fn.any(eb.val(steps.map((s) => s.id))))
    .where('kind', '=', kind)
    .execute();
  const already = new Set(told.map((row) => row.step_id));
  await appendEvents(
    trx,
    steps
      .filter((s) => !already.has(s.id))
      .map((s): NewEvent<K> => ({
        runId: s.run_id,
        stepId: s.id,
        assetKey: s.asset_key,
        partitionKey: s.partition_key,
        kind,
        ...split.describe(s),
      })),
  );
}

/** This worker as a claim's decisions see it. */
export function claimantOf(runtime: WorkerRuntime): Claimant {
  return {
    workerId: runtime.workerId,
    runs: (attemptId) => runtime.activeAttempts.has(attemptId),
    codeVersionOf: (assetKey) =>
      runtime.graph.has(assetKey) ? runtime.graph.node(assetKey).definition.codeVersion : undefined,
  };
}

/** The current attempts (with their workers) of the steps an attempt may own. */
async function readOwners(
  trx: Kysely<Database>,
  steps: readonly StepRow[],
): Promise<AttemptOwner[]> {
  const owned = stepsWithOwners(steps);
  if (owned.length === 0) return [];
  return trx
    .selectFrom('strata_internal.attempts as a')
    .innerJoin('strata_internal.workers as w', 'w.id', 'a.worker_id')
    .select([
      'a.id as attemptId',
      'a.step_id as stepId',
      'a.status',
      'w.id as workerId',
      'w.status as workerStatus',
      'a.slurm_job_id as slurmJobId',
    ])
    .where('a.id', '=', (eb) => eb.fn.any(eb.val(owned.map((s) => s.current_attempt_id!))))
    .execute();
}

/** Marks attempts lost: their worker is gone, or this worker dropped them. */
async function markLost(trx: Kysely<Database>, lost: readonly AttemptOwner[]): Promise<void> {
  if (lost.length === 0) return;
  await trx
    .updateTable('strata_internal.attempts')
    .set({
      status: 'lost',
      finished_at: sql<Date>`now()`,
      error: JSON.stringify({
        name: 'WorkerLost',
        message: 'its worker stopped heartbeating or abandoned it after an error',
      }),
    })
    .where('id', '=', (eb) => eb.fn.any(eb.val(lost.map((o) => o.attemptId))))
    .execute();
}

/**
 * Claims locked step rows (of running runs in `runOf`) inside the caller's transaction: takes
 * over lost attempts, sets aside steps whose partition is busy or whose pool is full, and records
 * an attempt for each of the others.
 */
export async function claimRows(
  trx: Kysely<Database>,
  runtime: WorkerRuntime,
  rows: readonly StepRow[],
  runOf: ReadonlyMap<number, RunRow>,
  jobId: string | null,
): Promise<ClaimResult> {
  const claimant = claimantOf(runtime);
  const open = rows.filter((r) => runOf.has(r.run_id));
  const takeover = decideTakeover(open, await readOwners(trx, open), claimant);
  await markLost(trx, takeover.lost);
  const events: NewEvent[] = [...takeover.events];
  const later: { stepId: number; runId: number }[] = [];
  const foreign = splitForeign(takeover.claimable, claimant);
  await announceWaitOnce(trx, foreign, 'step_needs_other_code');
  later.push(...foreign.waiting.map((s) => ({ stepId: s.id, runId: s.run_id })));
  const holders =
    foreign.ready.length > 0 ? await busyPartitions(trx, foreign.ready) : new Map<number, number>();
  const busy = splitBusy(foreign.ready, holders);
  await announceWaitOnce(trx, busy, 'step_partition_busy');
  later.push(...busy.waiting.map((s) => ({ stepId: s.id, runId: s.run_id })));
  const candidates = busy.ready;
  if (candidates.length === 0) {
    await appendEvents(trx, events);
    return { claimed: [], later };
  }

  const pooled = candidates.filter((s) => s.pool !== null);
  // Without pools, recording the attempts and moving the steps to running is one statement.
  const attempts = await sql<{ id: number; step_id: number; number: number }>`
    with a as (
      insert into strata_internal.attempts (step_id, run_id, number, worker_id, job_id, status)
      select s.id, s.run_id, s.n, ${runtime.workerId}, ${jobId}, ${CLAIMED_ATTEMPT}
      from unnest(${candidates.map((s) => s.id)}::bigint[], ${candidates.map((s) => s.run_id)}::bigint[], ${candidates.map((s) => s.attempts + 1)}::int[]) as s(id, run_id, n)
      returning id, step_id, number
    ),
    u as (
      update strata_internal.steps s
      set status = ${CLAIMED}, attempts = a.number, current_attempt_id = a.id, started_at = coalesce(s.started_at, now())
      from a where s.id = a.step_id and ${pooled.length === 0}
    )
    select id, step_id, number from a`.execute(trx);
  const attemptOf = new Map(attempts.rows.map((a) => [a.step_id, a]));
  for (const step of pooled) {
    const limit = runtime.graph.definitions.pools.get(step.pool!) ?? 1;
    if (
      !(await acquirePoolSlot(trx, step.pool!, limit, attemptOf.get(step.id)!.id, runtime.workerId))
    ) {
      later.push({ stepId: step.id, runId: step.run_id });
      attemptOf.delete(step.id);
    }
  }
  if (attemptOf.size < attempts.rows.length) {
    // Attempts of steps whose pool is full were never started: remove them again.
    const dropped = attempts.rows.filter((a) => !attemptOf.has(a.step_id)).map((a) => a.id);
    await trx
      .deleteFrom('strata_internal.attempts')
      .where('id', '=', (eb) => eb.fn.any(eb.val(dropped)))
      .execute();
  }
  const claimedSteps = candidates.filter((s) => attemptOf.has(s.id));
  if (pooled.length > 0 && claimedSteps.length > 0) {
    await sql`
      update strata_internal.steps s
      set status = ${CLAIMED}, attempts = c.n, current_attempt_id = c.attempt_id, started_at = coalesce(s.started_at, now())
      from unnest(${claimedSteps.map((s) => s.id)}::bigint[], ${claimedSteps.map((s) => attemptOf.get(s.id)!.id)}::bigint[], ${claimedSteps.map((s) => attemptOf.get(s.id)!.number)}::int[]) as c(id, attempt_id, n)
      where s.id = c.id`.execute(trx);
  }
  // An attempt row is the record of a start (worker, time); only exceptions become events.
  await appendEvents(trx, events);
  return {
    claimed: claimedSteps.map((step) => {
      const run = runOf.get(step.run_id)!;
      const attempt = attemptOf.get(step.id)!;
      return {
        step,
        run,
        runOptions: run.options as RunOptions,
        attemptId: attempt.id,
        attemptNumber: attempt.number,
      };
    }),
    later,
  };
}

/** A claim of the first steps of a job, and the job's steps left for later claims. */
export interface JobClaim extends ClaimResult {
  /** Steps of the job not claimed now (still claimable), in order. */
  readonly unclaimed: readonly number[];
}

/**
 * Claims for this worker the first steps of a job that it can start now: as many as
 * `claimSize` says for their asset (steps of a job run one after another, so the others would
 * only wait). The job's other claimable steps are returned unclaimed.
 */
export async function claimSteps(
  runtime: WorkerRuntime,
  stepIds: readonly number[],
  jobId: string | null,
  claimSize: (assetKey: string) => number,
): Promise<JobClaim> {
  return runtime.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('strata_internal.steps')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(eb.val([...stepIds])))
      .where('status', 'in', CLAIM_FROM)
      .orderBy('id')
      .forUpdate()
      .execute();
    const runs = await trx
      .selectFrom('strata_internal.runs')
      .selectAll()
      .where('id', '=', (eb) => eb.fn.any(eb.val([...new Set(rows.map((r) => r.run_id))])))
      .where('status', '=', 'running')
      .execute();
    const runOf = new Map(runs.map((r) => [r.id, r]));
    // Steps of runs that no longer run (cancelled, finished) are nothing to claim, now or later.
    const { take, later } = takeFirstSteps(rows, new Set(runOf.keys()), claimSize);
    if (take.length === 0) return { claimed: [], later: [], unclaimed: [] };
    const result = await claimRows(trx, runtime, take, runOf, jobId);
    return { ...result, unclaimed: later.map((row) => row.id) };
  });
}
