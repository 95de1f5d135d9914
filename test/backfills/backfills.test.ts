// Backfills in-process against real PostgreSQL: chunks launched in dependency order, pause and
// resume, cancel, "retry failed" rerunning exactly the failed partitions and their dependants, and
// the filters (--from/--to, --partition, --missing, --failed) and their refusals.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceBackfill,
  cancelBackfill,
  createBackfill,
  driveBackfill,
  loadBackfillProgress,
  pauseBackfill,
  resumeBackfill,
  retryBackfill,
} from '../../src/backfills/index.js';
import { RunLauncher, watchRun } from '../../src/executor/index.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { testEngine } from '../support/engine.js';
import { backfillGraph, behaviour, PARTITIONS } from './backfill-graph.js';

const database = useTestDatabase();
const engine = testEngine(database, backfillGraph);
const launcher = new RunLauncher(engine, { concurrency: 2 });
afterAll(() => launcher.close());

const drive = (id: number) =>
  driveBackfill(engine, launcher, id, { launchedBy: 'test', pollMs: 20 });

/** Materializations of the runs of backfill `id`, as `key[partition]` -> count. */
async function materialized(runIds: readonly number[]): Promise<Record<string, number>> {
  if (runIds.length === 0) return {};
  const rows = await database.db
    .selectFrom('strata_internal.materializations')
    .select(['asset_key', 'partition_key', (eb) => eb.fn.countAll<string>().as('n')])
    .where('run_id', 'in', [...runIds])
    .groupBy(['asset_key', 'partition_key'])
    .execute();
  return Object.fromEntries(
    rows
      .map(
        (r) =>
          [
            r.partition_key === '' ? r.asset_key : `${r.asset_key}[${r.partition_key}]`,
            Number(r.n),
          ] as const,
      )
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The runs of backfill `id` after run `after`. */
async function backfillRuns(id: number, after = 0): Promise<number[]> {
  const rows = await database.db
    .selectFrom('strata_internal.runs')
    .select('id')
    .where('trigger', '=', 'backfill')
    .where('trigger_reason', '=', `backfill ${id}`)
    .where('id', '>', after)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

async function stepCounts(runIds: readonly number[]): Promise<number[]> {
  const rows = await database.db
    .selectFrom('strata_internal.steps')
    .select(['run_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('run_id', 'in', [...runIds])
    .groupBy('run_id')
    .execute();
  return rows.map((r) => Number(r.n));
}

beforeEach(async () => {
  behaviour.failing.clear();
  behaviour.completed.length = 0;
  behaviour.delayMs = 0;
  // Each test starts from nothing materialized.
  await database.db.deleteFrom('strata_internal.latest_materializations').execute();
});

const all = (key: string) => PARTITIONS.map((p) => `${key}[${p}]`);

describe('backfills', () => {
  it('completes in chunks, in dependency order, each target once', async () => {
    const { id, targets } = await createBackfill(database.db, backfillGraph, {
      selection: '*',
      chunkSize: 3,
      maxRuns: 2,
    });
    expect(targets).toBe(17);
    const progress = await drive(id);
    expect(progress.status).toBe('succeeded');
    expect(progress.totals).toMatchObject({ targets: 17, done: 17, remaining: 0, failed: 0 });
    expect(progress.assets.map((a) => a.key)).toEqual(['raw', 'clean', 'summary']);
    const runs = await backfillRuns(id);
    // 8 raw in 3 chunks, 8 clean in 3 chunks, summary alone.
    expect(runs.length).toBe(7);
    expect(Math.max(...(await stepCounts(runs)))).toBeLessThanOrEqual(3);
    const order = behaviour.completed;
    for (const p of PARTITIONS)
      expect(order.indexOf(`raw[${p}]`)).toBeLessThan(order.indexOf(`clean[${p}]`));
    expect(order.at(-1)).toBe('summary');
    expect(await materialized(runs)).toEqual(
      Object.fromEntries([...all('clean'), ...all('raw'), 'summary'].map((l) => [l, 1]).sort()),
    );
  });

  it('counts a target already fresh when its chunk is planned as done, without a run', async () => {
    const first = await createBackfill(database.db, backfillGraph, { selection: 'raw' });
    expect((await drive(first.id)).status).toBe('succeeded');
    const again = await createBackfill(database.db, backfillGraph, {
      selection: 'raw',
      from: 'p02',
      to: 'p04',
    });
    expect(again.targets).toBe(3);
    const progress = await drive(again.id);
    expect(progress.totals).toMatchObject({ done: 3, targets: 3 });
    expect(await backfillRuns(again.id)).toEqual([]);
  });

  it('stops launching when paused and continues when resumed', async () => {
    const { id } = await createBackfill(database.db, backfillGraph, {
      selection: 'raw',
      chunkSize: 2,
      maxRuns: 1,
    });
    const first = await advanceBackfill(engine, launcher, id, 'test');
    expect(first).toMatchObject({ kind: 'advanced', launchedRuns: [expect.any(Number)] });
    await pauseBackfill(database.db, id);
    await watchRun(database.db, database.pool, (await backfillRuns(id))[0]!, () => undefined);
    const paused = await advanceBackfill(engine, launcher, id, 'test');
    expect(paused).toEqual({ kind: 'advanced', status: 'paused', launchedRuns: [] });
    expect(await backfillRuns(id)).toHaveLength(1);
    const progress = await loadBackfillProgress(database.db, id);
    expect(progress.totals).toMatchObject({ done: 2, pending: 6, launched: 0 });
    // A paused backfill's foreground driver returns at once.
    expect((await drive(id)).status).toBe('paused');
    await resumeBackfill(database.db, id);
    expect((await drive(id)).status).toBe('succeeded');
    expect(await backfillRuns(id)).toHaveLength(4);
  });

  it('cancels, and cancels its runs in flight', async () => {
    behaviour.delayMs = 2_000;
    const { id } = await createBackfill(database.db, backfillGraph, {
      selection: 'raw',
      chunkSize: 4,
      maxRuns: 2,
    });
    const advanced = await advanceBackfill(engine, launcher, id, 'test');
    expect(advanced.kind === 'advanced' && advanced.launchedRuns.length).toBe(2);
    const inFlight = await cancelBackfill(database.db, id);
    expect(inFlight).toEqual(await backfillRuns(id));
    for (const runId of inFlight) await launcher.cancel(runId);
    for (const runId of inFlight) {
      expect((await watchRun(database.db, database.pool, runId, () => undefined)).status).toBe(
        'canceled',
      );
    }
    expect(await advanceBackfill(engine, launcher, id, 'test')).toEqual({
      kind: 'advanced',
      status: 'canceled',
      launchedRuns: [],
    });
    // A step being aborted ends a moment after its run: its target follows at the next read.
    const progress = await waitFor('the aborted steps to end', async () => {
      const p = await loadBackfillProgress(database.db, id);
      return p.totals.launched === 0 ? p : undefined;
    });
    expect(progress.status).toBe('canceled');
    expect(progress.totals).toMatchObject({ launched: 0, done: 0, pending: 8 });
    await expect(resumeBackfill(database.db, id)).rejects.toThrow(/backfill \d+ is canceled/);
  });

  it('retry reruns exactly the failed partitions and their dependants', async () => {
    behaviour.failing = new Set(['p03', 'p05']);
    const { id } = await createBackfill(database.db, backfillGraph, { chunkSize: 4, maxRuns: 2 });
    const failed = await drive(id);
    expect(failed.status).toBe('failed');
    expect(failed.totals).toMatchObject({ done: 12, failed: 2, pending: 3 });
    expect(failed.problems.map((p) => `${p.key}[${p.partition}]`)).toEqual([
      'raw[p03]',
      'raw[p05]',
    ]);
    const before = Math.max(...(await backfillRuns(id)));
    behaviour.failing.clear();
    expect(await retryBackfill(database.db, id)).toBe(2);
    const retried = await drive(id);
    expect(retried.status).toBe('succeeded');
    expect(await materialized(await backfillRuns(id, before))).toEqual({
      'clean[p03]': 1,
      'clean[p05]': 1,
      'raw[p03]': 1,
      'raw[p05]': 1,
      summary: 1,
    });
  });

  it('targets only missing or failed partitions with --missing and --failed', async () => {
    behaviour.failing = new Set(['p03']);
    const first = await createBackfill(database.db, backfillGraph, {
      selection: 'raw',
      partitions: ['p01', 'p02', 'p03'],
    });
    expect((await drive(first.id)).totals).toMatchObject({ done: 2, failed: 1 });
    const targetsOf = async (request: Parameters<typeof createBackfill>[2]) => {
      const { id } = await createBackfill(database.db, backfillGraph, request);
      const rows = await database.db
        .selectFrom('strata_internal.backfill_targets')
        .select(['asset_key', 'partition_key'])
        .where('backfill_id', '=', id)
        .orderBy('ord')
        .execute();
      return rows.map((r) => `${r.asset_key}[${r.partition_key}]`);
    };
    expect(await targetsOf({ selection: 'raw', failed: true })).toEqual(['raw[p03]']);
    expect(await targetsOf({ selection: 'raw', missing: true, to: 'p05' })).toEqual([
      'raw[p03]',
      'raw[p04]',
      'raw[p05]',
    ]);
    expect(
      await targetsOf({ selection: 'raw', missing: true, failed: true, from: 'p03', to: 'p04' }),
    ).toEqual(['raw[p03]', 'raw[p04]']);
  });

  it('refuses filters naming a partition an asset lacks, and limits out of range', async () => {
    await expect(
      createBackfill(database.db, backfillGraph, { selection: 'raw', from: 'p1' }),
    ).rejects.toThrow(/--from "p1": asset raw has no such partition/);
    await expect(
      createBackfill(database.db, backfillGraph, { selection: 'raw', chunkSize: 0 }),
    ).rejects.toThrow(/chunk size must be a whole number/);
  });
});
