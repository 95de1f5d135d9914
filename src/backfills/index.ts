// The face of backfills/ (docs/backfills.md): creating a backfill's durable target set, driving
// it in chunks (foreground or from the daemon), its progress, and pause/resume/cancel/retry.
export {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_MAX_RUNS,
  MAX_CHUNK_SIZE,
  MAX_RUNS_LIMIT,
  type BackfillRequest,
} from './backfill-request.js';
export { createBackfill, type CreatedBackfill } from './create-backfill.js';
export { advanceBackfill, type AdvanceOutcome, type BackfillLauncher } from './advance-backfill.js';
export {
  advanceRunningBackfills,
  driveBackfill,
  DRIVE_POLL_MS,
  type DriveOptions,
} from './drive-backfill.js';
export {
  listBackfills,
  loadBackfillProgress,
  MAX_LISTED_PROBLEMS,
  type BackfillProgress,
  type BackfillSummary,
  type ProblemTarget,
  type TargetCounts,
} from './backfill-progress.js';
export {
  cancelBackfill,
  pauseBackfill,
  resumeBackfill,
  retryBackfill,
} from './backfill-control.js';
export { insertBackfill, type BackfillSpec, type TargetArrays } from './sql/insert-backfill.js';
export { MAX_LAUNCHES } from './sql/reconcile-targets.js';
