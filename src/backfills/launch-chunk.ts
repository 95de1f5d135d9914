// Launches one chunk of a backfill's targets as one run, inside the driver's transaction: plans
// exactly those (asset, partition) pairs, writes the run, and records each target's outcome:
// launched with the run, done when fresh (no step), held when a blocking check holds it back
// (docs/semantics.md, "Asset checks"), failed with the reason when the chunk cannot be planned.
// The chunks of one advance are planned from one status evaluation (chunkStatuses), as the
// automation daemon plans its runs from its tick's.
import type { Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { UNPARTITIONED, type AssetGraph } from '../graph/index.js';
import { StrataError } from '../errors.js';
import { insertRun, type RunSettings } from '../executor/index.js';
import { computeStatus, createPlan, type StatusReport } from '../planner/index.js';
import type { Database } from '../store/index.js';
import type { PendingTarget } from './ready-targets.js';
import type { TargetUpdate } from './sql/set-target-states.js';

/** Who the chunk's run is for, and how it is planned. */
export interface ChunkContext {
  readonly backfillId: number;
  readonly graph: AssetGraph;
  readonly settings: RunSettings;
  readonly force: boolean;
  readonly launchedBy: string;
  /** Statuses covering the chunk's assets (chunkStatuses); evaluated by the planner when absent. */
  readonly report?: StatusReport;
}

/**
 * The statuses the chunks of `targets` are planned from, evaluated once for all of them
 * (their partitions, and upstream what those read); undefined when they cannot be evaluated, so that each chunk's
 * planning meets the error and fails with it.
 */
export async function chunkStatuses(
  trx: Kysely<Database>,
  graph: AssetGraph,
  targets: readonly PendingTarget[],
): Promise<StatusReport | undefined> {
  // Only the targets' partitions and what they read: an advance costs what it launches.
  const partitions = new Map<AssetKey, PartitionKey[]>();
  for (const target of targets) {
    const list = partitions.get(target.key);
    if (list === undefined) partitions.set(target.key, [target.partition]);
    else list.push(target.partition);
  }
  try {
    return await computeStatus(trx, graph, partitions.keys(), undefined, { partitions });
  } catch (error) {
    if (error instanceof StrataError) return undefined;
    throw error;
  }
}

/** The selection text naming exactly `chunk`: `key[p1,p2]` terms, `key` when unpartitioned. */
export function chunkSelection(chunk: readonly PendingTarget[]): string {
  const byKey = new Map<string, string[]>();
  for (const target of chunk) {
    let partitions = byKey.get(target.key);
    if (partitions === undefined) byKey.set(target.key, (partitions = []));
    partitions.push(target.partition);
  }
  return [...byKey]
    .map(([key, partitions]) =>
      partitions.length === 1 && partitions[0] === UNPARTITIONED
        ? key
        : `${key}[${partitions.join(',')}]`,
    )
    .join(', ');
}

/** Plans and writes the run of `chunk`; returns the targets' new states and the run id, if any. */
export async function launchChunk(
  trx: Kysely<Database>,
  chunk: readonly PendingTarget[],
  context: ChunkContext,
): Promise<{ runId: number | null; updates: TargetUpdate[] }> {
  const selection = chunkSelection(chunk);
  let plan;
  try {
    plan = await createPlan(trx, context.graph, selection, {
      force: context.force,
      ...(context.report === undefined ? {} : { report: context.report }),
    });
  } catch (error) {
    if (!(error instanceof StrataError)) throw error;
    // Planning refused the chunk (a partition gone, an input missing outside the backfill).
    const message = error.hint === undefined ? error.message : `${error.message} (${error.hint})`;
    const updates = chunk.map((t) => ({
      ...ref(t),
      state: 'failed' as const,
      runId: null,
      error: message,
    }));
    return { runId: null, updates };
  }
  let runId: number | null = null;
  if (plan.steps.length > 0) {
    runId = await insertRun(trx, {
      plan,
      options: { concurrency: context.settings.concurrency, force: context.force, partitions: [] },
      gitCommit: context.settings.gitCommit,
      trigger: 'backfill',
      triggerReason: `backfill ${context.backfillId}`,
      launchedBy: context.launchedBy,
    });
  }
  const planned = new Set(plan.steps.map((s) => `${s.key}\u0000${s.partition}`));
  const held = new Map(
    plan.held.map((h) => [
      `${h.key}\u0000${h.partition}`,
      `held: reads ${h.blockedBy.key}[${h.blockedBy.partition}], blocked by ${h.checks.join(', ')}`,
    ]),
  );
  const updates = chunk.map((target): TargetUpdate => {
    const id = `${target.key}\u0000${target.partition}`;
    if (planned.has(id)) return { ...ref(target), state: 'launched', runId, error: null };
    const status = plan.report.statuses.get(target.key)?.get(target.partition)?.status;
    if (held.has(id)) return { ...ref(target), state: 'held', runId: null, error: held.get(id)! };
    if (status === 'blocked') {
      const error = 'held: a blocking check failed on its latest materialization';
      return { ...ref(target), state: 'held', runId: null, error };
    }
    return { ...ref(target), state: 'done', runId: null, error: null };
  });
  return { runId, updates };
}

function ref(target: PendingTarget): { key: string; partition: string } {
  return { key: target.key, partition: target.partition };
}
