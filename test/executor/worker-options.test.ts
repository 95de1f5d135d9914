// compileWorkerOptions: the worker pool's defaults are filled in once, the heartbeat follows the
// lease within its bounds, and nonsense is refused before any pool starts.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS, compileWorkerOptions } from '../../src/executor/index.js';

describe('compileWorkerOptions', () => {
  it('fills in every default', () => {
    expect(compileWorkerOptions()).toEqual({
      concurrency: availableParallelism(),
      leaseMs: DEFAULT_LEASE_MS,
      heartbeatMs: 1_000,
      pollIntervalMs: 250,
      storeRetryMs: 1_000,
      storeRetries: 8,
    });
  });

  it.each([
    [5_000, 1_000], // a third would be 1.67 s: at most 1 s
    [1_500, 500],
    [150, 100], // a third would be 50 ms: at least 100 ms
  ])('beats every third of a %i ms lease, 100 ms to 1 s: %i ms', (leaseMs, heartbeatMs) => {
    expect(compileWorkerOptions({ leaseMs }).heartbeatMs).toBe(heartbeatMs);
  });

  it('keeps what it is given, and compiling twice changes nothing', () => {
    const given = {
      concurrency: 3,
      leaseMs: 900,
      heartbeatMs: 50,
      pollIntervalMs: 20,
      storeRetryMs: 10,
      storeRetries: 0,
    };
    const compiled = compileWorkerOptions(given);
    expect(compiled).toEqual(given);
    expect(compileWorkerOptions(compiled)).toEqual(compiled);
    expect(Object.isFrozen(compiled)).toBe(true);
  });

  it.each([
    [{ concurrency: 0 }, /concurrency must be a positive integer, got 0/],
    [{ concurrency: 1.5 }, /concurrency must be a positive integer/],
    [{ leaseMs: 0 }, /leaseMs must be a positive number of milliseconds/],
    [{ pollIntervalMs: Number.NaN }, /pollIntervalMs must be a positive number/],
    [{ storeRetryMs: -1 }, /storeRetryMs must be a positive number of milliseconds, got -1/],
    [{ storeRetries: 2.5 }, /storeRetries must be a whole number >= 0, got 2.5/],
  ])('refuses %o', (options, message) => {
    expect(() => compileWorkerOptions(options)).toThrow(message);
  });
});
