// The SQL view strata.events (migrations/0008_events_view.sql) returns what the engine wrote:
// a run with log lines, a retry, a failure and a skip reads back through the view with
// partition_key NULL for unpartitioned assets and the attempt's number; every event kind is
// documented in docs/sql.md.
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allPartitions, asset, staticPartitions } from '../../src/definitions/index.js';
import { EVENT_KINDS, type EventKind } from '../../src/store/index.js';
import { runEvents } from '../executor/helpers.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run } from '../support/engine.js';

const database = useTestDatabase();

interface ViewRow {
  event_id: number;
  run_id: number;
  step_id: number | null;
  attempt_id: number | null;
  attempt: number | null;
  asset_key: string | null;
  partition_key: string | null;
  kind: string;
  level: string;
  message: string;
  data: unknown;
  created_at: Date;
}

describe('strata.events', () => {
  it('returns every event the engine wrote, as the documented contract', async () => {
    const loads = asset({
      key: 'loads',
      partitions: staticPartitions(['l1', 'l2']),
      schema: z.number(),
      compute: ({ partitionKey, log }) => {
        log.info('load case read', { case: partitionKey });
        return (partitionKey ?? '').length;
      },
    });
    const solve = asset({
      key: 'solve',
      deps: { loads },
      partitions: staticPartitions(['l1', 'l2']),
      retry: { maxAttempts: 2, delay: 5, backoff: 'fixed' },
      schema: z.number(),
      compute: ({ partitionKey, inputs }) => {
        if (partitionKey === 'l2') throw new Error('solver diverged');
        return inputs.loads * 2;
      },
    });
    const summary = asset({
      key: 'summary',
      deps: { solve: allPartitions(solve) },
      schema: z.number(),
      compute: () => 1,
    });
    const outcome = await run(database, graphOf([loads, solve, summary]));
    if (outcome.kind !== 'run') throw new Error('expected a run');
    const runId = outcome.summary.runId;

    const written = await runEvents(database, runId);
    const view = await sql<ViewRow>`
      select * from strata.events where run_id = ${runId} order by event_id`.execute(database.db);
    expect(view.rows.map((row) => row.event_id)).toEqual(written.map((row) => row.id));
    const attempts = await database.db
      .selectFrom('strata_internal.attempts')
      .select(['id', 'number'])
      .where('run_id', '=', runId)
      .execute();
    const numberOf = new Map(attempts.map((a) => [a.id, a.number]));
    expect(view.rows).toEqual(
      written.map((row) => ({
        event_id: row.id,
        run_id: runId,
        step_id: row.step_id,
        attempt_id: row.attempt_id,
        attempt: row.attempt_id === null ? null : numberOf.get(row.attempt_id),
        asset_key: row.asset_key,
        partition_key: row.partition_key === '' ? null : row.partition_key,
        kind: row.kind,
        level: row.level,
        message: row.message,
        data: row.data,
        created_at: row.created_at,
      })),
    );

    const kinds = new Set(view.rows.map((row) => row.kind));
    expect([...kinds].sort()).toEqual(
      [
        'log',
        'run_finished',
        'run_started',
        'step_failed',
        'step_materialized',
        'step_retry_scheduled',
        'step_skipped',
      ].sort(),
    );
    const of = (kind: EventKind) => view.rows.filter((row) => row.kind === kind);
    expect(of('log')).toHaveLength(2);
    for (const partition of ['l1', 'l2']) {
      expect(of('log')).toContainEqual(
        expect.objectContaining({
          asset_key: 'loads',
          partition_key: partition,
          attempt: 1,
          message: 'load case read',
          data: { case: partition },
        }),
      );
    }
    expect(of('step_retry_scheduled')).toMatchObject([
      { asset_key: 'solve', partition_key: 'l2', attempt: 1, level: 'warn', data: { delayMs: 5 } },
    ]);
    expect(of('step_failed')).toMatchObject([
      {
        asset_key: 'solve',
        partition_key: 'l2',
        attempt: 2,
        level: 'error',
        data: { error: { name: 'Error', message: 'solver diverged' } },
      },
    ]);
    // An unpartitioned asset's events have partition_key NULL; events of the run have no step.
    expect(of('step_skipped')).toMatchObject([
      { asset_key: 'summary', partition_key: null, attempt: null, data: null },
    ]);
    expect(of('run_started')).toMatchObject([
      {
        step_id: null,
        asset_key: null,
        data: { steps: 5, options: { concurrency: 2, force: false } },
      },
    ]);

    // Typed reads: the data of one kind comes out typed by the event map.
    const [failed] = await runEvents(database, runId, 'step_failed');
    expect(failed!.data?.error.message).toBe('solver diverged');
  });

  it('is documented with every event kind', async () => {
    const doc = await readFile(new URL('../../docs/sql.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## `strata.events`'), doc.indexOf('## Functions'));
    for (const kind of EVENT_KINDS) expect(section, kind).toContain(`| \`${kind}\``);
  });
});
