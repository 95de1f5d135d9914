// The automation benchmark's world: 10 chains of 100 eager assets x 1,000 static partitions with
// one materialization each (the planning benchmark's generator), a run starter that plans and
// records runs without executing them, and set-based changes of the chain roots and their undo.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { RunStarter } from '../src/automation/index.js';
import { cancelRun, createRun, type LaunchRequest } from '../src/executor/index.js';
import type { AssetGraph } from '../src/graph/index.js';
import { createPlan } from '../src/planner/index.js';
import type { Database } from '../src/store/index.js';
import { assetKeyOf, chainGraph, partitionOf, type HistoryShape } from './planning.js';

export const SHAPE: HistoryShape = { chains: 10, chainLength: 100, partitions: 1000, versions: 1 };
export const PARTITIONS = SHAPE.chains * SHAPE.chainLength * SHAPE.partitions;
/** The generated rows' ids are 1..PARTITIONS (generateHistory); changes come after. */
const GENERATED = PARTITIONS;
const ROOTS = Array.from({ length: SHAPE.chains }, (_, c) => assetKeyOf(c * SHAPE.chainLength));

/** Every asset eager. */
export const automationGraph = (): AssetGraph => chainGraph(SHAPE, () => ({ automation: 'eager' }));

/** What one launch cost: createPlan (from the tick's statuses) and createRun. */
export interface Launch {
  readonly planMs: number;
  readonly createRunMs: number;
  readonly steps: number;
  readonly runId: number | null;
}

/**
 * RunLauncher.launch without its worker pool: plans (from the tick's statuses when given, as the
 * launcher does) and records the run (steps, edges, jobs of the ready steps), executing nothing;
 * nothing to observe (no source assets).
 */
export class RecordingStarter implements RunStarter {
  readonly launches: Launch[] = [];
  constructor(
    readonly db: Kysely<Database>,
    readonly graph: AssetGraph,
  ) {}

  async launch(request: LaunchRequest): Promise<{ runId: number | null }> {
    const force = request.force ?? false;
    const partitions = [...(request.partitions ?? [])];
    const start = performance.now();
    const plan = await createPlan(this.db, this.graph, request.selection, {
      force,
      partitions,
      ...(request.report === undefined ? {} : { report: request.report }),
    });
    const planned = performance.now();
    const runId =
      plan.steps.length === 0
        ? null
        : await createRun(this.db, {
            plan,
            options: { concurrency: 2, force, partitions },
            gitCommit: null,
            trigger: request.trigger ?? 'api',
            ...(request.reason === undefined ? {} : { triggerReason: request.reason }),
          });
    const launch = { planMs: planned - start, createRunMs: performance.now() - planned, runId };
    this.launches.push({ ...launch, steps: plan.steps.length });
    return { runId };
  }

  async observe(): Promise<[]> {
    return [];
  }
}

/**
 * New data for partitions [first, first+count) of every chain root: a new materialization each
 * (same input hash, new data version) and the latest pointer moved to it, in one statement.
 */
export async function changeRoots(db: Kysely<Database>, first: number, count: number) {
  const partitions = Array.from({ length: count }, (_, i) => partitionOf(first + i));
  await sql`
    with changed as (
      insert into strata_internal.materializations
        (asset_key, partition_key, code_version, data_version, input_hash, value, value_size,
         started_at, finished_at)
      select asset_key, partition_key, code_version, md5('changed/' || materialization_id),
             input_hash, '1'::jsonb, 1, now(), now()
      from strata_internal.latest_materializations
      where asset_key = any(${ROOTS}::text[]) and partition_key = any(${partitions}::text[])
      returning id, asset_key, partition_key, data_version, finished_at)
    update strata_internal.latest_materializations l
    set materialization_id = c.id, data_version = c.data_version, materialized_at = c.finished_at
    from changed c
    where l.asset_key = c.asset_key and l.partition_key = c.partition_key`.execute(db);
}

/**
 * Undoes every changeRoots so far as a running system would: a newer materialization of each
 * changed root partition with its generated data version (moving a latest pointer back would
 * hide it from incremental ticks), so their dependants are fresh again.
 */
export async function revertRoots(db: Kysely<Database>): Promise<void> {
  await sql`
    with reverted as (
      insert into strata_internal.materializations
        (asset_key, partition_key, code_version, data_version, input_hash, value, value_size,
         started_at, finished_at)
      select l.asset_key, l.partition_key, l.code_version, g.data_version, l.input_hash,
             '1'::jsonb, 1, now(), now()
      from strata_internal.latest_materializations l
      join strata_internal.materializations g
        on g.asset_key = l.asset_key and g.partition_key = l.partition_key and g.id <= ${GENERATED}
      where l.asset_key = any(${ROOTS}::text[]) and l.data_version <> g.data_version
      returning id, asset_key, partition_key, data_version, finished_at)
    update strata_internal.latest_materializations l
    set materialization_id = r.id, data_version = r.data_version, materialized_at = r.finished_at
    from reverted r
    where l.asset_key = r.asset_key and l.partition_key = r.partition_key`.execute(db);
}

/** Cancels and deletes runs the benchmark launched, so the steps table stays as it was. */
export async function dropRuns(db: Kysely<Database>, runIds: readonly number[]): Promise<void> {
  for (const runId of runIds) {
    await cancelRun(db, runId, 'benchmark repetition over');
    await sql`delete from strata_internal.step_edges where run_id = ${runId}`.execute(db);
    await sql`delete from strata_internal.steps where run_id = ${runId}`.execute(db);
  }
}
