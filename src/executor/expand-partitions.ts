// Expands a run when a partition producer materializes, inside the completing transaction: reads
// the run's steps of the assets the producer partitions, lets planExpansion decide, and applies
// the plan: new steps inserted already waiting or queued, their edges, longer waits for existing
// steps that read them, skips of partitions no longer produced, jobs for the ready steps.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { resolveSelection, type AssetGraph } from '../graph/index.js';
import { appendEvents, loadProducedPartitionKeys } from '../provenance/index.js';
import { fromStatesOf, transitionTo, type Database, type StepReasons } from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import { enqueueReadySteps } from './job-queue.js';
import {
  expansionScope,
  planExpansion,
  type EdgeEnd,
  type ExistingStep,
  type ExpansionPlan,
  type NewStep,
  stepRefKey,
} from './plan-expansion.js';
import { releaseDependants } from './step-transitions.js';

/** Where a step goes when its partition is no longer produced. */
const SKIPPED = transitionTo('expand', 'skipped');

/** Steps added and removed by an expansion, for the run's pending count. */
export interface ExpansionResult {
  readonly added: number;
  readonly removed: number;
}

/** Expands the run of `claim` after its producer step produced `producedKeys`. */
export async function expandProducedPartitions(
  trx: Kysely<Database>,
  graph: AssetGraph,
  claim: ClaimedStep,
  producedKeys: readonly PartitionKey[],
): Promise<ExpansionResult> {
  const producer = claim.step.asset_key as AssetKey;
  const selection = resolveSelection(graph, claim.run.selection);
  const scope = expansionScope(graph, producer, selection);
  if (scope.targets.length === 0) return { added: 0, removed: 0 };
  const producerPartition = claim.step.partition_key;
  const plan = planExpansion({
    graph,
    producer,
    producerPartition,
    ...(graph.node(producer).definition.partitions && {
      producedElsewhere: await producedByOtherPartitions(trx, producer, producerPartition),
    }),
    selection,
    runPartitions: claim.runOptions.partitions,
    producedKeys,
    existing: await readSteps(trx, claim.run.id, scope.assets),
  });
  // New waits are counted before skips release dependants, so no step's count passes zero early.
  const idOf = await insertSteps(trx, graph, claim, plan.create);
  await wire(trx, claim.run.id, plan, idOf);
  const removed = await skipSteps(trx, claim, plan.skip);
  await enqueueReadySteps(
    trx,
    claim.run.id,
    plan.ready.map((step) => ({ id: idOf.get(stepRefKey(step))!, assetKey: step.key })),
    claim.runOptions.concurrency,
  );
  await recordExpansionEvent(trx, claim, plan.create.length, removed);
  return { added: plan.create.length, removed };
}

/** The keys the producer's other partitions produced in their latest materializations. */
async function producedByOtherPartitions(
  trx: Kysely<Database>,
  producer: AssetKey,
  partition: PartitionKey,
): Promise<Set<PartitionKey>> {
  const byPartition = (await loadProducedPartitionKeys(trx, [producer])).get(producer);
  const keys = new Set<PartitionKey>();
  for (const [other, produced] of byPartition ?? [])
    if (other !== partition) for (const key of produced) keys.add(key);
  return keys;
}

async function readSteps(
  trx: Kysely<Database>,
  runId: number,
  assets: readonly AssetKey[],
): Promise<ExistingStep[]> {
  const rows = await trx
    .selectFrom('strata_internal.steps')
    .select(['id', 'asset_key', 'partition_key', 'status'])
    .where('run_id', '=', runId)
    .where('asset_key', '=', (eb) => eb.fn.any(eb.val([...assets] as string[])))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    key: row.asset_key as AssetKey,
    partition: row.partition_key,
    status: row.status,
  }));
}

/** Inserts the new steps in their planned status; returns their ids by `stepRefKey`. */
async function insertSteps(
  trx: Kysely<Database>,
  graph: AssetGraph,
  claim: ClaimedStep,
  steps: readonly NewStep[],
): Promise<Map<string, number>> {
  const idOf = new Map<string, number>();
  if (steps.length === 0) return idOf;
  const reasons: StepReasons = { status: 'expanded', forced: claim.runOptions.force, causes: [] };
  const definition = (step: NewStep) => graph.node(step.key).definition;
  const inserted = await sql<{ id: number; asset_key: string; partition_key: string }>`
    insert into strata_internal.steps (run_id, asset_key, partition_key, status, deps_remaining, max_attempts, code_version, pool, reasons)
    select ${claim.run.id}, s.k, s.p, s.status, s.deps, s.m, s.c, s.pool, ${JSON.stringify(reasons)}::jsonb
    from unnest(${steps.map((s) => s.key)}::text[], ${steps.map((s) => s.partition)}::text[],
                ${steps.map((s) => s.status)}::text[], ${steps.map((s) => s.depsRemaining)}::int[],
                ${steps.map((s) => definition(s).retry.maxAttempts)}::int[],
                ${steps.map((s) => definition(s).codeVersion)}::text[],
                ${steps.map((s) => definition(s).pool ?? null)}::text[]) as s(k, p, status, deps, m, c, pool)
    returning id, asset_key, partition_key`.execute(trx);
  for (const row of inserted.rows)
    idOf.set(stepRefKey({ key: row.asset_key, partition: row.partition_key }), row.id);
  return idOf;
}

/** Inserts the planned edges and lengthens the waits of existing steps that gained some. */
async function wire(
  trx: Kysely<Database>,
  runId: number,
  plan: ExpansionPlan,
  newIds: ReadonlyMap<string, number>,
): Promise<void> {
  if (plan.edges.length === 0) return;
  const idOf = (end: EdgeEnd): number => end.id ?? newIds.get(stepRefKey(end))!;
  await sql`
    insert into strata_internal.step_edges (run_id, upstream_step_id, downstream_step_id)
    select ${runId}, u, d from unnest(${plan.edges.map((e) => idOf(e.upstream))}::bigint[], ${plan.edges.map((e) => idOf(e.downstream))}::bigint[]) as e(u, d)
    on conflict do nothing`.execute(trx);
  if (plan.waitLonger.length === 0) return;
  await sql`
    update strata_internal.steps s set deps_remaining = s.deps_remaining + c.n
    from unnest(${plan.waitLonger.map((w) => w.id)}::bigint[], ${plan.waitLonger.map((w) => w.by)}::int[]) as c(id, n)
    where s.id = c.id`.execute(trx);
}

/**
 * Skips the planned steps still in a state the expansion may skip (a concurrent cancel may have
 * ended them) and releases their dependants; returns how many were skipped.
 */
async function skipSteps(
  trx: Kysely<Database>,
  claim: ClaimedStep,
  steps: readonly ExistingStep[],
): Promise<number> {
  if (steps.length === 0) return 0;
  const skipped = await trx
    .updateTable('strata_internal.steps')
    .set({
      status: SKIPPED,
      finished_at: sql<Date>`now()`,
      error: JSON.stringify({ reason: `partition no longer produced by ${claim.step.asset_key}` }),
    })
    .where('id', '=', (eb) => eb.fn.any(eb.val(steps.map((s) => s.id))))
    .where('status', 'in', fromStatesOf('expand', SKIPPED))
    .returning('id')
    .execute();
  await releaseDependants(
    trx,
    claim.run.id,
    skipped.map((row) => row.id),
    claim.runOptions.concurrency,
  );
  return skipped.length;
}

async function recordExpansionEvent(
  trx: Kysely<Database>,
  claim: ClaimedStep,
  added: number,
  removed: number,
): Promise<void> {
  if (added === 0 && removed === 0) return;
  await appendEvents(trx, [
    {
      runId: claim.run.id,
      stepId: claim.step.id,
      assetKey: claim.step.asset_key,
      kind: 'run_expanded',
      message: `${claim.step.asset_key} produced new partitions: ${added} step${added === 1 ? '' : 's'} added${removed > 0 ? `, ${removed} skipped (no longer produced)` : ''}`,
      data: { added, removed },
    },
  ]);
}
