// Writes a plan as a run: the run row, its steps and their edges, snapshots of the definitions,
// and the jobs of the steps that are ready, all in one transaction.
import { hostName } from '../util/host-name.js';
import { sql, type Kysely } from 'kysely';
import { describePartitions, type AnyAssetDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { Plan } from '../planner/index.js';
import { appendEvents } from '../provenance/index.js';
import type { Database, RunOptions } from '../store/index.js';
import { hashJson } from '../util/canonical-json.js';
import { enqueueReadySteps } from './job-queue.js';

export type { RunOptions } from '../store/index.js';

export interface CreateRunInput {
  readonly plan: Plan;
  readonly options: RunOptions;
  readonly trigger?: string;
  /** Why the run was launched, in words (automation records its rules' reasons). */
  readonly triggerReason?: string;
  /** Who launched it: a token's name, `user@host`, a daemon (recorded with the run). */
  readonly launchedBy?: string;
  readonly gitCommit?: string | null;
  /** The experiment plan the run executes, and the checkpoint it stops at (docs/plans.md). */
  readonly planId?: string;
  readonly planCheckpoint?: number | null;
}

/** A JSON snapshot of one definition as it was when a run was planned. */
export function definitionSnapshot(
  graph: AssetGraph,
  definition: AnyAssetDefinition,
): Record<string, unknown> {
  return {
    key: definition.key,
    description: definition.description ?? null,
    group: definition.group,
    owners: definition.owners,
    tags: definition.tags,
    codeVersion: definition.codeVersion,
    codeVersionSource: definition.codeVersionSource,
    dependencies: graph.node(definition.key).dependencies,
    partitions: describePartitions(definition.partitions),
    retry: definition.retry,
    timeoutMs: definition.timeoutMs ?? null,
    pool: definition.pool ?? null,
    ...(definition.automation === undefined ? {} : { automation: definition.automation }),
  };
}

/** Definition rows by graph and asset: a graph never changes, so each is hashed once. */
const snapshotRows = new WeakMap<AssetGraph, Map<string, DefinitionRow>>();

interface DefinitionRow {
  readonly asset_key: string;
  readonly code_version: string;
  readonly definition_hash: string;
  readonly snapshot: string;
}

function definitionRow(graph: AssetGraph, key: string): DefinitionRow {
  let rows = snapshotRows.get(graph);
  if (rows === undefined) snapshotRows.set(graph, (rows = new Map()));
  let row = rows.get(key);
  if (row === undefined) {
    const definition = graph.node(key).definition;
    const snapshot = definitionSnapshot(graph, definition);
    row = {
      asset_key: key,
      code_version: definition.codeVersion,
      definition_hash: hashJson(snapshot),
      snapshot: JSON.stringify(snapshot),
    };
    rows.set(key, row);
  }
  return row;
}

async function recordDefinitionSnapshots(
  trx: Kysely<Database>,
  graph: AssetGraph,
  plan: Plan,
): Promise<void> {
  const keys = [...new Set(plan.steps.map((s) => s.key))];
  const rows = keys.map((key) => definitionRow(graph, key));
  if (rows.length === 0) return;
  await trx
    .insertInto('strata_internal.asset_definitions')
    .values(rows)
    .onConflict((oc) => oc.columns(['asset_key', 'definition_hash']).doNothing())
    .execute();
}

/** Creates the run of `plan` and enqueues its ready steps; returns the run id. */
export async function createRun(db: Kysely<Database>, input: CreateRunInput): Promise<number> {
  return db.transaction().execute((trx) => insertRun(trx, input));
}

/** createRun inside the caller's transaction `trx` (e.g. with an experiment plan's transition). */
export async function insertRun(trx: Kysely<Database>, input: CreateRunInput): Promise<number> {
  const { plan, options } = input;
  const graph = plan.report.graph;
  await recordDefinitionSnapshots(trx, graph, plan);
  const run = await trx
    .insertInto('strata_internal.runs')
    .values({
      status: 'running',
      selection: plan.selection.text,
      options: JSON.stringify(options),
      trigger: input.trigger ?? 'cli',
      trigger_reason: input.triggerReason ?? null,
      launched_by: input.launchedBy ?? null,
      plan_id: input.planId ?? null,
      plan_checkpoint: input.planCheckpoint ?? null,
      git_commit: input.gitCommit ?? null,
      host: hostName(),
      pid: process.pid,
      pending_steps: plan.steps.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const runId = run.id;
  const steps = plan.steps;
  const inserted = await sql<{ id: number; asset_key: string; partition_key: string }>`
    insert into strata_internal.steps (run_id, asset_key, partition_key, status, deps_remaining, max_attempts, code_version, pool, reasons)
    select ${runId}, s.asset_key, s.partition_key, s.status, s.deps_remaining, s.max_attempts, s.code_version, s.pool, s.reasons::jsonb
    from unnest(${steps.map((s) => s.key)}::text[], ${steps.map((s) => s.partition)}::text[],
                ${steps.map((s) => (s.upstream.length === 0 ? 'queued' : 'waiting'))}::text[],
                ${steps.map((s) => s.upstream.length)}::int[],
                ${steps.map((s) => graph.node(s.key).definition.retry.maxAttempts)}::int[],
                ${steps.map((s) => graph.node(s.key).definition.codeVersion)}::text[],
                ${steps.map((s) => graph.node(s.key).definition.pool ?? null)}::text[],
                ${steps.map((s) => JSON.stringify({ status: s.status, forced: s.forced, causes: s.causes }))}::text[])
      with ordinality as s(asset_key, partition_key, status, deps_remaining, max_attempts, code_version, pool, reasons, ord)
    order by s.ord
    returning id, asset_key, partition_key`.execute(trx);
  const idOf = new Map(
    inserted.rows.map((row) => [`${row.asset_key}\u0000${row.partition_key}`, row.id]),
  );
  const stepIds = steps.map((s) => idOf.get(`${s.key}\u0000${s.partition}`)!);
  const upstreamIds: number[] = [];
  const downstreamIds: number[] = [];
  steps.forEach((step, index) => {
    for (const upstream of step.upstream) {
      upstreamIds.push(stepIds[upstream]!);
      downstreamIds.push(stepIds[index]!);
    }
  });
  if (upstreamIds.length > 0) {
    await sql`
      insert into strata_internal.step_edges (run_id, upstream_step_id, downstream_step_id)
      select ${runId}, u, d from unnest(${upstreamIds}::bigint[], ${downstreamIds}::bigint[]) as e(u, d)`.execute(
      trx,
    );
  }
  const ready = steps.flatMap((step, index) =>
    step.upstream.length === 0 ? [{ id: stepIds[index]!, assetKey: step.key }] : [],
  );
  await enqueueReadySteps(trx, runId, ready, options.concurrency);
  await appendEvents(trx, [
    {
      runId,
      kind: 'run_started',
      message: `run ${runId}: ${steps.length} step${steps.length === 1 ? '' : 's'} for selection ${plan.selection.text}`,
      data: { steps: steps.length, fresh: plan.freshCount, options },
    },
  ]);
  return runId;
}
