// A worker process's pool: graphile-worker executes step jobs with the given concurrency while
// strata heartbeats, aborts cancelled attempts and takes over the steps of lost workers.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  Logger,
  makeWorkerUtils,
  run,
  type Runner,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { LocalArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS, STEP_TASK } from './constants.js';
import { executeSteps } from './execute-steps.js';
import type { StepJobPayload } from './job-queue.js';
import {
  addQueueWorkerId,
  heartbeat,
  markWorkerStopped,
  reapLostWorkers,
  reclaimOrphanedAttempts,
  registerWorker,
} from './liveness.js';
import { ToolClients } from './tool-clients.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** Idle workers look for scheduled jobs (retries, pool waits) this often. */
const DEFAULT_POLL_INTERVAL_MS = 250;

export interface WorkerPoolOptions {
  readonly db: Kysely<Database>;
  /** A pg pool with pg's default type parsers, for graphile-worker. */
  readonly queuePool: pg.Pool;
  readonly graph: AssetGraph;
  readonly artifacts: LocalArtifactStore;
  readonly concurrency: number;
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  readonly pollIntervalMs?: number;
  readonly gitCommit?: string | null;
  /** Receives the queue's own warnings and errors (default: stderr). */
  readonly onQueueLog?: (level: string, message: string) => void;
}

/** A running worker pool. */
export interface WorkerPool {
  readonly workerId: string;
  readonly runtime: WorkerRuntime;
  /** Aborts the running attempts of `runId` in this process (they end as cancelled). */
  abortRun(runId: number): void;
  /** Stops taking jobs, waits for running ones, and marks the worker stopped. */
  stop(): Promise<void>;
}

/** Starts a worker pool in this process. */
export async function startWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const host = hostname();
  const workerId = `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const heartbeatMs =
    options.heartbeatMs ?? Math.min(DEFAULT_HEARTBEAT_MS, Math.max(100, Math.floor(leaseMs / 3)));
  const runtime: WorkerRuntime = {
    db: options.db,
    graph: options.graph,
    artifacts: options.artifacts,
    tools: new ToolClients(options.graph.definitions.tools, options.artifacts.root),
    workerId,
    host,
    gitCommit: options.gitCommit ?? null,
    activeAttempts: new Map(),
  };
  await registerWorker(options.db, workerId, options.concurrency);

  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  const registrations: Promise<void>[] = [];
  // graphile-worker locks jobs in the name of the worker pool (not of its individual workers):
  // that id is what forceUnlockWorkers needs to release this process's jobs if it dies.
  events.on('pool:create', ({ workerPool }) => {
    registrations.push(addQueueWorkerId(options.db, workerId, workerPool.id));
  });
  const onQueueLog =
    options.onQueueLog ??
    ((level, message) => process.stderr.write(`queue ${level}: ${message}\n`));
  const logger = new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') onQueueLog(level, message);
  });
  let utils: WorkerUtils | undefined;
  const runner: Runner = await run({
    pgPool: options.queuePool,
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    logger,
    events,
    taskList: {
      [STEP_TASK]: async (payload, helpers) => {
        const { steps } = payload as StepJobPayload;
        await executeSteps(runtime, steps, helpers.job.id);
      },
    },
  });
  await Promise.all(registrations);

  const abortRun = (runId: number): void => {
    for (const attempt of runtime.activeAttempts.values())
      if (attempt.runId === runId) attempt.controller.abort();
  };
  let ticking = false;
  const tick = async (): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      const activeRuns = [...new Set([...runtime.activeAttempts.values()].map((a) => a.runId))];
      const canceled = await heartbeat(options.db, workerId, activeRuns);
      for (const runId of canceled ?? []) abortRun(runId);
      await reclaimOrphanedAttempts(
        options.db,
        workerId,
        new Set(runtime.activeAttempts.keys()),
        leaseMs,
      );
      const lost = await reapLostWorkers(options.db, leaseMs);
      const queueIds = lost.flatMap((w) => w.queueWorkerIds);
      if (queueIds.length > 0) {
        utils ??= await makeWorkerUtils({ pgPool: options.queuePool, logger });
        await utils.forceUnlockWorkers([...queueIds]);
      }
    } catch (error) {
      onQueueLog('warning', `heartbeat failed: ${(error as Error).message}`);
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), heartbeatMs);
  timer.unref();
  void tick();

  let stopping: Promise<void> | undefined;
  return {
    workerId,
    runtime,
    abortRun,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await runner.stop();
        await runtime.tools.close();
        await utils?.release();
        await markWorkerStopped(options.db, workerId);
      })();
      return stopping;
    },
  };
}
