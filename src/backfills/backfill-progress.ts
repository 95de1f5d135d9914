// A backfill's progress as CLI, API and tests read it: its row, counts per asset and state (one
// grouped query over the state index), the runs in flight, and the first failed or held targets.
import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../errors.js';
import type {
  BackfillOptions,
  BackfillStatus,
  BackfillTargetState,
  Database,
} from '../store/index.js';
import { lockBackfill } from './sql/lock-backfill.js';
import { reconcileTargets } from './sql/reconcile-targets.js';
import { runsInFlight } from './sql/runs-in-flight.js';

/** Failed and held targets listed by a progress report (the rest are counted). */
export const MAX_LISTED_PROBLEMS = 50;

/** Targets by state; `remaining` = pending + launched. */
export interface TargetCounts {
  readonly targets: number;
  readonly pending: number;
  readonly launched: number;
  readonly done: number;
  readonly failed: number;
  readonly held: number;
  readonly remaining: number;
}

/** A target that failed or is held, and why. */
export interface ProblemTarget {
  readonly key: string;
  /** Null for an unpartitioned asset. */
  readonly partition: string | null;
  readonly state: 'failed' | 'held';
  readonly error: string | null;
  readonly runId: number | null;
}

/** One backfill and how far it got. */
export interface BackfillProgress {
  readonly id: number;
  readonly selection: string;
  readonly status: BackfillStatus;
  readonly chunkSize: number;
  readonly maxRuns: number;
  readonly options: BackfillOptions;
  readonly launchedBy: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly totals: TargetCounts;
  /** Per asset, in dependency order. */
  readonly assets: readonly ({ readonly key: string } & TargetCounts)[];
  readonly runsInFlight: readonly number[];
  readonly problems: readonly ProblemTarget[];
}

const STATES: readonly BackfillTargetState[] = ['pending', 'launched', 'done', 'failed', 'held'];

function counts(byState: ReadonlyMap<string, number>): TargetCounts {
  const of = (state: BackfillTargetState) => byState.get(state) ?? 0;
  const targets = STATES.reduce((sum, state) => sum + of(state), 0);
  return {
    targets,
    pending: of('pending'),
    launched: of('launched'),
    done: of('done'),
    failed: of('failed'),
    held: of('held'),
    remaining: of('pending') + of('launched'),
  };
}

/**
 * The progress of backfill `id`. Launched targets whose steps ended are reconciled first (as a
 * driver would), so the counts are live even while no driver runs.
 */
export async function loadBackfillProgress(
  db: Kysely<Database>,
  id: number,
): Promise<BackfillProgress> {
  const row = await db
    .selectFrom('strata_internal.backfills')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) {
    throw new NotFoundError(`no backfill ${id}`, { hint: 'strata backfill list shows them' });
  }
  if (row.status === 'running' || row.status === 'paused' || row.status === 'canceled')
    await reconcileUnlessAdvancing(db, id);
  const grouped = await db
    .selectFrom('strata_internal.backfill_targets')
    .select([
      'asset_key',
      'state',
      sql<string>`count(*)`.as('n'),
      sql<number>`min(ord)`.as('first'),
    ])
    .where('backfill_id', '=', id)
    .groupBy(['asset_key', 'state'])
    .execute();
  const perAsset = new Map<string, { first: number; byState: Map<string, number> }>();
  const total = new Map<string, number>();
  for (const g of grouped) {
    let asset = perAsset.get(g.asset_key);
    if (asset === undefined)
      perAsset.set(g.asset_key, (asset = { first: g.first, byState: new Map() }));
    asset.first = Math.min(asset.first, g.first);
    asset.byState.set(g.state, Number(g.n));
    total.set(g.state, (total.get(g.state) ?? 0) + Number(g.n));
  }
  const [inFlight, problems] = await Promise.all([
    runsInFlight(db, id),
    db
      .selectFrom('strata_internal.backfill_targets')
      .select(['asset_key', 'partition_key', 'state', 'error', 'run_id'])
      .where('backfill_id', '=', id)
      .where('state', 'in', ['failed', 'held'])
      .orderBy('ord')
      .limit(MAX_LISTED_PROBLEMS)
      .execute(),
  ]);
  return {
    id: row.id,
    selection: row.selection,
    status: row.status,
    chunkSize: row.chunk_size,
    maxRuns: row.max_runs,
    options: row.options,
    launchedBy: row.launched_by,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    totals: counts(total),
    assets: [...perAsset]
      .sort((a, b) => a[1].first - b[1].first)
      .map(([key, asset]) => ({ key, ...counts(asset.byState) })),
    runsInFlight: inFlight,
    problems: problems.map((p) => ({
      key: p.asset_key,
      partition: p.partition_key === '' ? null : p.partition_key,
      state: p.state as 'failed' | 'held',
      error: p.error,
      runId: p.run_id === null ? null : Number(p.run_id),
    })),
  };
}

/**
 * Reconciles backfill `id` under its row lock, like a driver (so the two never update the same
 * targets in different orders); skipped while a driver holds the lock, as it reconciles anyway.
 */
async function reconcileUnlessAdvancing(db: Kysely<Database>, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const free = await lockBackfill(trx, id, true);
    if (free !== undefined) await reconcileTargets(trx, id);
  });
}

/** A backfill as the list shows it. */
export interface BackfillSummary {
  readonly id: number;
  readonly selection: string;
  readonly status: BackfillStatus;
  readonly launchedBy: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly totals: TargetCounts;
  /** How many distinct runs its launched targets are in. */
  readonly runsInFlight: number;
}

/** Every backfill, newest first, with its totals and runs in flight (at most `limit`). */
export async function listBackfills(db: Kysely<Database>, limit = 50): Promise<BackfillSummary[]> {
  const rows = await db
    .selectFrom('strata_internal.backfills as b')
    .select(['b.id', 'b.selection', 'b.status', 'b.launched_by', 'b.created_at', 'b.finished_at'])
    .orderBy('b.id', 'desc')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [grouped, inFlight] = await Promise.all([
    db
      .selectFrom('strata_internal.backfill_targets')
      .select(['backfill_id', 'state', sql<string>`count(*)`.as('n')])
      .where('backfill_id', 'in', ids)
      .groupBy(['backfill_id', 'state'])
      .execute(),
    db
      .selectFrom('strata_internal.backfill_targets')
      .select(['backfill_id', sql<string>`count(distinct run_id)`.as('runs')])
      .where('backfill_id', 'in', ids)
      .where('state', '=', 'launched')
      .groupBy('backfill_id')
      .execute(),
  ]);
  const byBackfill = new Map<number, Map<string, number>>();
  for (const g of grouped) {
    const id = Number(g.backfill_id);
    if (!byBackfill.has(id)) byBackfill.set(id, new Map());
    byBackfill.get(id)!.set(g.state, Number(g.n));
  }
  const runs = new Map(inFlight.map((r) => [Number(r.backfill_id), Number(r.runs)]));
  return rows.map((r) => ({
    id: r.id,
    selection: r.selection,
    status: r.status,
    launchedBy: r.launched_by,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    totals: counts(byBackfill.get(r.id) ?? new Map()),
    runsInFlight: runs.get(r.id) ?? 0,
  }));
}
