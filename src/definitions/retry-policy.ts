// Retry policies: how many attempts a step gets and how long to wait between them.
import { DefinitionError } from '../errors.js';
import { parseDuration, type Duration } from './duration.js';

/** How the delay grows between retries: the same, by `delay` per retry, or doubling. */
export type Backoff = 'fixed' | 'linear' | 'exponential';

/** The retry policy as a user declares it. */
export interface RetryPolicyInput {
  /** Total attempts including the first (default 1: no retry). */
  readonly maxAttempts?: number;
  /** Delay before the first retry (default 1s). */
  readonly delay?: Duration;
  readonly backoff?: Backoff;
  /** Upper bound of any single delay (default 10m). */
  readonly maxDelay?: Duration;
  /** Fraction of the delay added or removed at random, 0..1 (default 0). */
  readonly jitter?: number;
}

/** A normalized retry policy. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly delayMs: number;
  readonly backoff: Backoff;
  readonly maxDelayMs: number;
  readonly jitter: number;
}

/** Attempts are bounded so a misconfigured policy cannot retry forever. */
export const MAX_ATTEMPTS_LIMIT = 100;

/** Validates and fills in a retry policy; `where` names it in errors. */
export function normalizeRetryPolicy(
  input: RetryPolicyInput | undefined,
  where: string,
): RetryPolicy {
  const maxAttempts = input?.maxAttempts ?? 1;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new DefinitionError(
      `${where}.maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${maxAttempts}`,
    );
  }
  const backoff = input?.backoff ?? 'exponential';
  if (!['fixed', 'linear', 'exponential'].includes(backoff)) {
    throw new DefinitionError(
      `${where}.backoff must be fixed, linear or exponential, got ${JSON.stringify(backoff)}`,
    );
  }
  const jitter = input?.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new DefinitionError(`${where}.jitter must be a number from 0 to 1, got ${jitter}`);
  }
  return {
    maxAttempts,
    delayMs: parseDuration(input?.delay ?? 1000, `${where}.delay`),
    backoff,
    maxDelayMs: parseDuration(input?.maxDelay ?? '10m', `${where}.maxDelay`),
    jitter,
  };
}

/**
 * The delay before attempt `nextAttempt` (2 = first retry). `random` is injectable so tests
 * can pin the jitter.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  nextAttempt: number,
  random: () => number = Math.random,
): number {
  const retryIndex = Math.max(1, nextAttempt - 1);
  const base =
    policy.backoff === 'fixed'
      ? policy.delayMs
      : policy.backoff === 'linear'
        ? policy.delayMs * retryIndex
        : policy.delayMs * 2 ** (retryIndex - 1);
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, jittered)));
}
