// Launching, cancelling and resuming runs from a long-lived process (the API server, the
// automation daemon), and working on runs another module creates (an experiment plan's). It owns
// at most one worker pool, started on the first launch or resume and stopped with its owner, so
// runs progress without any CLI; `strata worker` processes on the same database share the work as
// usual.
import { createPlan, type Plan, type StatusReport } from '../planner/index.js';
import { EnvironmentError, ForbiddenError } from '../errors.js';
import { createRun } from './create-run.js';
import type { Engine } from './engine.js';
import { observeBeforeRun } from './observe-before-run.js';
import { observeSources, type ObservationOutcome, type ObserveRequest } from './observe-sources.js';
import { cancelRun, resumeRun } from './run-control.js';
import {
  compileWorkerOptions,
  type CompiledWorkerOptions,
  type WorkerPoolOptions,
} from './worker-options.js';
import { startWorkerPool, type WorkerPool } from './worker.js';

/** How the launcher's worker pool runs the runs it launches (defaults: compileWorkerOptions). */
export type LaunchOptions = WorkerPoolOptions;

/** What to launch (the body of POST /api/runs), and who asks and why. */
export interface LaunchRequest {
  readonly selection?: string;
  readonly force?: boolean;
  readonly partitions?: readonly string[];
  /** Recorded with the run (default 'api'). */
  readonly trigger?: string;
  /** Why, in words (recorded with the run). */
  readonly reason?: string;
  /** Who launches it (recorded with the run). */
  readonly launchedBy?: string;
  /** Observe the source assets the selection reads before planning (default true). */
  readonly observe?: boolean;
  /** Statuses just evaluated that cover the selection and its upstream (see PlanOptions). */
  readonly report?: StatusReport;
}

/** How a run created by another module (launchWith) is to be made. */
export interface RunSettings {
  /** The worker pool's concurrency (a plan caps it by its own limit). */
  readonly concurrency: number;
  /** The engine's git commit, recorded with the run. */
  readonly gitCommit: string | null;
}

/** Launches runs of an engine in this process; `false` options make a read-only server. */
export class RunLauncher {
  readonly #engine: Engine;
  /** The pool's options, compiled once; false when launching is disabled. */
  readonly #worker: CompiledWorkerOptions | false;
  #pool: Promise<WorkerPool> | undefined;
  #closed = false;

  constructor(engine: Engine, options: LaunchOptions | false) {
    this.#engine = engine;
    this.#worker = options === false ? false : compileWorkerOptions(options);
  }

  /** False for a read-only server (launching, cancelling and resuming are refused). */
  get enabled(): boolean {
    return this.#worker !== false;
  }

  /** Plans `request` and, when there is something to do, records the run and works on it. */
  async launch(request: LaunchRequest): Promise<{ plan: Plan; runId: number | null }> {
    const worker = this.#enabledWorker();
    const { graph } = this.#engine;
    const { db } = this.#engine.database;
    const force = request.force ?? false;
    const partitions = [...(request.partitions ?? [])];
    if (request.observe !== false)
      await observeBeforeRun(this.#engine, { selection: request.selection });
    const plan = await createPlan(db, graph, request.selection, {
      force,
      partitions,
      ...(request.report === undefined ? {} : { report: request.report }),
    });
    if (plan.steps.length === 0) return { plan, runId: null };
    await this.#ensurePool(worker);
    const runId = await createRun(db, {
      plan,
      options: { concurrency: worker.concurrency, force, partitions },
      gitCommit: this.#engine.gitCommit,
      trigger: request.trigger ?? 'api',
      ...(request.reason === undefined ? {} : { triggerReason: request.reason }),
      ...(request.launchedBy === undefined ? {} : { launchedBy: request.launchedBy }),
    });
    return { plan, runId };
  }

  /**
   * Works on a run another module creates (an experiment plan's: src/plans/execute-plan.ts):
   * refuses first when launching is disabled or the launcher is closing, observes the source
   * assets `observe` reads (a selection), starts the worker pool, and only then calls `create`,
   * which writes the run (its jobs are queued with it) and returns what it made. The pool works
   * on that run like on any it launched, so a run is never created here without a worker.
   */
  async launchWith<T>(
    create: (settings: RunSettings) => Promise<T>,
    options: { readonly observe?: string } = {},
  ): Promise<T> {
    const worker = this.#enabledWorker();
    if (options.observe !== undefined)
      await observeBeforeRun(this.#engine, { selection: options.observe });
    await this.#ensurePool(worker);
    this.#enabledWorker();
    return create({ concurrency: worker.concurrency, gitCommit: this.#engine.gitCommit });
  }

  /** Observes source assets (all of them, or those due with `onlyDue`); see observeSources. */
  async observe(
    request: Pick<ObserveRequest, 'keys' | 'onlyDue' | 'now'> = {},
  ): Promise<ObservationOutcome[]> {
    this.#enabledWorker();
    return observeSources(this.#engine, request);
  }

  /** Cancels run `runId`; false when it had already finished. */
  async cancel(runId: number): Promise<boolean> {
    this.#enabledWorker();
    const canceled = await cancelRun(this.#engine.database.db, runId, 'cancelled from the API');
    if (canceled) (await this.#pool?.catch(() => undefined))?.abortRun(runId);
    return canceled;
  }

  /** Resumes run `runId` (see resumeRun); returns the number of steps left to run. */
  async resume(runId: number): Promise<number> {
    await this.#ensurePool(this.#enabledWorker());
    return resumeRun(this.#engine.database.db, this.#engine.graph, runId);
  }

  /** Stops the worker pool, if one was started (running steps finish first). */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = await this.#pool?.catch(() => undefined);
    await pool?.stop();
  }

  /** The pool's options; throws when launching is disabled or the launcher is closing. */
  #enabledWorker(): CompiledWorkerOptions {
    if (this.#worker === false) throw new LaunchDisabledError();
    if (this.#closed) {
      throw new EnvironmentError('the server is shutting down', {
        hint: 'try again once it is back',
      });
    }
    return this.#worker;
  }

  /** Starts the pool once; a failed start is retried by the next call. */
  #ensurePool(worker: CompiledWorkerOptions): Promise<WorkerPool> {
    this.#pool ??= startWorkerPool(this.#engine, worker).catch((error: unknown) => {
      this.#pool = undefined;
      throw error;
    });
    return this.#pool;
  }
}

/** Thrown by a read-only server's launcher. */
export class LaunchDisabledError extends ForbiddenError {
  constructor() {
    super('this server is read-only: launching, cancelling and resuming runs are disabled');
  }
}
