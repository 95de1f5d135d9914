// The paged readiness of a backfill's pending targets against real PostgreSQL: each case sets
// target states on the graph raw[p] -> clean[p] -> summary (fan-in of every clean partition) and
// expects the same ready targets whatever the page size (one target a page, two, three, the
// default); then one advance with an asset no longer defined, and with every run slot taken.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { advanceBackfill, insertBackfill } from '../../src/backfills/index.js';
import { readyTargets } from '../../src/backfills/ready-targets.js';
import { openAssetStates } from '../../src/backfills/sql/open-asset-states.js';
import {
  allPartitions,
  asset,
  staticPartitions,
  type AssetKey,
} from '../../src/definitions/index.js';
import type { AssetGraph } from '../../src/graph/index.js';
import { resolvePartitionSets } from '../../src/planner/index.js';
import type { BackfillTargetState } from '../../src/store/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, testEngine } from '../support/engine.js';
import { backfillGraph, PARTITIONS } from './backfill-graph.js';

const database = useTestDatabase();

/** Every target of the backfill graph in dependency order: raw[*], clean[*], summary. */
const TARGETS = {
  keys: [...PARTITIONS.map(() => 'raw'), ...PARTITIONS.map(() => 'clean'), 'summary'],
  partitions: [...PARTITIONS, ...PARTITIONS, ''],
};

const label = (key: string, partition: string) => (partition === '' ? key : `${key}[${partition}]`);

/**
 * A new backfill of `targets` (TARGETS by default) with the states of `states` (`key[partition]` or `key[*]` for all of
 * an asset's partitions; the rest pending).
 */
async function backfillWith(
  states: Record<string, BackfillTargetState>,
  targets = TARGETS,
): Promise<number> {
  const spec = { selection: '*', chunkSize: 3, maxRuns: 2, options: {} };
  const id = await insertBackfill(database.db, spec, targets);
  for (const [target, state] of Object.entries(states)) {
    const [, key, partition] = /^(\w+)(?:\[(\w+|\*)\])?$/.exec(target)!;
    await sql`update strata_internal.backfill_targets set state = ${state}
      where backfill_id = ${id} and asset_key = ${key}
        and (${partition ?? ''} = '*' or partition_key = ${partition ?? ''})`.execute(database.db);
  }
  return id;
}

/** The ready targets of backfill `id` as a driver finds them, as `key[partition]` labels. */
async function ready(
  graph: AssetGraph,
  id: number,
  limit: number,
  pageSize: number | undefined,
): Promise<string[]> {
  const open = await openAssetStates(database.db, id);
  const openAssets = new Set(
    open.flatMap((a) => (graph.has(a.asset_key) ? [a.asset_key as AssetKey] : [])),
  );
  const partitionSets = await resolvePartitionSets(database.db, graph, openAssets);
  const targets = await readyTargets(database.db, {
    backfillId: id,
    graph,
    openAssets,
    partitionSets,
    limit,
    ...(pageSize === undefined ? {} : { pageSize }),
  });
  return targets.map((t) => label(t.key, t.partition));
}

const raw = (...ps: number[]) => ps.map((p) => `raw[p0${p}]`);
const clean = (...ps: number[]) => ps.map((p) => `clean[p0${p}]`);
const ALL = [1, 2, 3, 4, 5, 6, 7, 8];

const CASES: {
  name: string;
  states: Record<string, BackfillTargetState>;
  limit?: number;
  ready: string[];
}[] = [
  {
    name: 'nothing done: the raw partitions, which read nothing',
    states: {},
    ready: raw(...ALL),
  },
  {
    name: 'stops at the limit, in dependency order',
    states: {},
    limit: 3,
    ready: raw(1, 2, 3),
  },
  {
    name: 'raw done: every clean partition; the fan-in waits for them',
    states: { 'raw[*]': 'done' },
    ready: clean(...ALL),
  },
  {
    name: 'a failed read keeps its reader pending',
    states: { 'raw[*]': 'done', 'raw[p03]': 'failed' },
    ready: clean(1, 2, 4, 5, 6, 7, 8),
  },
  {
    name: 'a held read keeps its reader pending',
    states: { 'raw[*]': 'done', 'raw[p05]': 'held', 'raw[p06]': 'held' },
    ready: clean(1, 2, 3, 4, 7, 8),
  },
  {
    name: 'a launched read keeps its reader pending',
    states: { 'raw[*]': 'done', 'raw[p01]': 'launched' },
    limit: 4,
    ready: clean(2, 3, 4, 5),
  },
  {
    name: 'the first pages have no ready target, a later one has',
    states: { 'raw[*]': 'launched', 'raw[p07]': 'done', 'raw[p08]': 'done' },
    ready: clean(7, 8),
  },
  {
    name: 'the fan-in waits for a clean partition launched',
    states: { 'raw[*]': 'done', 'clean[*]': 'done', 'clean[p08]': 'launched' },
    ready: [],
  },
  {
    name: 'the fan-in waits for a clean partition failed',
    states: { 'raw[*]': 'done', 'clean[*]': 'done', 'clean[p02]': 'failed' },
    ready: [],
  },
  {
    name: 'the fan-in waits for a clean partition still pending, and not for raw',
    states: { 'raw[*]': 'failed', 'raw[p04]': 'done', 'clean[*]': 'done', 'clean[p04]': 'pending' },
    ready: clean(4),
  },
  {
    name: 'the fan-in is ready once every clean partition is done, whatever raw is',
    states: { 'raw[*]': 'failed', 'clean[*]': 'done' },
    ready: ['summary'],
  },
];

describe('ready targets, page by page', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const id = await backfillWith(c.states);
      for (const pageSize of [1, 2, 3, undefined])
        expect({
          pageSize,
          ready: await ready(backfillGraph, id, c.limit ?? 100, pageSize),
        }).toEqual({ pageSize, ready: c.ready });
    });
  }
});

// A partitioned fan-in: every partition of `fan` reads every partition of `up`; `other` reads
// nothing and comes after `fan` in dependency order.
const quarters = staticPartitions(['q1', 'q2', 'q3', 'q4']);
const up = asset({ key: 'up', partitions: quarters, schema: z.number(), compute: () => 1 });
const fan = asset({
  key: 'fan',
  deps: { up: allPartitions(up) },
  partitions: quarters,
  schema: z.number(),
  compute: () => 1,
});
const other = asset({ key: 'other', partitions: quarters, schema: z.number(), compute: () => 1 });
const fanGraph = graphOf([up, fan, other]);
const FAN_TARGETS = {
  keys: ['up', 'fan', 'other'].flatMap((key) => [key, key, key, key]),
  partitions: ['up', 'fan', 'other'].flatMap(() => ['q1', 'q2', 'q3', 'q4']),
};
const q = (key: string, ...ns: number[]) => ns.map((n) => `${key}[q${n}]`);

const FAN_CASES: { name: string; states: Record<string, BackfillTargetState>; ready: string[] }[] =
  [
    {
      name: 'nothing done',
      states: {},
      ready: [...q('up', 1, 2, 3, 4), ...q('other', 1, 2, 3, 4)],
    },
    {
      name: 'one partition of what it reads launched: every partition waits',
      states: { 'up[*]': 'done', 'up[q3]': 'launched' },
      ready: q('other', 1, 2, 3, 4),
    },
    {
      name: 'one partition of what it reads failed: every partition waits',
      states: { 'up[*]': 'done', 'up[q1]': 'failed', 'other[q2]': 'done' },
      ready: q('other', 1, 3, 4),
    },
    {
      name: 'all it reads done: every partition is ready',
      states: { 'up[*]': 'done' },
      ready: [...q('fan', 1, 2, 3, 4), ...q('other', 1, 2, 3, 4)],
    },
  ];

describe('ready targets of a partitioned fan-in, page by page', () => {
  for (const c of FAN_CASES) {
    it(c.name, async () => {
      const id = await backfillWith(c.states, FAN_TARGETS);
      for (const pageSize of [1, 2, 3, undefined])
        expect({ pageSize, ready: await ready(fanGraph, id, 100, pageSize) }).toEqual({
          pageSize,
          ready: c.ready,
        });
    });
  }
});

// A graph with one more root asset, then without it (its definition deleted).
const extra = asset({ key: 'extra', schema: z.number(), compute: () => 1 });
const lone = asset({ key: 'lone', schema: z.number(), compute: () => 1 });
const withExtra = graphOf([extra, lone]);
const withoutExtra = graphOf([lone]);

/** Creates the runs of the chunks without executing them (no worker pool). */
const launcher = {
  launchWith: <T>(create: (settings: { concurrency: number; gitCommit: null }) => Promise<T>) =>
    create({ concurrency: 1, gitCommit: null }),
};

async function statesOf(id: number): Promise<Record<string, string>> {
  const rows = await database.db
    .selectFrom('strata_internal.backfill_targets')
    .select(['asset_key', 'partition_key', 'state', 'error'])
    .where('backfill_id', '=', id)
    .orderBy('ord')
    .execute();
  return Object.fromEntries(
    rows.map((r) => [label(r.asset_key, r.partition_key), `${r.state} ${r.error ?? ''}`.trim()]),
  );
}

describe('one advance', () => {
  it('fails the pending targets of an asset no longer defined and launches the rest', async () => {
    expect(withExtra.has('extra')).toBe(true);
    const spec = { selection: '*', chunkSize: 1, maxRuns: 1, options: {} };
    const id = await insertBackfill(database.db, spec, {
      keys: ['extra', 'lone'],
      partitions: ['', ''],
    });
    const engine = testEngine(database, withoutExtra);
    const outcome = await advanceBackfill(engine, launcher, id, 'test');
    expect(outcome).toMatchObject({ kind: 'advanced', status: 'running' });
    expect(await statesOf(id)).toEqual({
      extra: 'failed asset extra is no longer defined',
      lone: 'launched',
    });
    // Every slot taken by the run in flight: nothing more happens.
    expect(await advanceBackfill(engine, launcher, id, 'test')).toEqual({
      kind: 'advanced',
      status: 'running',
      launchedRuns: [],
    });
    // The run ends: the backfill ends failed, with the gone asset's target.
    await sql`update strata_internal.steps set status = 'succeeded'
      where run_id = (select run_id from strata_internal.backfill_targets
                      where backfill_id = ${id} and asset_key = 'lone')`.execute(database.db);
    expect(await advanceBackfill(engine, launcher, id, 'test')).toEqual({
      kind: 'advanced',
      status: 'failed',
      launchedRuns: [],
    });
    expect(await statesOf(id)).toEqual({
      extra: 'failed asset extra is no longer defined',
      lone: 'done',
    });
  });

  it('succeeds once every target is done', async () => {
    const spec = { selection: '*', chunkSize: 1, maxRuns: 1, options: {} };
    const id = await insertBackfill(database.db, spec, { keys: ['lone'], partitions: [''] });
    await sql`update strata_internal.backfill_targets set state = 'done'
      where backfill_id = ${id}`.execute(database.db);
    const engine = testEngine(database, withoutExtra);
    expect(await advanceBackfill(engine, launcher, id, 'test')).toEqual({
      kind: 'advanced',
      status: 'succeeded',
      launchedRuns: [],
    });
  });
});
