// One step of driving a backfill, safe to run from any number of processes at once: under the
// backfill's row lock (others skip it meanwhile), reconcile the launched targets with their
// steps, launch ready targets in chunks while fewer than max_runs runs are in flight, and finish
// the backfill once nothing is left to launch or wait for.
import { sql, type Kysely } from 'kysely';
import type { AssetKey, PartitionKey } from '../definitions/index.js';
import type { Engine, RunLauncher, RunSettings } from '../executor/index.js';
import { resolvePartitionSets } from '../planner/index.js';
import type { BackfillStatus, Database } from '../store/index.js';
import { launchChunk } from './launch-chunk.js';
import { chunksOf, readyTargets, type OpenTarget } from './ready-targets.js';
import { lockBackfill } from './sql/lock-backfill.js';
import { reconcileTargets } from './sql/reconcile-targets.js';
import { setTargetStates, type TargetUpdate } from './sql/set-target-states.js';

/** What drives a backfill's runs: the executor's RunLauncher (its worker pool works on them). */
export type BackfillLauncher = Pick<RunLauncher, 'launchWith'>;

/** What one advance did: another driver held the backfill, or its status and the runs launched. */
export type AdvanceOutcome =
  | { readonly kind: 'busy' }
  | {
      readonly kind: 'advanced';
      readonly status: BackfillStatus;
      readonly launchedRuns: readonly number[];
    };

/** Advances backfill `backfillId` once (see the top of this file). */
export function advanceBackfill(
  engine: Pick<Engine, 'database' | 'graph'>,
  launcher: BackfillLauncher,
  backfillId: number,
  launchedBy: string,
): Promise<AdvanceOutcome> {
  return launcher.launchWith((settings) =>
    engine.database.db
      .transaction()
      .execute((trx) => advanceLocked(trx, engine, settings, backfillId, launchedBy)),
  );
}

async function advanceLocked(
  trx: Kysely<Database>,
  engine: Pick<Engine, 'graph'>,
  settings: RunSettings,
  backfillId: number,
  launchedBy: string,
): Promise<AdvanceOutcome> {
  const { graph } = engine;
  const backfill = await lockBackfill(trx, backfillId, true);
  if (backfill === undefined) return { kind: 'busy' };
  await reconcileTargets(trx, backfillId);
  if (backfill.status !== 'running')
    return { kind: 'advanced', status: backfill.status, launchedRuns: [] };
  const rows = await trx
    .selectFrom('strata_internal.backfill_targets')
    .select(['asset_key', 'partition_key', 'state', 'run_id'])
    .where('backfill_id', '=', backfillId)
    .where('state', 'in', ['pending', 'launched', 'failed', 'held'])
    .orderBy('ord')
    .execute();
  const gone: TargetUpdate[] = [];
  const open: OpenTarget[] = [];
  for (const row of rows) {
    const target = {
      key: row.asset_key as AssetKey,
      partition: row.partition_key as PartitionKey,
      state: row.state,
      runId: row.run_id,
    };
    if (graph.has(row.asset_key) || row.state !== 'pending') open.push(target);
    else {
      const error = `asset ${row.asset_key} is no longer defined`;
      gone.push({
        key: target.key,
        partition: target.partition,
        state: 'failed',
        runId: null,
        error,
      });
    }
  }
  await setTargetStates(trx, backfillId, gone);
  const inFlight = new Set(open.flatMap((t) => (t.state === 'launched' ? [t.runId] : [])));
  const slots = backfill.max_runs - inFlight.size;
  if (slots <= 0) return { kind: 'advanced', status: 'running', launchedRuns: [] };
  const known = open.filter((t) => graph.has(t.key));
  const partitionSets = await resolvePartitionSets(trx, graph, new Set(known.map((t) => t.key)));
  const ready = readyTargets(graph, known, partitionSets, slots * backfill.chunk_size);
  if (ready.length === 0 && inFlight.size === 0) {
    const status = await finish(trx, backfillId, open.length === 0 && gone.length === 0);
    return { kind: 'advanced', status, launchedRuns: [] };
  }
  const launchedRuns: number[] = [];
  for (const chunk of chunksOf(ready, backfill.chunk_size, slots)) {
    const { runId, updates } = await launchChunk(trx, chunk, {
      backfillId,
      graph,
      settings,
      force: backfill.options.force === true,
      launchedBy,
    });
    await setTargetStates(trx, backfillId, updates);
    if (runId !== null) launchedRuns.push(runId);
  }
  await trx
    .updateTable('strata_internal.backfills')
    .set({ updated_at: sql`now()` })
    .where('id', '=', backfillId)
    .execute();
  return { kind: 'advanced', status: 'running', launchedRuns };
}

/** Ends the backfill: succeeded when every target is done, failed otherwise. */
async function finish(
  trx: Kysely<Database>,
  backfillId: number,
  allDone: boolean,
): Promise<BackfillStatus> {
  const status: BackfillStatus = allDone ? 'succeeded' : 'failed';
  await trx
    .updateTable('strata_internal.backfills')
    .set({ status, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', backfillId)
    .execute();
  return status;
}
