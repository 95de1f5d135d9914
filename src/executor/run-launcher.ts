// Launching, cancelling and resuming runs from a long-lived process (the API server, the
// automation daemon). It owns at most one worker pool, started on the first launch or resume and
// stopped with its owner, so runs progress without any CLI; `strata worker` processes on the same
// database share the work as usual.
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { LocalArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import { createPlan, type Plan, type StatusReport } from '../planner/index.js';
import { EnvironmentError, ForbiddenError } from '../errors.js';
import type { Database } from '../store/index.js';
import { createRun } from './create-run.js';
import { observeBeforeRun } from './observe-before-run.js';
import { observeSources, type ObservationOutcome, type ObserveRequest } from './observe-sources.js';
import { cancelRun, resumeRun } from './run-control.js';
import { startWorkerPool, type WorkerPool } from './worker.js';

/** How the server executes the runs it launches. */
export interface LaunchOptions {
  /** Steps the server's worker pool runs at once (default: CPU count). */
  readonly concurrency?: number;
  /** Declare a silent worker lost after this long (default 5 s). */
  readonly leaseMs?: number;
  /** Recorded with runs and materializations. */
  readonly gitCommit?: string | null;
  /** Receives the queue's warnings and errors (default: stderr). */
  readonly onQueueLog?: (level: string, message: string) => void;
}

/** What to launch (the body of POST /api/runs), and who asks and why. */
export interface LaunchRequest {
  readonly selection?: string;
  readonly force?: boolean;
  readonly partitions?: readonly string[];
  /** Recorded with the run (default 'api'). */
  readonly trigger?: string;
  /** Why, in words (recorded with the run). */
  readonly reason?: string;
  /** Observe the source assets the selection reads before planning (default true). */
  readonly observe?: boolean;
  /** Statuses just evaluated that cover the selection and its upstream (see PlanOptions). */
  readonly report?: StatusReport;
}

/** The engine resources the launcher works with. */
export interface LauncherResources {
  readonly db: Kysely<Database>;
  readonly queuePool: pg.Pool;
  readonly graph: AssetGraph;
  readonly artifacts: LocalArtifactStore;
}

/** Launches runs in this process; `false` options make a read-only server. */
export class RunLauncher {
  readonly #resources: LauncherResources;
  readonly #options: LaunchOptions | false;
  #pool: Promise<WorkerPool> | undefined;
  #closed = false;

  constructor(resources: LauncherResources, options: LaunchOptions | false) {
    this.#resources = resources;
    this.#options = options;
  }

  /** False for a read-only server (launching, cancelling and resuming are refused). */
  get enabled(): boolean {
    return this.#options !== false;
  }

  /** Plans `request` and, when there is something to do, records the run and works on it. */
  async launch(request: LaunchRequest): Promise<{ plan: Plan; runId: number | null }> {
    const options = this.#enabledOptions();
    const { db, graph } = this.#resources;
    const force = request.force ?? false;
    const partitions = [...(request.partitions ?? [])];
    if (request.observe !== false)
      await observeBeforeRun({
        ...this.#resources,
        selection: request.selection,
        gitCommit: options.gitCommit ?? null,
      });
    const plan = await createPlan(db, graph, request.selection, {
      force,
      partitions,
      ...(request.report === undefined ? {} : { report: request.report }),
    });
    if (plan.steps.length === 0) return { plan, runId: null };
    await this.#ensurePool(options);
    const runId = await createRun(db, {
      plan,
      options: { concurrency: this.#concurrency(options), force, partitions },
      gitCommit: options.gitCommit ?? null,
      trigger: request.trigger ?? 'api',
      ...(request.reason === undefined ? {} : { triggerReason: request.reason }),
    });
    return { plan, runId };
  }

  /** Observes source assets (all of them, or those due with `onlyDue`); see observeSources. */
  async observe(
    request: Pick<ObserveRequest, 'keys' | 'onlyDue' | 'now'> = {},
  ): Promise<ObservationOutcome[]> {
    const options = this.#enabledOptions();
    return observeSources({ ...this.#resources, ...request, gitCommit: options.gitCommit ?? null });
  }

  /** Cancels run `runId`; false when it had already finished. */
  async cancel(runId: number): Promise<boolean> {
    this.#enabledOptions();
    const canceled = await cancelRun(this.#resources.db, runId, 'cancelled from the API');
    if (canceled) (await this.#pool?.catch(() => undefined))?.abortRun(runId);
    return canceled;
  }

  /** Resumes run `runId` (see resumeRun); returns the number of steps left to run. */
  async resume(runId: number): Promise<number> {
    const options = this.#enabledOptions();
    await this.#ensurePool(options);
    return resumeRun(this.#resources.db, this.#resources.graph, runId);
  }

  /** Stops the worker pool, if one was started (running steps finish first). */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = await this.#pool?.catch(() => undefined);
    await pool?.stop();
  }

  #enabledOptions(): LaunchOptions {
    if (this.#options === false) throw new LaunchDisabledError();
    if (this.#closed) {
      throw new EnvironmentError('the server is shutting down', {
        hint: 'try again once it is back',
      });
    }
    return this.#options;
  }

  #concurrency(options: LaunchOptions): number {
    return options.concurrency ?? availableParallelism();
  }

  /** Starts the pool once; a failed start is retried by the next call. */
  #ensurePool(options: LaunchOptions): Promise<WorkerPool> {
    this.#pool ??= startWorkerPool({
      ...this.#resources,
      concurrency: this.#concurrency(options),
      leaseMs: options.leaseMs,
      gitCommit: options.gitCommit ?? null,
      onQueueLog: options.onQueueLog,
    }).catch((error: unknown) => {
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
