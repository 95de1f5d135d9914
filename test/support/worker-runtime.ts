// A worker's runtime without a queue, for tests that drive claims and completions themselves
// (a takeover, a hand-back): registered as an alive worker, never heartbeating.
import { randomBytes } from 'node:crypto';
import { registerWorker } from '../../src/executor/liveness.js';
import { StepCosts } from '../../src/executor/step-costs.js';
import { ToolClients } from '../../src/executor/tool-clients.js';
import type { WorkerRuntime } from '../../src/executor/worker-runtime.js';
import type { AssetGraph } from '../../src/graph/index.js';
import type { TestDatabase } from './database.js';
import { tempArtifacts } from './engine.js';

/** Registers a worker named `name-…` on the test database and returns its runtime. */
export async function testWorkerRuntime(
  database: TestDatabase,
  graph: AssetGraph,
  name = 'test',
): Promise<WorkerRuntime> {
  const workerId = `${name}-${randomBytes(3).toString('hex')}`;
  await registerWorker(database.db, workerId, 1);
  const artifacts = tempArtifacts();
  return {
    db: database.db,
    outage: database.outage,
    graph,
    artifacts,
    tools: new ToolClients(graph.definitions.tools, artifacts.root),
    workerId,
    host: 'test',
    gitCommit: null,
    stopSignal: new AbortController().signal,
    interruptSignal: new AbortController().signal,
    storeRetry: { firstDelayMs: 1_000, limit: 8 },
    stepCosts: new StepCosts(),
    activeAttempts: new Map(),
  };
}
