// What creating a backfill takes (CLI flags, the API's body), its limits, and the check of them.
import { UsageError } from '../errors.js';
import type { BackfillOptions } from '../store/index.js';

/** Partitions per run unless told otherwise: big enough to amortize a run, small enough to stream. */
export const DEFAULT_CHUNK_SIZE = 10;
/** Runs in flight at once unless told otherwise; pools still cap the steps within them. */
export const DEFAULT_MAX_RUNS = 4;
/** A run's plan, steps and edges are built in memory: chunks larger than this are refused. */
export const MAX_CHUNK_SIZE = 10_000;
/** More runs in flight than this only queue up behind the workers' concurrency. */
export const MAX_RUNS_LIMIT = 1_000;

/**
 * A backfill to create: the filters it keeps (BackfillOptions: `from`/`to` inclusive in each
 * asset's partition order, `partitions`, `missing`, `failed` (either, when both), `force`), which
 * apply to the partitioned assets of the selection, and how it runs.
 */
export interface BackfillRequest extends BackfillOptions {
  /** The selection (default: every asset). */
  readonly selection?: string;
  /** Targets per run (default DEFAULT_CHUNK_SIZE). */
  readonly chunkSize?: number;
  /** Runs in flight at once (default DEFAULT_MAX_RUNS). */
  readonly maxRuns?: number;
  /** Who creates it (recorded). */
  readonly launchedBy?: string;
}

/** Checks a limit given by the caller, naming the option at fault. */
export function checkLimit(
  value: number | undefined,
  fallback: number,
  max: number,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} must be a whole number from 1 to ${max}, not ${value}`);
  }
  return value;
}
