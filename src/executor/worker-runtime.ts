// What every step execution in a worker process shares: the database, the graph, the artifact
// store, the worker's identity and the abort controllers of its running attempts.
import type { Kysely } from 'kysely';
import type { LocalArtifactStore } from '../artifacts/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Database } from '../store/index.js';
import type { ToolClients } from './tool-clients.js';

export interface WorkerRuntime {
  readonly db: Kysely<Database>;
  readonly graph: AssetGraph;
  readonly artifacts: LocalArtifactStore;
  /** The tool servers of this worker, started on first use. */
  readonly tools: ToolClients;
  /** This process's worker id (a row of strata_internal.workers). */
  readonly workerId: string;
  readonly host: string;
  readonly gitCommit: string | null;
  /** Running attempts of this process: attempt id -> run id and its cancel controller. */
  readonly activeAttempts: Map<
    number,
    { readonly runId: number; readonly controller: AbortController }
  >;
}
