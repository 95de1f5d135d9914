// `materialize`: plan a selection (or resume a run), write the run, work on it with an
// in-process worker pool (other `strata worker` processes may join), follow it to the end.
import { createPlan, type Plan } from '../planner/index.js';
import { createRun } from './create-run.js';
import type { Engine } from './engine.js';
import { observeBeforeRun } from './observe-before-run.js';
import type { ObservationOutcome } from './observe-sources.js';
import { cancelRun, resumeRun } from './run-control.js';
import { loadRunSummary, type RunSummary } from './run-summary.js';
import { watchRun, type RunProgress } from './watch-run.js';
import {
  compileWorkerOptions,
  type CompiledWorkerOptions,
  type WorkerPoolOptions,
} from './worker-options.js';
import { startWorkerPool, type WorkerPool } from './worker.js';

/**
 * What one materialize call does: what to plan (or which run to resume), how its in-process
 * worker pool runs (the WorkerPoolOptions), and whom to tell as it goes. Every field is optional.
 */
export interface MaterializeRequest extends WorkerPoolOptions {
  /** The selection to plan (default: every asset). */
  readonly selection?: string;
  /** Plan fresh partitions too (default false). */
  readonly force?: boolean;
  /** Only these partitions of the selected partitioned assets. */
  readonly partitions?: readonly string[];
  /** Finish an existing run instead of planning a new one. */
  readonly resumeRunId?: number;
  /** Recorded with the run (default 'cli'). */
  readonly trigger?: string;
  /** Who launches it, recorded with the run (the CLI: the OS user@host). */
  readonly launchedBy?: string;
  /** Observe the source assets the selection reads before planning (default true). */
  readonly observe?: boolean;
  /** Aborting it (Ctrl-C) cancels the run cleanly; it can be resumed later. */
  readonly signal?: AbortSignal;
  /** Told what observing the source assets found, before the plan (when any was observed). */
  readonly onObserved?: (outcomes: readonly ObservationOutcome[]) => void;
  /** Told the plan, before the run is written (also when there is nothing to do). */
  readonly onPlan?: (plan: Plan) => void;
  /** Told the id of the run once it is written (or resumed). */
  readonly onRunCreated?: (runId: number) => void;
  /** Told the run's progress as it changes. */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** The outcome of a materialize call: nothing to do, or the summary of the run. */
export type MaterializeOutcome =
  | { readonly kind: 'nothing_to_do'; readonly plan: Plan }
  | { readonly kind: 'run'; readonly plan: Plan | undefined; readonly summary: RunSummary };

/** A request's planning options with their defaults filled in, and its compiled pool options. */
interface CompiledRequest {
  readonly force: boolean;
  readonly partitions: string[];
  readonly trigger: string;
  readonly observe: boolean;
  readonly worker: CompiledWorkerOptions;
}

/** Fills in the defaults of `request` once (and checks its worker options before any work). */
function compileRequest(request: MaterializeRequest): CompiledRequest {
  return {
    force: request.force ?? false,
    partitions: [...(request.partitions ?? [])],
    trigger: request.trigger ?? 'cli',
    observe: request.observe ?? true,
    worker: compileWorkerOptions(request),
  };
}

/** Plans (or resumes) and executes a run of `engine` to its end. */
export async function materialize(
  engine: Engine,
  request: MaterializeRequest = {},
): Promise<MaterializeOutcome> {
  const { graph } = engine;
  const { db } = engine.database;
  const { force, partitions, trigger, observe, worker } = compileRequest(request);
  let plan: Plan | undefined;
  let runId: number;
  let pool: Promise<WorkerPool> | undefined;
  if (request.resumeRunId !== undefined) {
    runId = request.resumeRunId;
    await resumeRun(db, graph, runId);
  } else {
    if (observe) {
      const outcomes = await observeBeforeRun(engine, {
        selection: request.selection,
        signal: request.signal,
      });
      if (outcomes.length > 0) request.onObserved?.(outcomes);
    }
    plan = await createPlan(db, graph, request.selection, { force, partitions });
    request.onPlan?.(plan);
    if (plan.steps.length === 0) return { kind: 'nothing_to_do', plan };
    // The worker pool starts while the run is written: its first jobs are picked up at once.
    pool = startWorkerPool(engine, worker);
    // Handled where it is awaited; this keeps a failed start from counting as unhandled meanwhile.
    pool.catch(() => undefined);
    try {
      runId = await createRun(db, {
        plan,
        options: { concurrency: worker.concurrency, force, partitions },
        gitCommit: engine.gitCommit,
        trigger,
        ...(request.launchedBy === undefined ? {} : { launchedBy: request.launchedBy }),
      });
    } catch (error) {
      await pool.then((started) => started.stop()).catch(() => undefined);
      throw error;
    }
  }
  request.onRunCreated?.(runId);
  return { kind: 'run', plan, summary: await workOnRun(engine, runId, request, worker, pool) };
}

/**
 * Works on run `runId` (created by the caller, e.g. an experiment plan's) with an in-process
 * worker pool (`started`, or one started here) until it ends, telling `request` its progress;
 * aborting the request's signal cancels the run. Returns its summary.
 */
export async function workOnRun(
  engine: Engine,
  runId: number,
  request: Pick<MaterializeRequest, 'signal' | 'onProgress'> & WorkerPoolOptions = {},
  worker: CompiledWorkerOptions = compileWorkerOptions(request),
  started?: Promise<WorkerPool>,
): Promise<RunSummary> {
  const { db, pool: queuePool, outage } = engine.database;
  const pool = await (started ?? startWorkerPool(engine, worker));
  const onAbort = (): void => {
    // Running attempts stop either way; if the database is away the run stays cancellable.
    void outage
      .retry(() => cancelRun(db, runId, 'interrupted'))
      .catch(() => undefined)
      .then(() => pool.abortRun(runId));
  };
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (request.signal?.aborted) onAbort();
    await watchRun(db, queuePool, runId, (progress) => request.onProgress?.(progress), {
      outage,
      abandon: pool.failed,
    });
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    await pool.stop();
  }
  return outage.retry(() => loadRunSummary(db, runId));
}
