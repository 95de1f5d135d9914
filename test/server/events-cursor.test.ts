// A run's events are followed by id (the API's cursor, the CLI's live progress). Ids are drawn
// when rows are inserted, not when they commit, so an event can commit after a later one was
// read. Neither reader may step over it: while the run goes on, an event is passed only once no
// transaction that could still add an earlier one is open; a run that has ended lists them all.
import { describe, expect, it } from 'vitest';
import { runProgress } from '../../src/executor/watch-run.js';
import { loadEvents } from '../../src/server/views/run-queries.js';
import { waitFor } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

async function insertRun(): Promise<number> {
  const run = await database.db
    .insertInto('strata_internal.runs')
    .values({
      status: 'running',
      selection: '*',
      host: 'test',
      options: JSON.stringify({ concurrency: 1, force: false, partitions: [] }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return run.id;
}

const insertEvent = (runId: number, message: string) =>
  database.db
    .insertInto('strata_internal.events')
    .values({ run_id: runId, kind: 'log', level: 'info', message })
    .returning('id')
    .executeTakeFirstOrThrow();

/** What each reader passes of run `runId` from the start: the API's list and the CLI's progress. */
async function read(runId: number) {
  const api = await loadEvents(database.db, runId, {
    afterId: undefined,
    limit: 100,
    levels: undefined,
  });
  const cli = await runProgress(database.db, runId, 0);
  return { api: api.map((e) => e.message), cli: cli.events.map((e) => e.message) };
}

describe('following a run by event id', () => {
  it('holds back an event while an earlier one can still commit, then passes both in order', async () => {
    const runId = await insertRun();
    const open = await database.pool.connect();
    try {
      await open.query('begin');
      await open.query(
        `insert into strata_internal.events (run_id, kind, level, message) values ($1, 'log', 'info', 'earlier')`,
        [runId],
      );
      const later = await insertEvent(runId, 'later');
      expect(later.id).toBeGreaterThan(0);
      // The later event is committed, but a reader that passed it would never see the earlier.
      expect(await read(runId)).toEqual({ api: [], cli: [] });
      await open.query('commit');
    } finally {
      open.release();
    }
    // Passed as soon as no transaction older than them is open (other tests' may be, briefly).
    const both = { api: ['earlier', 'later'], cli: ['earlier', 'later'] };
    expect(
      await waitFor('both events to be passed', async () => {
        const seen = await read(runId);
        return JSON.stringify(seen) === JSON.stringify(both) ? seen : undefined;
      }),
    ).toEqual(both);
  });

  it('lists every event of a run that has ended, whatever else is open', async () => {
    const runId = await insertRun();
    const other = await insertRun();
    const open = await database.pool.connect();
    try {
      await open.query('begin');
      await open.query(
        `insert into strata_internal.events (run_id, kind, level, message) values ($1, 'log', 'info', 'elsewhere')`,
        [other],
      );
      await insertEvent(runId, 'last words');
      expect(await read(runId)).toEqual({ api: [], cli: [] });
      await database.db
        .updateTable('strata_internal.runs')
        .set({ status: 'succeeded', finished_at: new Date() })
        .where('id', '=', runId)
        .execute();
      expect(await read(runId)).toEqual({ api: ['last words'], cli: ['last words'] });
    } finally {
      await open.query('rollback');
      open.release();
    }
  });
});
