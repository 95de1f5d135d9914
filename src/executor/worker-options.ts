// The tunables of a worker pool and their defaults, resolved in one place (as Temporal's
// compileWorkerOptions): the pool, materialize, the run launcher and the CLI read the compiled
// values instead of each filling in defaults where it uses them.
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS } from './constants.js';

/** Idle workers look for scheduled jobs (retries, pool waits) this often. */
export const DEFAULT_POLL_INTERVAL_MS = 250;

/** The first wait before a step whose artifact store failed is tried again. */
export const DEFAULT_STORE_RETRY_MS = 1_000;

/** Hand-backs for artifact-store failures before one counts as the asset's failure. */
export const DEFAULT_STORE_RETRIES = 8;

/** The shortest heartbeat interval a short lease gets. */
const MIN_HEARTBEAT_MS = 100;

/** How a worker pool runs; every field has a default (see compileWorkerOptions). */
export interface WorkerPoolOptions {
  /** Steps run at once by this process (default: CPU count). */
  readonly concurrency?: number;
  /** Declare a silent worker lost after this long (default 5 s). */
  readonly leaseMs?: number;
  /** How often the worker proves it is alive (default: a third of the lease, 100 ms to 1 s). */
  readonly heartbeatMs?: number;
  /** How often an idle worker looks for scheduled jobs (default 250 ms). */
  readonly pollIntervalMs?: number;
  /**
   * A step whose artifact store failed (a full disk, say) is handed back and tried again after
   * this long, doubling each time up to a minute (default 1 s).
   */
  readonly storeRetryMs?: number;
  /**
   * How many times a step is handed back for artifact-store failures before the next one counts
   * as the asset's own failure (default 8: about 3 minutes of waiting with the default delay).
   */
  readonly storeRetries?: number;
}

/** Worker pool options with every default filled in. */
export type CompiledWorkerOptions = Readonly<Required<WorkerPoolOptions>>;

/**
 * Fills in the defaults of `options` and checks them; compiling compiled options returns equal
 * ones. The heartbeat is a third of the lease (two beats may be lost), at least 100 ms and at
 * most 1 s unless given.
 */
export function compileWorkerOptions(options: WorkerPoolOptions = {}): CompiledWorkerOptions {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError(`concurrency must be a positive integer, got ${concurrency}`);
  const leaseMs = positiveMs(options.leaseMs ?? DEFAULT_LEASE_MS, 'leaseMs');
  const heartbeatMs = positiveMs(
    options.heartbeatMs ??
      Math.min(DEFAULT_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, Math.floor(leaseMs / 3))),
    'heartbeatMs',
  );
  const pollIntervalMs = positiveMs(
    options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    'pollIntervalMs',
  );
  const storeRetryMs = positiveMs(options.storeRetryMs ?? DEFAULT_STORE_RETRY_MS, 'storeRetryMs');
  const storeRetries = options.storeRetries ?? DEFAULT_STORE_RETRIES;
  if (!Number.isInteger(storeRetries) || storeRetries < 0)
    throw new UsageError(`storeRetries must be a whole number >= 0, got ${storeRetries}`);
  return Object.freeze({
    concurrency,
    leaseMs,
    heartbeatMs,
    pollIntervalMs,
    storeRetryMs,
    storeRetries,
  });
}

function positiveMs(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}
