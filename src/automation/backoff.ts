// Backoff of asset partitions whose automated rebuild failed: held back for 1 min after the first
// failure, doubling with each further one up to 1 h, instead of being relaunched every tick.
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { durationInWords as words } from '../util/duration-text.js';

/** The wait after the first failure. */
export const BACKOFF_BASE_MS = 60_000;
/** The longest wait: an asset failing for days is still retried every hour. */
export const BACKOFF_MAX_MS = 3_600_000;

/** The wait after `failures` failures (1, 2, ...). */
export function backoffDelayMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
}

/** A partition's backoff as stored. */
export interface BackoffState {
  readonly failures: number;
  readonly retryAfter: Date;
}

/** What to do about a candidate partition that failed last time. */
export type BackoffDecision =
  | { readonly action: 'hold'; readonly state: BackoffState; readonly reason: string }
  | { readonly action: 'retry'; readonly state: BackoffState; readonly reason: string };

/**
 * The decision for a failed candidate: first sight starts the backoff (held); while it lasts the
 * partition is held; once over it is retried, and the next failure's wait is charged now.
 */
export function decideBackoff(previous: BackoffState | undefined, now: Date): BackoffDecision {
  if (previous === undefined) {
    const state = { failures: 1, retryAfter: new Date(now.getTime() + backoffDelayMs(1)) };
    return { action: 'hold', state, reason: `failed; retrying in ${words(backoffDelayMs(1))}` };
  }
  if (now < previous.retryAfter) {
    const left = previous.retryAfter.getTime() - now.getTime();
    return {
      action: 'hold',
      state: previous,
      reason: `failed ${previous.failures} time(s); retrying in ${words(left)}`,
    };
  }
  const failures = previous.failures + 1;
  return {
    action: 'retry',
    state: { failures, retryAfter: new Date(now.getTime() + backoffDelayMs(failures)) },
    reason: `retry ${failures - 1} after ${previous.failures} failure(s)`,
  };
}

/** A key for maps of partitions. */
export function partitionId(key: AssetKey, partition: PartitionKey): string {
  return `${key}\u0000${partition}`;
}
