// The queue side of a worker pool: graphile-worker's runner executing step jobs, restarted when it
// dies. graphile-worker stops its runner for good when one of its own statements fails (a job
// completion during a database restart, say); strata then starts a new runner once the database
// answers and releases the jobs the dead one still held, so the process keeps working instead of
// losing its queue. Only a database that stays away past the outage limit ends it.
import { EventEmitter } from 'node:events';
import {
  Logger,
  makeWorkerUtils,
  run,
  type Runner,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import type pg from 'pg';
import {
  DatabaseUnavailableError,
  isConnectionError,
  type DatabaseOutage,
} from '../store/index.js';
import { STEP_TASK } from './constants.js';
import type { StepJobPayload } from './job-queue.js';

export interface QueueRunnerOptions {
  /** A pg pool with pg's default type parsers. */
  readonly pgPool: pg.Pool;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly outage: DatabaseOutage;
  /** Runs the steps of one job. */
  readonly execute: (payload: StepJobPayload, jobId: string) => Promise<void>;
  /** Told the id under which each runner locks jobs (needed to unlock them if this process dies). */
  readonly onQueueWorkerId: (queueWorkerId: string) => Promise<void>;
  /** The queue's warnings and errors, except connection failures during an outage. */
  readonly onLog: (level: string, message: string) => void;
}

/** Step jobs being executed by graphile-worker in this process. */
export interface QueueRunner {
  /** Rejects when the queue cannot go on (the database stayed away too long). */
  readonly failed: Promise<never>;
  /** Releases the jobs locked by the given queue worker ids (of processes declared lost). */
  unlock(queueWorkerIds: readonly string[]): Promise<void>;
  /** Takes no new job and waits for the running ones. */
  stop(): Promise<void>;
}

/** Starts executing step jobs. */
export async function startQueueRunner(options: QueueRunnerOptions): Promise<QueueRunner> {
  const logger = new Logger(() => (level, message, meta) => {
    if (level !== 'error' && level !== 'warning') return;
    // While the database is away every statement fails; the outage tracker says so once.
    const error = meta?.error ?? meta?.fatalError;
    if (options.outage.down || options.outage.gaveUp || isConnectionError(error)) return;
    options.onLog(level, message);
  });
  let stopping = false;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);

  const start = async (): Promise<{ runner: Runner; queueWorkerId: Promise<string> }> => {
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    let created: (id: string) => void = () => {};
    const queueWorkerId = new Promise<string>((resolve) => (created = resolve));
    events.on('pool:create', ({ workerPool }) => created(workerPool.id));
    const runner = await run({
      // Completions and failures go through graphile-worker's batcher, whose errors end the
      // runner (restarted here); unbatched, a completion failing during an outage is an
      // unhandled rejection that kills the process.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      pgPool: options.pgPool,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: options.pollIntervalMs,
      logger,
      events,
      taskList: {
        [STEP_TASK]: (payload, helpers) =>
          options.execute(payload as StepJobPayload, helpers.job.id),
      },
    });
    await options.onQueueWorkerId(await queueWorkerId);
    return { runner, queueWorkerId };
  };

  let utils: WorkerUtils | undefined;
  const unlock = async (queueWorkerIds: readonly string[]): Promise<void> => {
    if (queueWorkerIds.length === 0) return;
    utils ??= await makeWorkerUtils({ pgPool: options.pgPool, logger });
    await utils.forceUnlockWorkers([...queueWorkerIds]);
  };

  let current = await start();
  const supervise = (runner: Runner, queueWorkerId: Promise<string>): void => {
    const ended = (): void => {
      if (stopping) return;
      void (async () => {
        try {
          // A new runner once the database answers; then the jobs the dead one held go back.
          const replacement = await options.outage.retry(start);
          current = replacement;
          supervise(replacement.runner, replacement.queueWorkerId);
          const id = await queueWorkerId;
          await options.outage.retry(() => unlock([id]));
        } catch (error) {
          fail(error);
        }
      })();
    };
    runner.promise.then(ended, ended);
  };
  supervise(current.runner, current.queueWorkerId);

  return {
    failed,
    unlock,
    async stop() {
      stopping = true;
      await quietAfterGivingUp(options.outage, () => current.runner.stop().catch(() => undefined));
      await Promise.resolve(utils?.release()).catch(() => undefined);
    },
  };
}

/**
 * Runs `stop` without graphile-worker's console.trace of workers ending with the database error
 * once the process has given up on the database: a worker whose job poll fails while it stops
 * prints that trace directly (not through the logger), and the error is already reported once.
 */
async function quietAfterGivingUp<T>(outage: DatabaseOutage, stop: () => Promise<T>): Promise<T> {
  if (!outage.gaveUp) return stop();
  const trace = console.trace;
  console.trace = (...args: unknown[]) => {
    if (!args.some((arg) => arg instanceof DatabaseUnavailableError)) trace(...args);
  };
  try {
    return await stop();
  } finally {
    console.trace = trace;
  }
}
