// backfill: the set-based paths of a 1,000,000-target backfill. Creating it (one transaction,
// one unnest insert), then with 5% of its targets failed and the rest done: finding the failed
// targets (what `strata backfill status` lists and retry resets; the (backfill_id, state) index)
// and "retry failed" itself (one update of 50,000 rows back to pending). Baseline: count(*) over
// the same backfill's 1,000,000 rows, the cheapest query that reads them all; the failed lookup
// must cost less (ratio < 1).
import { sql } from 'kysely';
import { insertBackfill, retryBackfill } from '../src/backfills/index.js';
import type { BenchContext, BenchResult, Benchmark } from './support/result.js';
import { createBenchDatabase } from './support/server.js';
import { formatNumber as f, interleave, repeat, summarize, timed } from './support/stats.js';

/** Targets: 10 assets of 100,000 partitions each. */
const ASSETS = 10;
const PARTITIONS = 100_000;
/** One target in FAILED_EVERY is failed (5%). */
const FAILED_EVERY = 20;

export const backfillBenchmark: Benchmark = {
  name: 'backfill',
  description: 'a 1,000,000-target backfill: create, find the failed targets, retry failed',
  async run(context: BenchContext): Promise<BenchResult> {
    const database = await createBenchDatabase(context.server, 'backfill');
    const { db } = database;
    try {
      const keys: string[] = [];
      const partitions: string[] = [];
      for (let a = 0; a < ASSETS; a++)
        for (let p = 0; p < PARTITIONS; p++) {
          keys.push(`asset_${a}`);
          partitions.push(`p${String(p).padStart(6, '0')}`);
        }
      context.log(`backfill: creating ${f(keys.length)} targets`);
      const spec = { selection: '*', chunkSize: 10, maxRuns: 4, options: {} };
      const created = await timed(() => insertBackfill(db, spec, { keys, partitions }));
      const id = created.result;
      const fail = () =>
        sql`
        update strata_internal.backfill_targets
        set state = case when ord % ${FAILED_EVERY} = 0 then 'failed' else 'done' end,
            error = case when ord % ${FAILED_EVERY} = 0 then 'its step failed' end
        where backfill_id = ${id} and state <> 'done'`.execute(db);
      await fail();
      await sql`update strata_internal.backfills set status = 'failed' where id = ${id}`.execute(
        db,
      );
      await sql`vacuum analyze strata_internal.backfill_targets`.execute(db);
      const failedRows = () =>
        db
          .selectFrom('strata_internal.backfill_targets')
          .select(['asset_key', 'partition_key'])
          .where('backfill_id', '=', id)
          .where('state', '=', 'failed')
          .execute();
      const countAll = () =>
        sql`select count(*) from strata_internal.backfill_targets where backfill_id = ${id}`.execute(
          db,
        );
      context.log('backfill: failed lookup vs count(*)');
      const [lookup, baseline] = await interleave(1, context.reps, [failedRows, countAll] as const);
      const failedCount = (await failedRows()).length;
      // Each rep re-fails the same targets (untimed), then times the retry.
      context.log('backfill: retry failed');
      const restoreAndRetry: number[] = [];
      for (let rep = 0; rep < context.reps; rep++) {
        await sql`update strata_internal.backfill_targets set state = 'failed'
          where backfill_id = ${id} and ord % ${FAILED_EVERY} = 0`.execute(db);
        await sql`update strata_internal.backfills set status = 'failed' where id = ${id}`.execute(
          db,
        );
        restoreAndRetry.push((await timed(() => retryBackfill(db, id))).ms);
      }
      const retryMs = summarize(restoreAndRetry);
      if (restoreAndRetry.length === 0 || (await failedRows()).length !== 0)
        throw new Error('retry left failed targets');
      const retry = await repeat(0, context.reps, () => retryBackfill(db, id));
      const base = baseline.median;
      return {
        name: 'backfill',
        metric: `ms to find the ${f(failedCount)} failed of ${f(keys.length)} targets`,
        unit: 'ms',
        ours: { label: 'failed lookup (index on backfill_id, state)', summary: lookup },
        baseline: { label: 'count(*) over the backfill', summary: baseline },
        target: { value: base, kind: 'max' },
        details: [
          `create: ${f(keys.length)} targets in one transaction (unnest insert): ${f(created.ms)} ms`,
          `failed lookup: ${f(lookup.median)} ms, ${f(lookup.median / base)}x count(*) (${f(base)} ms)`,
          `retry failed (reset ${f(failedCount)} targets to pending, backfill running): ${f(retryMs.median)} ms, ${f(retryMs.median / base)}x count(*)`,
          `retry with nothing failed left (dead index entries of the earlier rounds not vacuumed yet): ${f(retry.median)} ms`,
        ],
        data: {
          targets: keys.length,
          failed: failedCount,
          createMs: created.ms,
          lookupMs: lookup.median,
          countMs: base,
          retryMs: retryMs.median,
          retryEmptyMs: retry.median,
        },
      };
    } finally {
      await database.drop();
    }
  },
};
