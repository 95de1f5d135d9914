// A worker process's pool: graphile-worker executes step jobs with the given concurrency while
// strata heartbeats, aborts cancelled attempts and takes over the steps of lost workers.
import { randomBytes } from 'node:crypto';
import { hostName } from '../util/host-name.js';
import type { Engine } from './engine.js';
import { executeSteps } from './execute-steps.js';
import {
  addQueueWorkerId,
  heartbeat,
  markWorkerStopped,
  reapLostWorkers,
  reclaimOrphanedAttempts,
  registerWorker,
  reviveWorker,
} from './liveness.js';
import { startQueueRunner } from './queue-runner.js';
import { startSlurmTracker } from './slurm/tracker-loop.js';
import { StepCosts } from './step-costs.js';
import { ToolClients } from './tool-clients.js';
import {
  compileWorkerOptions,
  type CompiledWorkerOptions,
  type WorkerPoolOptions,
} from './worker-options.js';
import type { WorkerRuntime } from './worker-runtime.js';

/** A running worker pool. */
export interface WorkerPool {
  readonly workerId: string;
  readonly runtime: WorkerRuntime;
  /** The options it runs with, defaults filled in. */
  readonly options: CompiledWorkerOptions;
  /**
   * Rejects when the pool cannot go on: the database stayed unreachable past the outage limit.
   * The caller should stop the pool and report.
   */
  readonly failed: Promise<never>;
  /**
   * Stops at once: aborts the running steps and hands them back to the queue (another worker
   * runs them; they are neither failed nor cancelled), then stops as `stop()` does.
   */
  interrupt(): Promise<void>;
  /** Aborts the running attempts of `runId` in this process (they end as cancelled). */
  abortRun(runId: number): void;
  /**
   * Stops gracefully: starts no new step, finishes the running ones (heartbeating meanwhile),
   * hands claimed but unstarted steps back to the queue, and marks the worker stopped.
   */
  stop(): Promise<void>;
}

/** Starts a worker pool of `engine` in this process; `options` default as compileWorkerOptions says. */
export async function startWorkerPool(
  engine: Engine,
  options: WorkerPoolOptions = {},
): Promise<WorkerPool> {
  const compiled = compileWorkerOptions(options);
  const { concurrency, leaseMs, heartbeatMs, pollIntervalMs, storeRetryMs, storeRetries } =
    compiled;
  const { db, pool: queuePool, outage } = engine.database;
  const log = engine.log;
  const host = hostName();
  const workerId = `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const stopController = new AbortController();
  const interruptController = new AbortController();
  const runtime: WorkerRuntime = {
    db,
    outage,
    graph: engine.graph,
    artifacts: engine.artifacts,
    tools: new ToolClients(engine.graph.definitions.tools, engine.artifacts.location),
    workerId,
    host,
    gitCommit: engine.gitCommit,
    stopSignal: stopController.signal,
    interruptSignal: interruptController.signal,
    storeRetry: { firstDelayMs: storeRetryMs, limit: storeRetries },
    stepCosts: new StepCosts(),
    activeAttempts: new Map(),
    ...(engine.slurm === undefined ? {} : { slurm: engine.slurm }),
  };
  await registerWorker(db, workerId, concurrency);
  // Slurm attempts outlive their submitting worker: every worker tracks all of their jobs.
  const slurmTracker =
    engine.slurm === undefined ? undefined : startSlurmTracker(runtime, engine.slurm, log);
  const queue = await startQueueRunner({
    pgPool: queuePool,
    concurrency,
    pollIntervalMs,
    outage,
    execute: async ({ run, steps }, jobId) => {
      await executeSteps(runtime, run, steps, jobId);
    },
    onQueueWorkerId: (id) => outage.retry(() => addQueueWorkerId(db, workerId, id)),
    onLog: log,
  });

  const abortRun = (runId: number): void => {
    for (const attempt of runtime.activeAttempts.values())
      if (attempt.runId === runId) attempt.controller.abort();
  };
  let failPool: (error: unknown) => void = () => {};
  const failed = Promise.race([
    queue.failed,
    new Promise<never>((_, reject) => (failPool = reject)),
  ]);
  failed.catch(() => undefined);
  // After a silence of its own (a database outage, a paused process) a worker waits one lease
  // before declaring others lost: they were silent for the same reason and need a beat to show
  // they are alive.
  let lastBeatAt = Date.now();
  let reapAfter = 0;
  let ticking: Promise<void> | undefined;
  const tick = (): Promise<void> => (ticking ??= beat().finally(() => (ticking = undefined)));
  const beat = async (): Promise<void> => {
    try {
      const activeRuns = [...new Set([...runtime.activeAttempts.values()].map((a) => a.runId))];
      const canceled = await heartbeat(db, workerId, activeRuns);
      const now = Date.now();
      if (now - lastBeatAt > leaseMs) reapAfter = now + leaseMs;
      lastBeatAt = now;
      if (canceled === undefined) {
        // Declared lost while silent: its attempts were handed back and are being taken over,
        // so their computations stop here (their results would be discarded anyway).
        for (const attempt of runtime.activeAttempts.values()) attempt.controller.abort();
        await reviveWorker(db, workerId);
        log('warning', `worker ${workerId} was declared lost while silent; it rejoined`);
        return;
      }
      for (const runId of canceled) abortRun(runId);
      await reclaimOrphanedAttempts(db, workerId, new Set(runtime.activeAttempts.keys()), leaseMs);
      if (now < reapAfter) return;
      const lost = await reapLostWorkers(db, leaseMs);
      await queue.unlock(lost.flatMap((w) => w.queueWorkerIds));
    } catch (error) {
      if (outage.gaveUp) failPool(outage.gaveUp);
      else log('warning', `heartbeat failed: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => void tick(), heartbeatMs);
  timer.unref();
  void tick();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Start nothing new, finish what runs, hand back the rest; heartbeat all the while, so a
      // stop that takes longer than the lease is not mistaken for a crash.
      stopController.abort();
      await queue.stop();
      await slurmTracker?.stop();
      clearInterval(timer);
      await ticking;
      await runtime.tools.close();
      // Without a database (it stayed away past the limit) there is nothing to record.
      if (!outage.gaveUp) await markWorkerStopped(db, workerId);
    })();
    return stopping;
  };
  return {
    workerId,
    runtime,
    options: compiled,
    failed,
    abortRun,
    interrupt() {
      interruptController.abort();
      for (const attempt of runtime.activeAttempts.values()) attempt.controller.abort();
      return stop();
    },
    stop,
  };
}
