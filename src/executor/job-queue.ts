// Enqueues steps as graphile-worker jobs from inside strata's own transactions, so a state
// change and the work it releases commit together.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import {
  JOB_MAX_ATTEMPTS,
  JOBS_PER_CONCURRENCY_SLOT,
  MAX_STEPS_PER_JOB,
  STEP_TASK,
} from './constants.js';

/** graphile-worker runs lower priorities first; ordinary jobs have 0. */
const HANDED_BACK_PRIORITY = -10;

/** The payload of a step job. */
export interface StepJobPayload {
  readonly run: number;
  readonly steps: readonly number[];
}

/** A step ready to be enqueued. */
export interface ReadyStep {
  readonly id: number;
  readonly assetKey: string;
}

/**
 * Groups ready steps into jobs: steps of one asset share a job when there are many of them,
 * sized so that every concurrency slot still gets several jobs.
 */
export function groupIntoJobs(steps: readonly ReadyStep[], concurrency: number): number[][] {
  const byAsset = new Map<string, number[]>();
  for (const step of steps) {
    const ids = byAsset.get(step.assetKey);
    if (ids) ids.push(step.id);
    else byAsset.set(step.assetKey, [step.id]);
  }
  const jobs: number[][] = [];
  for (const ids of byAsset.values()) {
    const size = Math.max(
      1,
      Math.min(
        MAX_STEPS_PER_JOB,
        Math.floor(ids.length / (JOBS_PER_CONCURRENCY_SLOT * Math.max(1, concurrency))),
      ),
    );
    for (let i = 0; i < ids.length; i += size) jobs.push(ids.slice(i, i + size));
  }
  return jobs;
}

/** Where a job goes in the queue. */
export interface EnqueueOptions {
  /** Not before this time (retries, full pools). */
  readonly runAt?: Date;
  /**
   * Ahead of every ordinary job: steps handed back by a stopping or lost worker were already
   * due, and waiting behind a run's whole backlog would delay them by the backlog's length.
   */
  readonly front?: boolean;
}

/** Adds one job per group of steps, in the caller's transaction. */
export async function enqueueStepJobs(
  trx: Kysely<Database>,
  runId: number,
  groups: readonly (readonly number[])[],
  options: EnqueueOptions = {},
): Promise<void> {
  if (groups.length === 0) return;
  const specs = groups.map((steps) => ({
    identifier: STEP_TASK,
    payload: { run: runId, steps } satisfies StepJobPayload,
    run_at: options.runAt?.toISOString() ?? null,
    max_attempts: JOB_MAX_ATTEMPTS,
    priority: options.front ? HANDED_BACK_PRIORITY : null,
  }));
  await sql`select 1 from graphile_worker.add_jobs(array(select json_populate_recordset(null::graphile_worker.job_spec, ${JSON.stringify(specs)}::json)))`.execute(
    trx,
  );
}

/** Enqueues ready steps, grouped for the run's concurrency. */
export async function enqueueReadySteps(
  trx: Kysely<Database>,
  runId: number,
  steps: readonly ReadyStep[],
  concurrency: number,
): Promise<void> {
  await enqueueStepJobs(trx, runId, groupIntoJobs(steps, concurrency));
}
