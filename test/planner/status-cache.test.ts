// The incremental status cache against a real database: after each change (new data upstream,
// a rebuild, a partition added to a dynamic set, an unpartitioned dependency read by every
// partition, a fan-in, a source observation), a refresh that reads only what changed gives
// exactly the statuses and causes of a full evaluation, and evaluates only what it must.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  allPartitions,
  asset,
  dynamicPartitions,
  sourceAsset,
  staticPartitions,
} from '../../src/definitions/index.js';
import { observeSources } from '../../src/executor/index.js';
import { computeStatus, StatusCache, type StatusReport } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, tempArtifacts, testEngine } from '../support/engine.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();

// External inputs the compute functions read, changed by the scenarios.
const world = { raw: 1, settings: 1, table: 1 };

const table = sourceAsset({
  key: 'sc_table',
  schema: z.number(),
  observe: () => world.table,
});
const settings = asset({
  key: 'sc_settings',
  schema: z.number(),
  codeVersion: '1',
  compute: () => world.settings,
});
const parts = staticPartitions(['p1', 'p2', 'p3', 'p4']);
const raw = asset({
  key: 'sc_raw',
  schema: z.number(),
  codeVersion: '1',
  partitions: parts,
  compute: ({ partitionKey }) => (partitionKey === 'p1' ? world.raw : 0),
});
const clean = asset({
  key: 'sc_clean',
  deps: { raw, settings },
  schema: z.number(),
  codeVersion: '1',
  partitions: parts,
  compute: ({ inputs }) => inputs.raw + inputs.settings,
});
const total = asset({
  key: 'sc_total',
  deps: { clean: allPartitions(clean), table },
  schema: z.number(),
  codeVersion: '1',
  compute: ({ inputs }) => Object.values(inputs.clean).reduce((a, b) => a + b, 0) + inputs.table,
});
const cases = asset({
  key: 'sc_cases',
  schema: z.number(),
  codeVersion: '1',
  partitions: dynamicPartitions('sc_cases'),
  compute: () => 1,
});
const caseSummary = asset({
  key: 'sc_case_summary',
  deps: { cases: allPartitions(cases) },
  schema: z.number(),
  codeVersion: '1',
  compute: ({ inputs }) => Object.keys(inputs.cases).length,
});
const graph = graphOf([table, settings, raw, clean, total, cases, caseSummary]);

/** Every partition's status and cause categories and reasons, comparable across evaluations. */
function snapshot(report: StatusReport) {
  const out: Record<string, string> = {};
  for (const [key, statuses] of report.statuses) {
    for (const [partition, status] of statuses) {
      const causes = status.status === 'fresh' ? [] : status.causes.map((c) => c.reason);
      const observed = status.status === 'missing' ? null : status.latest.observedAt;
      out[`${key}[${partition}]`] = [status.status, ...causes, observed?.toISOString()].join(' | ');
    }
  }
  return out;
}

describe('the incremental status cache', () => {
  it('matches a full evaluation after every change, evaluating only what the change reaches', async () => {
    const cache = new StatusCache(graph, graph.order);
    let clock = new Date('2026-05-01T00:00:00Z').getTime();
    const refresh = async () => {
      clock += 30_000; // a tick later, well inside the full-refresh interval
      const refreshed = await cache.refresh(database.db, new Date(clock));
      const full = await computeStatus(database.db, graph, graph.order, new Date(clock));
      expect(snapshot(refreshed.report)).toEqual(snapshot(full));
      return refreshed;
    };

    const first = await refresh();
    expect(first.full).toBe(true);

    const steps: { change: string; act: () => Promise<unknown>; evaluated: number }[] = [
      {
        change: 'everything materialized',
        act: async () => {
          await database.db
            .insertInto('strata_internal.dynamic_partitions')
            .values([
              { set_name: 'sc_cases', partition_key: 'c1' },
              { set_name: 'sc_cases', partition_key: 'c2' },
            ])
            .execute();
          await run(database, graph, { artifacts });
        },
        // every partition is new: 1 + 1 + 4 + 4 + 1 + 2 + 1
        evaluated: 14,
      },
      { change: 'nothing', act: async () => undefined, evaluated: 0 },
      {
        change: 'new data in raw[p1]',
        act: () =>
          run(database, graph, {
            artifacts,
            selection: 'sc_raw',
            force: true,
            partitions: ['p1'],
          }).then(() => (world.raw = 2)),
        // raw[p1] rebuilt with the same value: its id moves, nothing downstream changes status
        evaluated: 2,
      },
      {
        change: 'raw[p1] rebuilt with a new value',
        act: () =>
          run(database, graph, { artifacts, selection: 'sc_raw', force: true, partitions: ['p1'] }),
        // raw[p1], then clean[p1] goes stale, then total (fan-in) goes stale
        evaluated: 3,
      },
      {
        change: 'the stale partitions rebuilt',
        act: () => run(database, graph, { artifacts }),
        // clean[p1] and total have new latest rows; the run observed the source again (its
        // observation time moved); nothing else is reached
        evaluated: 3,
      },
      {
        change: 'settings (read by every partition of clean) changed',
        act: () => {
          world.settings = 5;
          return run(database, graph, { artifacts, selection: 'sc_settings', force: true });
        },
        evaluated: 1 + 4 + 1,
      },
      {
        change: 'a partition added to a dynamic set',
        act: () =>
          database.db
            .insertInto('strata_internal.dynamic_partitions')
            .values({ set_name: 'sc_cases', partition_key: 'c3' })
            .execute(),
        evaluated: 3 + 1,
      },
      {
        change: 'a source observed with a new version',
        act: () => {
          world.table = 2;
          return observeSources(testEngine(database, graph, { artifacts }));
        },
        evaluated: 2,
      },
      {
        change: 'a source observed unchanged',
        act: () => observeSources(testEngine(database, graph, { artifacts })),
        // the source itself, for its observation time; nothing downstream
        evaluated: 1,
      },
    ];
    for (const step of steps) {
      await step.act();
      const refreshed = await refresh();
      expect(refreshed.full, step.change).toBe(false);
      expect(refreshed.evaluated, step.change).toBe(step.evaluated);
    }
  });

  it('evaluates everything again once the full-refresh interval has passed', async () => {
    const cache = new StatusCache(graph, graph.order);
    const t0 = new Date('2026-05-02T00:00:00Z').getTime();
    expect((await cache.refresh(database.db, new Date(t0))).full).toBe(true);
    expect((await cache.refresh(database.db, new Date(t0 + 9 * 60_000))).full).toBe(false);
    expect((await cache.refresh(database.db, new Date(t0 + 10 * 60_000))).full).toBe(true);
  });
});
