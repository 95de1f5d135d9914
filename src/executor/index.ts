// The face of executor/: runs, steps, workers, retries, timeouts, leases and cancellation.
export {
  DEFAULT_LEASE_MS,
  PROGRESS_POLL_MS,
  PROGRESS_THROTTLE_MS,
  RUN_CHANNEL,
  STEP_TASK,
} from './constants.js';
export {
  createRun,
  insertRun,
  definitionSnapshot,
  type CreateRunInput,
  type RunOptions,
} from './create-run.js';
export {
  createEngine,
  type Engine,
  type EngineDatabase,
  type EngineLog,
  type EngineParts,
} from './engine.js';
export { executeSteps, type ExecutionSummary } from './execute-steps.js';
export {
  materialize,
  workOnRun,
  type MaterializeOutcome,
  type MaterializeRequest,
} from './materialize.js';
export { observeBeforeRun } from './observe-before-run.js';
export {
  runChecks,
  type CheckRunEvaluation,
  type CheckRunRequest,
  type CheckRunSummary,
} from './run-checks.js';
export { BlockedInputError } from './blocked-inputs.js';
export {
  observeSources,
  sourceKeys,
  type ObservationOutcome,
  type ObserveRequest,
} from './observe-sources.js';
export { observedEntries } from './observed-entries.js';
export { cancelRun, loadRunOptions, resumeRun } from './run-control.js';
export { loadRunSummary, type RunSummary, type StepSummary } from './run-summary.js';
export {
  loadPlanRuns,
  loadRun,
  loadRunFailures,
  loadRuns,
  type PlanRunJson,
  type RunJson,
  type StepFailure,
} from './run-reads.js';
export { runProgress, watchRun, type RunProgress } from './watch-run.js';
export {
  LaunchDisabledError,
  RunLauncher,
  type LaunchOptions,
  type LaunchRequest,
  type RunSettings,
} from './run-launcher.js';
export { startWorkerPool, type WorkerPool } from './worker.js';
export {
  compileWorkerOptions,
  type CompiledWorkerOptions,
  type WorkerPoolOptions,
} from './worker-options.js';
