// The Slurm job's process (`strata slurm-step --attempt ID` on a compute node): reads its private
// environment file ($STRATA_SLURM_ENV_FILE: the database URL and the artifact store, which Slurm
// must not record), opens the database and the store, and runs exactly its attempt with a runtime
// of its own (worker id `slurm:<job id>@<host>:<pid>`, recorded as the materialization's worker), as a
// worker would (run-attempt.ts). The job registers that worker and heartbeats while it runs, so
// the idempotency holds of its tool calls are known to be alive (tool-call-hold.ts); the
// attempt itself is judged by the job's state (track-attempts.ts), never by that heartbeat.
import path from 'node:path';
import { openArtifactStore } from '../../artifacts/index.js';
import { EnvironmentError, UsageError } from '../../errors.js';
import type { AssetGraph } from '../../graph/index.js';
import { createDatabase } from '../../store/index.js';
import { hostName } from '../../util/host-name.js';
import { createEngine, type Engine } from '../engine.js';
import { DEFAULT_HEARTBEAT_MS } from '../constants.js';
import { heartbeat, markWorkerStopped, registerWorker, reviveWorker } from '../liveness.js';
import { StepCosts } from '../step-costs.js';
import { ToolClients } from '../tool-clients.js';
import { echoCapturedOutputByDefault } from '../output-capture.js';
import type { WorkerRuntime } from '../worker-runtime.js';
import { readEnvFile } from './env-file.js';
import { runSlurmAttempt, type SlurmAttemptResult } from './run-attempt.js';
import { SLURM_ENV_FILE_VARIABLE } from './settings.js';

/** The variables the environment file carries. */
export const SLURM_DATABASE_URL = 'DATABASE_URL';

/** Runs attempt `attemptId` with `engine`'s database, graph and store, in this process. */
export async function runSlurmStep(
  engine: Engine,
  attemptId: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SlurmAttemptResult> {
  const host = hostName(env);
  const runtime: WorkerRuntime = {
    db: engine.database.db,
    outage: engine.database.outage,
    graph: engine.graph,
    artifacts: engine.artifacts,
    tools: new ToolClients(engine.graph.definitions.tools, engine.artifacts.location),
    workerId: `slurm:${env.SLURM_JOB_ID ?? 'job'}@${host}:${process.pid}`,
    host,
    gitCommit: engine.gitCommit,
    stopSignal: new AbortController().signal,
    interruptSignal: new AbortController().signal,
    storeRetry: { firstDelayMs: 1_000, limit: 8 },
    stepCosts: new StepCosts(),
    activeAttempts: new Map(),
  };
  await registerWorker(runtime.db, runtime.workerId, 1);
  // Declared lost by a slow beat, it rejoins as alive, as a worker does.
  const beat = setInterval(
    () =>
      void heartbeat(runtime.db, runtime.workerId, [])
        .then((alive) =>
          alive === undefined ? reviveWorker(runtime.db, runtime.workerId) : undefined,
        )
        .catch(() => undefined),
    DEFAULT_HEARTBEAT_MS,
  );
  try {
    return await runSlurmAttempt(runtime, attemptId);
  } finally {
    clearInterval(beat);
    await runtime.tools.close();
    await markWorkerStopped(runtime.db, runtime.workerId);
  }
}

/**
 * What `strata slurm-step` does once it has the definitions' graph: opens what the environment
 * file names and runs the attempt. The artifact store defaults to `<cwd>/.strata/artifacts`.
 */
export async function runSlurmStepFromEnv(
  graph: AssetGraph,
  attemptId: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SlurmAttemptResult> {
  if (!Number.isSafeInteger(attemptId) || attemptId < 1)
    throw new UsageError(`slurm-step: --attempt must be an attempt id, got ${attemptId}`);
  const file = env[SLURM_ENV_FILE_VARIABLE];
  if (file === undefined || file === '')
    throw new EnvironmentError(`slurm-step: ${SLURM_ENV_FILE_VARIABLE} is not set`, {
      hint: 'strata slurm-step runs inside the Slurm job a worker submitted',
    });
  // The compute's captured output is recorded, and also written to the job's output file.
  echoCapturedOutputByDefault();
  const values = await readEnvFile(file);
  const url = values[SLURM_DATABASE_URL];
  if (url === undefined)
    throw new EnvironmentError(`slurm-step: ${file} has no ${SLURM_DATABASE_URL}`);
  const merged = { ...env, ...values };
  const artifacts = await openArtifactStore({
    defaultDirectory: path.resolve('.strata', 'artifacts'),
    cwd: process.cwd(),
    env: merged,
  });
  const database = await createDatabase(url, { max: 4 });
  try {
    const engine = createEngine({
      database,
      graph,
      artifacts,
      gitCommit: values.STRATA_GIT_COMMIT ?? null,
    });
    return await runSlurmStep(engine, attemptId, env);
  } finally {
    await database.close();
  }
}
