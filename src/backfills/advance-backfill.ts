// One step of driving a backfill, safe to run from any number of processes at once: under the
// backfill's row lock (others skip it meanwhile), reconcile the launched targets with their
// steps, launch ready targets in chunks while fewer than max_runs runs are in flight, and finish
// the backfill once nothing is left to launch or wait for. It reads the targets it launches (and
// the pending ones waiting before them, ready-targets.ts), the launched ones (runs in flight) and
// one row per asset and state, never the whole target set: the same cost at a million targets.
import { sql, type Kysely } from 'kysely';
import type { AssetKey } from '../definitions/index.js';
import type { Engine, RunLauncher, RunSettings } from '../executor/index.js';
import { resolvePartitionSets } from '../planner/index.js';
import type { BackfillStatus, Database } from '../store/index.js';
import { chunkStatuses, launchChunk } from './launch-chunk.js';
import { chunksOf, readyTargets } from './ready-targets.js';
import { failGoneTargets } from './sql/fail-gone-targets.js';
import { lockBackfill } from './sql/lock-backfill.js';
import { openAssetStates } from './sql/open-asset-states.js';
import { reconcileTargets } from './sql/reconcile-targets.js';
import { runsInFlight } from './sql/runs-in-flight.js';
import { setTargetStates } from './sql/set-target-states.js';

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
  const open = await openAssetStates(trx, backfillId);
  const gone = [
    ...new Set(
      open.flatMap((a) => (a.state === 'pending' && !graph.has(a.asset_key) ? [a.asset_key] : [])),
    ),
  ];
  await failGoneTargets(trx, backfillId, gone);
  const inFlight = await runsInFlight(trx, backfillId);
  const slots = backfill.max_runs - inFlight.length;
  if (slots <= 0) return { kind: 'advanced', status: 'running', launchedRuns: [] };
  const openAssets = new Set(
    open.flatMap((a) => (graph.has(a.asset_key) ? [a.asset_key as AssetKey] : [])),
  );
  const ready = await readyTargets(trx, {
    backfillId,
    graph,
    openAssets,
    partitionSets: await resolvePartitionSets(trx, graph, openAssets),
    limit: slots * backfill.chunk_size,
  });
  if (ready.length === 0 && inFlight.length === 0) {
    const status = await finish(trx, backfillId, open.length === 0);
    return { kind: 'advanced', status, launchedRuns: [] };
  }
  const launchedRuns: number[] = [];
  const report = ready.length === 0 ? undefined : await chunkStatuses(trx, graph, ready);
  for (const chunk of chunksOf(ready, backfill.chunk_size, slots)) {
    const { runId, updates } = await launchChunk(trx, chunk, {
      backfillId,
      graph,
      settings,
      force: backfill.options.force === true,
      launchedBy,
      ...(report === undefined ? {} : { report }),
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
