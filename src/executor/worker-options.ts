// The tunables of a worker pool and their defaults, resolved in one place (as Temporal's
// compileWorkerOptions): the pool, materialize, the run launcher and the CLI read the compiled
// values instead of each filling in defaults where it uses them.
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS } from './constants.js';

/** Idle workers look for scheduled jobs (retries, pool waits) this often. */
export const DEFAULT_POLL_INTERVAL_MS = 250;

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
  return Object.freeze({ concurrency, leaseMs, heartbeatMs, pollIntervalMs });
}

function positiveMs(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}
