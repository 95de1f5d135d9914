// Driving backfills: the foreground loop of `strata backfill` and `strata backfill resume`
// (advance, report progress, wait, until the backfill is no longer running or the caller
// aborts), and one pass over every running backfill for the automation daemon's tick.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from '../executor/index.js';
import { advanceBackfill, type BackfillLauncher } from './advance-backfill.js';
import { loadBackfillProgress, type BackfillProgress } from './backfill-progress.js';

/** Between two advances of a foreground driver: steps take seconds, a poll costs milliseconds. */
export const DRIVE_POLL_MS = 500;

/** How a foreground driver runs. */
export interface DriveOptions {
  /** Recorded as the launcher of the runs. */
  readonly launchedBy: string;
  /** Aborting it (Ctrl-C) stops driving; the backfill stays running for another driver. */
  readonly signal?: AbortSignal;
  /** Told the progress after every advance. */
  readonly onProgress?: (progress: BackfillProgress) => void;
  readonly pollMs?: number;
}

/**
 * Drives backfill `id` until it is no longer running (finished, paused or cancelled by anyone)
 * or `options.signal` aborts; returns its last progress.
 */
export async function driveBackfill(
  engine: Pick<Engine, 'database' | 'graph'>,
  launcher: BackfillLauncher,
  id: number,
  options: DriveOptions,
): Promise<BackfillProgress> {
  const { db, outage } = engine.database;
  for (;;) {
    await outage.retry(() => advanceBackfill(engine, launcher, id, options.launchedBy));
    const progress = await outage.retry(() => loadBackfillProgress(db, id));
    options.onProgress?.(progress);
    if (progress.status !== 'running' || options.signal?.aborted === true) return progress;
    await sleep(options.pollMs ?? DRIVE_POLL_MS, undefined, { signal: options.signal }).catch(
      () => undefined,
    );
  }
}

/** Advances every running backfill once (the daemon's tick); returns the ids advanced. */
export async function advanceRunningBackfills(
  engine: Pick<Engine, 'database' | 'graph'>,
  launcher: BackfillLauncher,
  launchedBy: string,
): Promise<number[]> {
  const running = await engine.database.db
    .selectFrom('strata_internal.backfills')
    .select('id')
    .where('status', '=', 'running')
    .orderBy('id')
    .execute();
  for (const { id } of running) await advanceBackfill(engine, launcher, id, launchedBy);
  return running.map((r) => r.id);
}
