// Source assets against a real database: what an observation records (a new version, only the
// observation time when unchanged, nothing when it fails), how a new version makes exactly the
// dependants stale, observeEvery with a controllable clock, provenance from the dependant back to
// the exact observation, freshness judged by the last observation, and the errors a user sees.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'kysely';
import { DefinitionError } from '../../src/errors.js';
import {
  asset,
  sourceAsset,
  staticPartitions,
  type AnyAssetDefinition,
  type Duration,
} from '../../src/definitions/index.js';
import { observeSources, type ObservationOutcome } from '../../src/executor/index.js';
import { computeStatus, evaluateFreshness } from '../../src/planner/index.js';
import { useTestDatabase } from '../support/database.js';
import { graphOf, run, stepStatuses, tempArtifacts, testEngine } from '../support/engine.js';

const database = useTestDatabase();
const artifacts = tempArtifacts();

/** A source whose external value a test sets, and a dependant reading it. */
function project(prefix: string, options: { observeEvery?: Duration; freshness?: Duration } = {}) {
  const external: { value: unknown; fail?: string } = { value: { density: 7850 } };
  let observations = 0;
  const source = sourceAsset({
    key: `${prefix}/table`,
    schema: z.object({ density: z.number() }),
    ...(options.observeEvery === undefined ? {} : { observeEvery: options.observeEvery }),
    ...(options.freshness === undefined ? {} : { freshness: { maxLag: options.freshness } }),
    observe: () => {
      observations++;
      if (external.fail !== undefined) throw new Error(external.fail);
      return external.value as { density: number };
    },
  });
  const mass = asset({
    key: `${prefix}/mass`,
    deps: { table: source },
    schema: z.number(),
    codeVersion: '1',
    compute: ({ inputs }) => inputs.table.density * 2,
  });
  const report = asset({
    key: `${prefix}/report`,
    deps: { mass },
    schema: z.string(),
    codeVersion: '1',
    compute: ({ inputs }) => `mass ${inputs.mass}`,
  });
  const other = asset({
    key: `${prefix}/other`,
    schema: z.number(),
    codeVersion: '1',
    compute: () => 1,
  });
  const graph = graphOf([source, mass, report, other]);
  return { external, graph, observations: () => observations, keys: { source, mass, report } };
}

type Project = ReturnType<typeof project>;

function observe(p: Project, now?: Date, onlyDue = false): Promise<ObservationOutcome[]> {
  return observeSources(testEngine(database, p.graph, { artifacts }), {
    onlyDue,
    ...(now === undefined ? {} : { now: () => now }),
  });
}

async function statusOf(p: Project): Promise<Record<string, string>> {
  const report = await computeStatus(database.db, p.graph, p.graph.order);
  return Object.fromEntries(
    [...report.statuses].map(([key, partitions]) => [key, partitions.get('')!.status]),
  );
}

async function observationCount(key: string): Promise<number> {
  const row = await database.db
    .selectFrom('strata_internal.materializations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('asset_key', '=', key)
    .where('kind', '=', 'observed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('observing a source asset', () => {
  // Each row starts from a project built once with the source observed as { density: 7850 }.
  it.each([
    {
      change: 'the same value',
      value: { density: 7850 },
      outcome: 'unchanged',
      recorded: 1,
      stale: [],
    },
    {
      change: 'the same value with its keys in another order',
      value: JSON.parse('{ "density": 7850 }') as unknown,
      outcome: 'unchanged',
      recorded: 1,
      stale: [],
    },
    {
      change: 'a new value',
      value: { density: 2700 },
      outcome: 'new',
      recorded: 2,
      stale: ['mass', 'report'],
    },
    {
      change: 'a value its schema refuses',
      value: { density: 'heavy' },
      outcome: 'failed',
      recorded: 1,
      stale: [],
    },
  ])(
    'records $outcome for $change, and exactly the dependants go stale',
    async ({ change, value, outcome, recorded, stale }) => {
      const prefix = `obs_${change.replace(/\W+/g, '_').toLowerCase()}`;
      const p = project(prefix);
      const first = await run(database, p.graph, { artifacts });
      expect(stepStatuses(first)).toEqual([
        `${prefix}/mass: succeeded`,
        `${prefix}/other: succeeded`,
        `${prefix}/report: succeeded`,
      ]);
      p.external.value = value;
      const [result] = await observe(p);
      expect(result).toMatchObject({ key: `${prefix}/table`, partition: '', outcome });
      if (outcome === 'failed') expect(result!.error).toMatch(/does not match its schema: density/);
      expect(await observationCount(`${prefix}/table`)).toBe(recorded);
      const statuses = await statusOf(p);
      expect(
        Object.entries(statuses)
          .filter(([, status]) => status !== 'fresh')
          .map(([key]) => key.slice(prefix.length + 1)),
      ).toEqual(stale);
    },
  );

  it('explains the staleness with the source and rebuilds only the dependants, reading the new value', async () => {
    const p = project('obs_rebuild');
    await run(database, p.graph, { artifacts });
    p.external.value = { density: 4430 };
    const outcome = await run(database, p.graph, { artifacts });
    expect(stepStatuses(outcome)).toEqual([
      'obs_rebuild/mass: succeeded',
      'obs_rebuild/report: succeeded',
    ]);
    if (outcome.kind !== 'run') throw new Error('expected a run');
    const mass = outcome.plan!.steps.find((s) => s.key === 'obs_rebuild/mass')!;
    expect(mass.causes[0]).toMatchObject({ category: 'data', dependency: 'obs_rebuild/table' });
    const value = await database.db
      .selectFrom('strata_internal.latest_materializations as l')
      .innerJoin('strata_internal.materializations as m', 'm.id', 'l.materialization_id')
      .select('m.value')
      .where('l.asset_key', '=', 'obs_rebuild/report')
      .executeTakeFirstOrThrow();
    expect(value.value).toBe('mass 8860');
  });

  it('links the dependant to the exact observation it read (kind observed, no run)', async () => {
    const p = project('obs_lineage');
    await run(database, p.graph, { artifacts });
    const { rows: edges } = await sql<{
      upstream_asset_key: string;
      kind: string;
      run_id: number | null;
      data_version: string;
    }>`select e.upstream_asset_key, m.kind, m.run_id, m.data_version
       from strata.lineage_edges e
       join strata.materializations m on m.materialization_id = e.upstream_materialization_id
       where e.asset_key = 'obs_lineage/mass'`.execute(database.db);
    const edge = edges[0]!;
    expect(edge).toMatchObject({
      upstream_asset_key: 'obs_lineage/table',
      kind: 'observed',
      run_id: null,
    });
    const { rows } = await sql<{ data_version: string; last_observed_at: Date }>`
      select data_version, last_observed_at from strata.source_observations
      where asset_key = 'obs_lineage/table'`.execute(database.db);
    const observation = rows[0]!;
    expect(observation.last_observed_at).toBeInstanceOf(Date);
    expect(observation.data_version).toBe(edge.data_version);
  });

  it('keeps the last version when an observation fails, and says why', async () => {
    const p = project('obs_fail');
    await run(database, p.graph, { artifacts });
    p.external.fail = 'the materials database is down';
    const [result] = await observe(p);
    expect(result).toMatchObject({ outcome: 'failed', error: 'the materials database is down' });
    expect(result!.previousDataVersion).not.toBeNull();
    expect(await statusOf(p)).toMatchObject({ 'obs_fail/mass': 'fresh' });
    // A run still goes ahead with the last version.
    const outcome = await run(database, p.graph, {
      artifacts,
      force: true,
      selection: 'obs_fail/mass',
    });
    expect(stepStatuses(outcome)).toEqual(['obs_fail/mass: succeeded']);
  });

  it('refuses to run what reads a source that was never observed, naming it', async () => {
    const p = project('obs_never');
    p.external.fail = 'no such file: materials.json';
    await expect(run(database, p.graph, { artifacts })).rejects.toThrow(
      'cannot observe source asset obs_never/table: no such file: materials.json',
    );
    await expect(run(database, p.graph, { artifacts, observe: false })).rejects.toThrow(
      'source asset obs_never/table has never been observed, so obs_never/',
    );
  });

  it('observes only when observeEvery has elapsed (onlyDue), by a controllable clock', async () => {
    const p = project('obs_due', { observeEvery: '10m' });
    const t0 = new Date('2026-03-01T10:00:00Z');
    const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);
    const cases: [Date, number][] = [
      [t0, 1], // never observed: due
      [minutes(5), 0],
      [minutes(9.99), 0],
      [minutes(10), 1],
      [minutes(15), 0],
      [minutes(21), 1],
    ];
    for (const [now, expected] of cases) {
      const outcomes = await observe(p, now, true);
      expect(outcomes.length, `at +${(now.getTime() - t0.getTime()) / 60_000}m`).toBe(expected);
    }
    expect(p.observations()).toBe(3);
    // Without onlyDue (strata observe, before a run) it always observes.
    expect(await observe(p, minutes(22))).toHaveLength(1);
  });

  it('judges the freshness of a source by its last observation, changed or not', async () => {
    const p = project('obs_fresh', { freshness: '1h' });
    const t0 = new Date('2026-03-01T10:00:00Z');
    await observe(p, t0);
    await observe(p, new Date(t0.getTime() + 50 * 60_000)); // same version, 50 min later
    const at = new Date(t0.getTime() + 100 * 60_000);
    const report = await computeStatus(database.db, p.graph, [p.keys.source.key], at);
    const freshness = evaluateFreshness(report, p.keys.source.key)!;
    expect(freshness.asset.state).toBe('pass');
    const later = await computeStatus(
      database.db,
      p.graph,
      [p.keys.source.key],
      new Date(t0.getTime() + 115 * 60_000),
    );
    expect(evaluateFreshness(later, p.keys.source.key)!.asset).toMatchObject({
      state: 'fail',
      overdueBy: 'overdue by 5m',
    });
  });

  it('observes every partition of a partitioned source', async () => {
    const versions: Record<string, number> = { a: 1, b: 1, c: 1 };
    const cad = sourceAsset({
      key: 'obs_parts/cad_file',
      schema: z.object({ revision: z.number() }),
      partitions: staticPartitions(['a', 'b', 'c']),
      observe: ({ partitionKey }) => ({ revision: versions[partitionKey!]! }),
    });
    const mesh = asset({
      key: 'obs_parts/mesh',
      deps: { cad },
      schema: z.number(),
      codeVersion: '1',
      partitions: staticPartitions(['a', 'b', 'c']),
      compute: ({ inputs }) => inputs.cad.revision,
    });
    const graph = graphOf([cad, mesh]);
    await run(database, graph, { artifacts });
    versions.b = 2;
    const outcome = await run(database, graph, { artifacts });
    expect(stepStatuses(outcome)).toEqual(['obs_parts/mesh[b]: succeeded']);
  });
});

describe('sourceAsset() declarations', () => {
  const schema = z.number();
  const observe = () => 1;
  it.each([
    {
      what: 'a compute function',
      spec: { key: 's', schema, observe, compute: () => 1 },
      message: 'source asset s: compute is not an option of a source asset',
    },
    {
      what: 'an automation policy',
      spec: { key: 's', schema, observe, automation: 'eager' },
      message: 'source asset s: automation is not an option',
    },
    {
      what: 'a bad observeEvery',
      spec: { key: 's', schema, observe, observeEvery: 'often' },
      message: 'source asset s: observeEvery',
    },
    {
      what: 'no observe function',
      spec: { key: 's', schema },
      message: 'source asset s: observe must be a function',
    },
    {
      what: 'a schema that is not zod',
      spec: { key: 's', schema: {}, observe },
      message: 'source asset s: schema must be a zod schema',
    },
  ])('refuses $what', ({ spec, message }) => {
    expect(() => sourceAsset(spec as never)).toThrow(DefinitionError);
    expect(() => sourceAsset(spec as never)).toThrow(message);
  });

  it('is depended on like any asset (typed inputs)', () => {
    const table = sourceAsset({
      key: 't',
      schema: z.object({ e: z.number() }),
      observe: () => ({ e: 1 }),
    });
    const uses: AnyAssetDefinition = asset({
      key: 'u',
      deps: { table },
      schema: z.number(),
      compute: ({ inputs }) => inputs.table.e,
    });
    expect(uses.dependencies).toEqual([{ inputName: 'table', key: 't', mapping: 'auto' }]);
  });
});
