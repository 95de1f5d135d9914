// Expands a run when a partition producer materializes: steps for new partitions of the selected
// assets it partitions are added inside the same run (and wired to the fan-ins that read them);
// steps of partitions it no longer produces are skipped.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import { resolveSelection, type AssetGraph } from '../graph/index.js';
import { indexSteps, upstreamSteps } from '../planner/index.js';
import { appendEvents } from '../provenance/index.js';
import type { Database, StepStatus } from '../store/index.js';
import type { ClaimedStep } from './claim-steps.js';
import { enqueueReadySteps } from './job-queue.js';
import { DONE_STEP_STATUSES, releaseDependants } from './step-transitions.js';

interface RunStep {
  id: number;
  key: AssetKey;
  partition: PartitionKey;
  status: StepStatus;
  isNew: boolean;
}

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
  const runId = claim.run.id;
  const selection = resolveSelection(graph, claim.run.selection);
  const selected = new Set(selection.keys);
  const targets = selection.keys.filter((key) => graph.node(key).partitionProducer === producer);
  if (targets.length === 0) return { added: 0, removed: 0 };
  const downstream = graph.sortTopologically(
    targets
      .flatMap((key) => [...graph.downstream(key)])
      .filter((key) => selected.has(key) && !targets.includes(key)),
  );
  const fanIns = downstream.filter((key) => !graph.node(key).definition.partitions);

  const existingRows = await trx
    .selectFrom('strata_internal.steps')
    .select(['id', 'asset_key', 'partition_key', 'status'])
    .where('run_id', '=', runId)
    .where('asset_key', '=', (eb) =>
      eb.fn.any(eb.val([producer, ...targets, ...fanIns] as string[])),
    )
    .execute();
  const steps: RunStep[] = existingRows.map((row) => ({
    id: row.id,
    key: row.asset_key as AssetKey,
    partition: row.partition_key,
    status: row.status,
    isNew: false,
  }));
  const index = indexSteps(steps);

  const produced = new Set(producedKeys);
  const filterOf = (key: AssetKey): Set<string> | undefined => {
    const restricted =
      selection.partitions.get(key) ??
      (claim.runOptions.partitions.length > 0 ? claim.runOptions.partitions : undefined);
    return restricted ? new Set(restricted) : undefined;
  };
  const created: RunStep[] = [];
  const removed: RunStep[] = [];
  for (const key of targets) {
    const filter = filterOf(key);
    const existing = index.get(key) ?? new Map<PartitionKey, RunStep>();
    for (const partition of producedKeys) {
      if (existing.has(partition) || (filter && !filter.has(partition))) continue;
      created.push({ id: 0, key, partition, status: 'waiting', isNew: true });
    }
    for (const step of existing.values()) {
      if (!produced.has(step.partition) && (step.status === 'waiting' || step.status === 'queued'))
        removed.push(step);
    }
  }
  for (const key of fanIns) {
    if (!index.get(key)?.has(''))
      created.push({ id: 0, key, partition: '', status: 'waiting', isNew: true });
  }

  if (removed.length > 0) {
    await trx
      .updateTable('strata_internal.steps')
      .set({
        status: 'skipped',
        finished_at: sql<Date>`now()`,
        error: JSON.stringify({ reason: `partition no longer produced by ${producer}` }),
      })
      .where('id', '=', (eb) => eb.fn.any(eb.val(removed.map((s) => s.id))))
      .execute();
    for (const step of removed) step.status = 'skipped';
    await releaseDependants(
      trx,
      runId,
      removed.map((s) => s.id),
      claim.runOptions.concurrency,
    );
  }
  if (created.length === 0) {
    await recordExpansionEvent(trx, claim, 0, removed.length);
    return { added: 0, removed: removed.length };
  }

  const inserted = await sql<{ id: number; asset_key: string; partition_key: string }>`
    insert into strata_internal.steps (run_id, asset_key, partition_key, status, deps_remaining, max_attempts, code_version, pool, reasons)
    select ${runId}, s.k, s.p, 'waiting', 0, s.m, s.c, s.pool, ${JSON.stringify({ status: 'expanded', forced: claim.runOptions.force, causes: [] })}::jsonb
    from unnest(${created.map((s) => s.key)}::text[], ${created.map((s) => s.partition)}::text[],
                ${created.map((s) => graph.node(s.key).definition.retry.maxAttempts)}::int[],
                ${created.map((s) => graph.node(s.key).definition.codeVersion)}::text[],
                ${created.map((s) => graph.node(s.key).definition.pool ?? null)}::text[]) as s(k, p, m, c, pool)
    returning id, asset_key, partition_key`.execute(trx);
  const idOf = new Map(
    inserted.rows.map((row) => [`${row.asset_key}\u0000${row.partition_key}`, row.id]),
  );
  for (const step of created) {
    step.id = idOf.get(`${step.key}\u0000${step.partition}`)!;
    steps.push(step);
  }

  // Wire edges that touch a new step; edges from steps already done are not needed.
  const fullIndex = indexSteps(steps);
  const edges: Array<[number, number]> = [];
  const waitingFor = new Map<number, number>();
  const pending = (step: RunStep): boolean => !DONE_STEP_STATUSES.includes(step.status);
  for (const step of steps) {
    if (step.status === 'skipped') continue;
    for (const upstream of upstreamSteps(graph, step, fullIndex, new Map())) {
      if (!step.isNew && !upstream.isNew) continue;
      if (!pending(upstream)) continue;
      edges.push([upstream.id, step.id]);
      waitingFor.set(step.id, (waitingFor.get(step.id) ?? 0) + 1);
    }
  }
  if (edges.length > 0) {
    await sql`
      insert into strata_internal.step_edges (run_id, upstream_step_id, downstream_step_id)
      select ${runId}, u, d from unnest(${edges.map((e) => e[0])}::bigint[], ${edges.map((e) => e[1])}::bigint[]) as e(u, d)
      on conflict do nothing`.execute(trx);
    const counts = [...waitingFor];
    await sql`
      update strata_internal.steps s set deps_remaining = s.deps_remaining + c.n
      from unnest(${counts.map((c) => c[0])}::bigint[], ${counts.map((c) => c[1])}::int[]) as c(id, n)
      where s.id = c.id`.execute(trx);
  }
  const ready = created.filter((step) => !waitingFor.has(step.id));
  if (ready.length > 0) {
    await trx
      .updateTable('strata_internal.steps')
      .set({ status: 'queued' })
      .where('id', '=', (eb) => eb.fn.any(eb.val(ready.map((s) => s.id))))
      .execute();
    await enqueueReadySteps(
      trx,
      runId,
      ready.map((s) => ({ id: s.id, assetKey: s.key })),
      claim.runOptions.concurrency,
    );
  }
  await recordExpansionEvent(trx, claim, created.length, removed.length);
  return { added: created.length, removed: removed.length };
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
