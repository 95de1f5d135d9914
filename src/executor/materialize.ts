// `materialize`: plan a selection (or resume a run), write the run, work on it with an
// in-process worker pool (other `strata worker` processes may join), follow it to the end.
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { LocalArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import { createPlan, type Plan } from '../planner/index.js';
import { DatabaseOutage, type Database } from '../store/index.js';
import { createRun } from './create-run.js';
import { observeBeforeRun } from './observe-before-run.js';
import type { ObservationOutcome } from './observe-sources.js';
import { cancelRun, resumeRun } from './run-control.js';
import { loadRunSummary, type RunSummary } from './run-summary.js';
import { watchRun, type RunProgress } from './watch-run.js';
import { startWorkerPool } from './worker.js';

export interface MaterializeRequest {
  readonly db: Kysely<Database>;
  /** A pg pool with pg's default type parsers (graphile-worker and LISTEN). */
  readonly queuePool: pg.Pool;
  readonly graph: AssetGraph;
  readonly artifacts: LocalArtifactStore;
  readonly selection?: string;
  readonly force?: boolean;
  readonly partitions?: readonly string[];
  readonly concurrency: number;
  /** Finish an existing run instead of planning a new one. */
  readonly resumeRunId?: number;
  readonly leaseMs?: number;
  /** The database handle's outage tracker: waits through restarts when the caller rides them out. */
  readonly outage?: DatabaseOutage;
  readonly gitCommit?: string | null;
  readonly trigger?: string;
  /** Observe the source assets the selection reads before planning (default true). */
  readonly observe?: boolean;
  /** Told what observing the source assets found, before the plan. */
  readonly onObserved?: (outcomes: readonly ObservationOutcome[]) => void;
  /** Aborting it (Ctrl-C) cancels the run cleanly; it can be resumed later. */
  readonly signal?: AbortSignal;
  readonly onPlan?: (plan: Plan) => void;
  readonly onRunCreated?: (runId: number) => void;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly onQueueLog?: (level: string, message: string) => void;
}

/** The outcome of a materialize call: nothing to do, or the summary of the run. */
export type MaterializeOutcome =
  | { readonly kind: 'nothing_to_do'; readonly plan: Plan }
  | { readonly kind: 'run'; readonly plan: Plan | undefined; readonly summary: RunSummary };

/** Plans (or resumes) and executes a run to its end. */
export async function materialize(request: MaterializeRequest): Promise<MaterializeOutcome> {
  const { db, graph } = request;
  let plan: Plan | undefined;
  let runId: number;
  const concurrency = request.concurrency;
  if (request.resumeRunId !== undefined) {
    runId = request.resumeRunId;
    await resumeRun(db, graph, runId);
  } else {
    if (request.observe !== false) {
      const outcomes = await observeBeforeRun({ ...request, selection: request.selection });
      if (outcomes.length > 0) request.onObserved?.(outcomes);
    }
    plan = await createPlan(db, graph, request.selection, {
      force: request.force ?? false,
      partitions: request.partitions ?? [],
    });
    request.onPlan?.(plan);
    if (plan.steps.length === 0) return { kind: 'nothing_to_do', plan };
    runId = await createRun(db, {
      plan,
      options: {
        concurrency,
        force: request.force ?? false,
        partitions: [...(request.partitions ?? [])],
      },
      gitCommit: request.gitCommit ?? null,
      trigger: request.trigger ?? 'cli',
    });
  }
  request.onRunCreated?.(runId);

  const pool = await startWorkerPool({
    db,
    queuePool: request.queuePool,
    graph,
    artifacts: request.artifacts,
    concurrency,
    leaseMs: request.leaseMs,
    gitCommit: request.gitCommit ?? null,
    outage: request.outage,
    onQueueLog: request.onQueueLog,
  });
  const outage = request.outage ?? new DatabaseOutage();
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
    await watchRun(db, request.queuePool, runId, (progress) => request.onProgress?.(progress), {
      outage: request.outage,
      abandon: pool.failed,
    });
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    await pool.stop();
  }
  const summary = await outage.retry(() => loadRunSummary(db, runId));
  return { kind: 'run', plan, summary };
}
