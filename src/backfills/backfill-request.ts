// What creating a backfill takes (CLI flags, the API's body), its limits, and the check of them.
import { UsageError } from '../errors.js';

/** Partitions per run unless told otherwise: big enough to amortize a run, small enough to stream. */
export const DEFAULT_CHUNK_SIZE = 10;
/** Runs in flight at once unless told otherwise; pools still cap the steps within them. */
export const DEFAULT_MAX_RUNS = 4;
/** A run's plan, steps and edges are built in memory: chunks larger than this are refused. */
export const MAX_CHUNK_SIZE = 10_000;
/** More runs in flight than this only queue up behind the workers' concurrency. */
export const MAX_RUNS_LIMIT = 1_000;

/** A backfill to create. Partition filters apply to the partitioned assets of the selection. */
export interface BackfillRequest {
  /** The selection (default: every asset). */
  readonly selection?: string;
  /** The first partition of the range, in each asset's partition order (inclusive). */
  readonly from?: string;
  /** The last partition of the range (inclusive). */
  readonly to?: string;
  /** Only these partitions. */
  readonly partitions?: readonly string[];
  /** Only partitions missing now (with `failed`: missing or failed). */
  readonly missing?: boolean;
  /** Only partitions whose latest step failed (with `missing`: either). */
  readonly failed?: boolean;
  /** Plan fresh partitions too (each chunk's run is forced). */
  readonly force?: boolean;
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
