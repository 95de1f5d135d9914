// Tunables of the execution engine, each with the reason for its value.

/** The graphile-worker task that executes steps. */
export const STEP_TASK = 'strata_step';

/** How often a worker process proves it is alive. A third of the lease, so two beats may be lost. */
export const DEFAULT_HEARTBEAT_MS = 1_000;

/** A worker silent for this long is declared lost and its steps are taken over. */
export const DEFAULT_LEASE_MS = 5_000;

/** Values whose JSON is larger than this go to the artifact store instead of the database row. */
export const INLINE_VALUE_LIMIT_BYTES = 64 * 1024;

/** A job carries at most this many steps of one asset, to amortize per-job overhead on big fan-outs. */
export const MAX_STEPS_PER_JOB = 256;

/** Aim for this many jobs per unit of concurrency so batching never starves parallel workers. */
export const JOBS_PER_CONCURRENCY_SLOT = 4;

/** Queue-level retries are only for infrastructure faults (step retries are strata's own). */
export const JOB_MAX_ATTEMPTS = 10;

/**
 * How long a step waits before asking again for a slot of a full concurrency pool, or for an
 * asset partition that another run is computing.
 */
export const POOL_RETRY_MS = 200;

/** Channel on which run and step changes are announced (payload: run id). */
export const RUN_CHANNEL = 'strata_run';

/** Followers of a run refresh this often even without notifications (a pooler may drop LISTEN). */
export const PROGRESS_POLL_MS = 1_000;

/** Followers coalesce bursts of notifications into one refresh per this many milliseconds. */
export const PROGRESS_THROTTLE_MS = 50;
