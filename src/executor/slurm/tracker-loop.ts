// A worker's tracker loop: a tracking pass (track-attempts.ts) every poll interval, one at a time,
// its failures logged as warnings (the next interval tries again).
import type { EngineLog } from '../engine.js';
import type { WorkerRuntime } from '../worker-runtime.js';
import type { SlurmSettings } from './settings.js';
import { trackSlurmAttempts } from './track-attempts.js';

/** Default interval between polls of the Slurm jobs. */
export const DEFAULT_SLURM_POLL_MS = 5_000;

/** A running tracker loop. */
export interface SlurmTracker {
  /** Runs a pass now (or waits for the one under way). */
  tick(): Promise<void>;
  /** Stops the loop and waits for a pass under way. */
  stop(): Promise<void>;
}

/** Starts polling the jobs of all Slurm attempts every `settings.pollIntervalMs`. */
export function startSlurmTracker(
  runtime: WorkerRuntime,
  settings: SlurmSettings,
  log: EngineLog,
): SlurmTracker {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> =>
    (running ??= trackSlurmAttempts(runtime, settings)
      .then(() => undefined)
      .catch((error: unknown) =>
        log('warning', `Slurm tracking failed: ${(error as Error).message}`),
      )
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void tick(), settings.pollIntervalMs ?? DEFAULT_SLURM_POLL_MS);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
