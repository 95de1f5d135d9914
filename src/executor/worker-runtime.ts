// What every step execution in a worker process shares: the database, the graph, the artifact
// store, the worker's identity, whether it is stopping, and the abort controllers of its running
// attempts.
import type { Kysely } from 'kysely';
import type { ArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database, DatabaseOutage } from '../store/index.js';
import type { SlurmSettings } from './slurm/settings.js';
import type { StepCosts } from './step-costs.js';
import type { ToolClients } from './tool-clients.js';

export interface WorkerRuntime {
  readonly db: Kysely<Database>;
  /** Waits through database outages (store/outage.ts): every transaction of a step runs in it. */
  readonly outage: DatabaseOutage;
  readonly graph: AssetGraph;
  readonly artifacts: ArtifactStore;
  /** The tool servers of this worker, started on first use. */
  readonly tools: ToolClients;
  /** This process's worker id (a row of strata_internal.workers). */
  readonly workerId: string;
  readonly host: string;
  readonly gitCommit: string | null;
  /**
   * Aborted when the worker begins to stop: from then on it starts nothing new (no new claims,
   * no adoption) and hands the unstarted steps of its jobs back to the queue.
   */
  readonly stopSignal: AbortSignal;
  /**
   * Aborted when the worker is told to stop at once: its running computations are aborted and
   * their steps handed back to the queue (not cancelled), for another worker to run.
   */
  readonly interruptSignal: AbortSignal;
  /** How steps whose artifact store failed are tried again (worker-options.ts). */
  readonly storeRetry: { readonly firstDelayMs: number; readonly limit: number };
  /** What this process learnt of how long one step of an asset computes, for claim sizes. */
  readonly stepCosts: StepCosts;
  /** Running attempts of this process: attempt id -> run id and its cancel controller. */
  /** How this worker hands the attempts of Slurm-executed assets to Slurm; none: it cannot. */
  readonly slurm?: SlurmSettings;
  readonly activeAttempts: Map<
    number,
    { readonly runId: number; readonly controller: AbortController }
  >;
}
